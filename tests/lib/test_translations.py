"""The interface's translation files (issue #24): complete, extracted from the code, compiled without gettext."""

import datetime

from django.utils import translation

from ipshub.lib import translations
from ipshub.tenancy.wages import long_date, month_label


def test_every_marked_string_has_its_translation_in_every_language() -> None:
    marked = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in translations.extract() if m.id}
    assert len(marked) > 100
    assert "es" in translations.languages()
    for language in translations.languages():
        catalogue = translations.read(translations.po_path(language), language)
        assert translations.untranslated(catalogue) == [], f"{language}: translate these"
        in_po = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id}
        missing = sorted(str(m) for m in marked - in_po)
        assert not missing, f"{language}: run `ipshub extract-messages`, then translate: {missing[:10]}"


def test_untranslated_counts_empty_and_fuzzy_entries() -> None:
    catalogue = translations.read(translations.po_path("es"), "es")
    catalogue.add("A string nobody translated")
    catalogue.add("A guess", "Una conjetura", flags=["fuzzy"])
    assert translations.untranslated(catalogue) == ["A string nobody translated", "A guess"]


def test_the_extractor_reads_python_and_both_template_tags(tmp_path) -> None:
    messages = {m.id for m in translations.extract()}
    assert "Skip to main content" in messages  # {% translate %} in base.html
    assert "Signed in as %(name)s." in messages  # {% blocktranslate %} with a variable
    assert "Fill in this field." in messages  # gettext_lazy in lib/forms.py


def test_compiled_spanish_is_what_django_shows(tmp_path) -> None:
    translations.compile_all()
    with translation.override("es"):
        assert translation.gettext("Skip to main content") == "Saltar al contenido principal"
        assert translation.pgettext("two-factor sign-in", "On") == "Activado"


def test_dates_are_written_in_the_active_language() -> None:
    day = datetime.date(2026, 12, 7)
    assert long_date(day) == "December 7, 2026"
    assert month_label(day) == "December 2026"
    with translation.override("es"):
        assert long_date(day) == "7 de diciembre de 2026"
        assert month_label(day) == "diciembre 2026"
