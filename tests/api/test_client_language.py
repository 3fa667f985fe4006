"""A client's preferred language and "interpreter needed" (issue #24): the referral form, the record page, the
API (read and write) and the spreadsheet import and export."""

import datetime

import pytest
from django.urls import reverse

from ipshub.clients.models import Client
from tests.api.test_api import assert_error
from tests.api.test_exchange import _csv, _post
from tests.clients.factories import days_ago, enroll
from tests.world import World

pytestmark = pytest.mark.django_db


def test_the_referral_form_records_the_language_and_the_record_shows_it(world: World, client_for) -> None:
    form = {
        "program": world.programs["p1"].pk,
        "first_name": "Lucía",
        "last_name": "Ramos",
        "birth_date": "1990-01-01",
        "referral_date": datetime.date.today().isoformat(),
        "referral_source": "self",
        "preferred_language": "es",
        "interpreter_needed": "on",
    }
    refused = client_for(world.case_manager).post(reverse("clients:refer"), {**form, "preferred_language": "xx"})
    assert refused.status_code == 400 and "Choose one of the options in the list." in refused.content.decode()
    assert 'value="Lucía"' in refused.content.decode()
    client_for(world.case_manager).post(reverse("clients:refer"), form)
    client = Client.objects.get(first_name="Lucía")
    assert (client.preferred_language, client.interpreter_needed) == ("es", True)
    enrollment = client.enrollments.get()
    page = client_for(world.case_manager).get(reverse("clients:detail", args=[enrollment.pk])).content.decode()
    assert "Spanish" in page and "Interpreter needed" in page


def test_the_api_takes_and_gives_the_language(world: World, api) -> None:
    client = api(world.case_manager)
    body = {
        "program": world.programs["p1"].pk,
        "first_name": "Minh",
        "last_name": "Tran",
        "birth_date": "1979-05-06",
        "referral_date": days_ago(2).isoformat(),
        "referral_source": "case_manager",
        "preferred_language": "vi",
        "interpreter_needed": True,
    }
    created = client.post("/api/v1/clients/", body, format="json")
    assert created.status_code == 201, created.content
    record = client.get(f"/api/v1/clients/{created.json()['id']}/").json()["client"]
    assert (record["preferred_language"], record["interpreter_needed"]) == ("vi", True)
    bad = client.post("/api/v1/clients/", {**body, "preferred_language": "klingon"}, format="json")
    assert "preferred_language" in assert_error(bad, 400)["fields"]


CLIENTS = """\
record_number,first_name,last_name,birth_date,referral_date,referral_source,preferred_language,interpreter_needed
MR-7,Ana,Flores,1985-03-04,{d},self,es,true
MR-8,Bo,Li,1985-03-04,{d},self,,
"""


def test_the_import_and_export_carry_the_language(world: World, api) -> None:
    client = api(world.supervisor)
    result = _post(client, "clients", _csv(CLIENTS.replace("{d}", days_ago(3).isoformat())), mode="good").json()
    assert result["created"] == 2, result
    ana, bo = Client.objects.get(first_name="Ana"), Client.objects.get(first_name="Bo")
    assert (ana.preferred_language, ana.interpreter_needed) == ("es", True)
    assert (bo.preferred_language, bo.interpreter_needed) == ("", False)
    exported = client.get(f"/api/v1/exports/clients/?program={world.programs['p1'].pk}&file_format=csv")
    lines = exported.content.decode().splitlines()
    assert lines[0].endswith("preferred_language,interpreter_needed")
    assert any(line.startswith("MR-7,") and line.endswith(",es,true") for line in lines)


def test_the_specialist_changes_the_language_on_the_record_and_through_the_api(world: World, client_for, api) -> None:
    enrollment = enroll(world)
    url = reverse("clients:language_edit", args=[enrollment.pk])
    specialist = client_for(world.specialist)
    assert 'name="preferred_language"' in specialist.get(url).content.decode()
    refused = specialist.post(url, {"preferred_language": "xx", "interpreter_needed": "on"})
    assert refused.status_code == 400 and "Choose one of the options in the list." in refused.content.decode()
    assert specialist.post(url, {"preferred_language": "ht", "interpreter_needed": "on"}).status_code == 302
    client = Client.objects.get(pk=enrollment.client_id)
    assert (client.preferred_language, client.interpreter_needed) == ("ht", True)
    page = specialist.get(reverse("clients:detail", args=[enrollment.pk])).content.decode()
    assert "Haitian Creole" in page and "Interpreter needed" in page
    # Readers without the services capability may not change it.
    assert client_for(world.counselor).post(url, {"preferred_language": "es"}).status_code in (403, 404)
    answer = api(world.specialist).post(
        f"/api/v1/clients/{enrollment.pk}/language/",
        {"preferred_language": "es", "interpreter_needed": False},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["preferred_language"], answer.json()["interpreter_needed"]) == ("es", False)
    bad = api(world.specialist).post(
        f"/api/v1/clients/{enrollment.pk}/language/", {"preferred_language": "zz"}, format="json"
    )
    assert {"preferred_language", "interpreter_needed"} <= set(assert_error(bad, 400)["fields"])
