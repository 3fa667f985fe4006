"""{{ total.band|band_local }}: a total-score band's label in the reader's language (docs/translations.md)."""

from django import template

from ipshub.fidelity.scales import band_local as _band_local

register = template.Library()


@register.filter
def band_local(label: str) -> str:
    return _band_local(label) if label else label
