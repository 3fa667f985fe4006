"""{{ row|local:"text" }}: a catalog text in the reader's language, English when it is not translated."""

from typing import Any

from django import template

from ipshub.catalog import translations

register = template.Library()


@register.filter
def local(obj: Any, name: str) -> Any:
    return translations.local(obj, name)
