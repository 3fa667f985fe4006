from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def mfa_is_required(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.IPSHUB_MFA_REQUIRED:
        return [Error("Two-factor sign-in is switched off.", hint="Unset IPSHUB_MFA_REQUIRED.", id="ipshub.E001")]
    return []
