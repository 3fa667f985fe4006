"""The fidelity scale in Spanish: stored with the items at load, shown on the scoring page and the report PDF's
HTML at no extra query per item; a stale translation falls back to English."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ipshub.fidelity.models import FidelityItem
from ipshub.fidelity.scales import band_local, current_scale, scale_translate
from tests.fidelity import factories

pytestmark = pytest.mark.django_db


def test_the_scale_is_stored_with_its_translations() -> None:
    scale = current_scale()
    item = scale.items.get(key="caseload-size")
    with translation.override("es"):
        assert scale.local("title") == "Escala de Fidelidad del Empleo con Apoyo (IPS-25, 2008)"
        assert item.local("name") == "Tamaño de la carga de casos"
        assert item.local("section") == "Personal"
        first = "Cada especialista de empleo de tiempo completo atiende a 20 clientes o menos."
        assert item.anchor_list()[0] == (5, first)
    assert item.anchor_list()[0] == (5, "Each full-time employment specialist carries 20 or fewer clients.")
    assert FidelityItem.objects.filter(scale=scale, translations={}).count() == 0

    # A corrected anchor (a state's revised copy) leaves the item's old translation of it unused.
    item.anchors = {**item.anchors, "5": "Each full-time specialist carries 20 or fewer clients."}
    item.save()
    scale_translate()
    item.refresh_from_db()
    with translation.override("es"):
        assert item.anchor_list()[0] == (5, "Each full-time specialist carries 20 or fewer clients.")
        assert item.local("name") == "Tamaño de la carga de casos"


def test_a_band_label_is_shown_in_the_readers_language() -> None:
    with translation.override("es"):
        assert band_local("Good fidelity") == "Buena fidelidad"
        assert band_local("A state's own band") == "A state's own band"
    assert band_local("Good fidelity") == "Good fidelity"


def _get(client, url: str, language: str) -> tuple[str, int]:
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_the_scoring_page_shows_the_spanish_scale_at_the_same_queries(world, client_for) -> None:
    review = factories.planned_review(world)
    client = client_for(world.reviewer)
    url = reverse("fidelity:review_score", kwargs={"review_id": review.pk})
    _get(client, url, "en")
    english, english_queries = _get(client, url, "en")
    spanish, spanish_queries = _get(client, url, "es")
    assert "1. Caseload size" in english
    assert "1. Tamaño de la carga de casos" in spanish
    assert "Cada especialista de empleo de tiempo completo atiende a 20 clientes o menos." in spanish
    assert ">Servicios</h2>" in spanish or "Servicios" in spanish
    assert spanish_queries == english_queries
