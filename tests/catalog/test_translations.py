"""The catalog translated as data (docs/translations.md, Catalog translations): complete, current, stored with the
rows, shown in the reader's language with English as the fallback, at no extra query per row."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ipshub.catalog import checks, models, seedfiles, translations
from ipshub.catalog.services import catalog_load, catalog_translate
from ipshub.collaboration import training
from ipshub.dvr import rules
from ipshub.outcomes import definitions

SEED_FILES = {
    "catalog/roadmap.yaml",
    "catalog/roles.yaml",
    "fidelity/scale-2008.yaml",
    "collaboration/training.yaml",
    "dvr/services.yaml",
    "outcomes/definitions.yaml",
}


def _es_yaml(path: Path) -> dict:
    return yaml.safe_load(path.with_name(f"{path.stem}.es{path.suffix}").read_text(encoding="utf-8"))


def test_every_seed_file_is_translated_into_spanish_and_none_is_stale() -> None:
    assert set(translations.sources()) == SEED_FILES
    untranslated = {}
    for name, texts in translations.sources().items():
        source, english = texts()
        coverage = translations.coverage(source, english, "es")
        assert coverage.total > 0
        if coverage.problems or coverage.unknown:
            untranslated[name] = (coverage.missing, coverage.stale, coverage.unknown)
    assert untranslated == {}
    assert checks.translation_problems() == []
    assert checks.catalog_translations() == []


def test_the_count_sees_a_missing_and_a_stale_translation(tmp_path: Path) -> None:
    """The completeness test can fail: on a copy, drop one translated entry and change one English text."""
    for name in ("roadmap.yaml", "roadmap.es.yaml"):
        shutil.copy(seedfiles.DATA_DIR / name, tmp_path / name)
    copy, copy_es = tmp_path / "roadmap.yaml", tmp_path / "roadmap.es.yaml"
    assert translations.coverage(copy, seedfiles.roadmap_texts(seedfiles.load_roadmap(copy)), "es").problems == 0

    es = yaml.safe_load(copy_es.read_text(encoding="utf-8"))
    del es["entries"]["Q03"]
    copy_es.write_text(yaml.safe_dump(es, allow_unicode=True, sort_keys=False), encoding="utf-8")
    english = copy.read_text(encoding="utf-8")
    old = seedfiles.load_roadmap().stage("ST01").strategies[0].text
    copy.write_text(english.replace(old, old.replace("leaders", "agency leaders")), encoding="utf-8")

    coverage = translations.coverage(copy, seedfiles.roadmap_texts(seedfiles.load_roadmap(copy)), "es")
    assert coverage.missing == ["Q03.text"]
    assert coverage.stale == ["ST01-S01.text"]
    assert coverage.problems == 2
    # A language without a file counts every text as missing.
    assert translations.coverage(copy, seedfiles.roadmap_texts(seedfiles.load_roadmap(copy)), "fr").missing


@pytest.mark.django_db
def test_loading_stores_each_rows_translations_and_english_is_the_fallback() -> None:
    catalog_load()
    es = _es_yaml(seedfiles.ROLES_PATH)["entries"]
    duty = models.Responsibility.objects.get(version__is_current=True, key="R-PRI-ST-01")
    assert duty.translations == {
        "es": {"text": es["R-PRI-ST-01"]["text"]["es"], "describe": es["R-PRI-ST-01"]["describe"]["es"]}
    }
    assert models.Responsibility.objects.filter(translations={}).count() == 0
    stage = models.Stage.objects.get(version__is_current=True, key="ST01")
    with translation.override("es"):
        assert duty.local("text") == es["R-PRI-ST-01"]["text"]["es"]
        assert stage.local("audiences")[0] == "Dirección de la agencia de salud mental"
    with translation.override("es-mx"):  # a regional variant takes its language's translation
        assert duty.local("text") == es["R-PRI-ST-01"]["text"]["es"]
    for language in ("en", "fr"):
        with translation.override(language):
            assert duty.local("text") == duty.text


@pytest.mark.django_db
def test_a_stale_translation_is_not_used() -> None:
    """A row whose English no longer matches its translation's `en` shows English; the others keep theirs."""
    catalog_load()
    rows = models.Responsibility.objects.filter(version__is_current=True)
    rows.filter(key="R-PRI-ST-02").update(text="Facilitate a partnership meeting.")
    assert catalog_translate() == 1
    changed = rows.get(key="R-PRI-ST-02")
    assert list(changed.translations["es"]) == ["describe"]  # the text's translation is stale, not the rule's
    with translation.override("es"):
        assert changed.local("text") == "Facilitate a partnership meeting."
        assert rows.get(key="R-PRI-ST-01").local("text").startswith("Dar información")
    assert catalog_translate() == 0  # nothing left to change


def test_the_in_memory_catalogs_carry_their_translations() -> None:
    with translation.override("es"):
        title = translations.local(training.course("ips_initial"), "title")
        assert title.startswith("Capacitación inicial en Apoyo y Colocación Individual (IPS)")
        assert definitions.catalog().latest("worked_over_served").label == (
            "Tasa trimestral de empleo (trabajaron ÷ atendidos) (v1)"
        )
        assert rules.service_local("placement", "name", "Placement and hire") == "Colocación y contratación"
        # A state's edited copy shows its own text: the translation is of the default's English.
        assert rules.service_local("placement", "name", "Placement") == "Placement"
        described = rules.with_translations(rules.default_catalog()["services"])
        assert translations.local(described[0], "purpose").startswith("Conocer las preferencias")
    assert rules.service_local("placement", "name", "Placement and hire") == "Placement and hire"


def _get(client, url: str, language: str) -> tuple[str, int]:
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


@pytest.mark.django_db
def test_the_roadmap_and_roles_pages_show_the_spanish_catalog_at_the_same_queries(world, client_for) -> None:
    catalog_load()
    client = client_for(world.people["specialist"])
    roles = reverse("catalog:roles")
    _get(client, roles, "en")  # warm the session and content types
    english, english_queries = _get(client, roles, "en")
    spanish, spanish_queries = _get(client, roles, "es")
    assert "Provide information about available sources of revenue" in english
    assert "Dar información sobre las fuentes de ingresos disponibles" in spanish
    assert "Provide information about available sources of revenue" not in spanish
    assert spanish.count("<li>") >= 98
    assert spanish_queries == english_queries  # the translations come with the rows

    roadmap, _ = _get(client, reverse("catalog:roadmap"), "es")
    assert "Evaluar la preparación para la implementación" in roadmap
    stage, _ = _get(client, reverse("catalog:stage_detail", args=[1]), "es")
    assert "Determinar si los líderes saben en qué se diferencia" in stage
    questions, _ = _get(client, reverse("catalog:questions"), "es")
    assert "¿Por qué están considerando IPS para sus agencias?" in questions
