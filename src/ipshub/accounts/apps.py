from django.apps import AppConfig

from ipshub.accounts import checks  # noqa: F401  (registers the deploy checks; it needs no models)


class AccountsConfig(AppConfig):
    name = "ipshub.accounts"
    verbose_name = "Sign-in, two-factor authentication and sessions"
