"""The small records behind the roles matrix's tick-box duties: outreach, IPS materials, resources sent and
data requests. Pages and API: who may write, bad input (every error at once, what was typed kept), the
wrong kind of file, outsiders (404) and readers (403), files served only through the access layer, and
fixed query counts as the records grow."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipshub.implementation import services
from ipshub.implementation.models import (
    DataRequest,
    DataRequestAnswer,
    MaterialDistribution,
    OutreachActivity,
    Resource,
    ResourceShare,
)
from tests.world import World

pytestmark = pytest.mark.django_db

CSV = b"specialist,caseload\nA,18\nB,20\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OUTSIDERS = ("other_agency_director", "other_state_lead", "other_state_director")
DAY = datetime.date(2025, 2, 3)


def request_for(world: World, accepts: str = "spreadsheet") -> DataRequest:
    return services.data_request_create(
        actor=world.state_lead,
        program=world.programs["p1"],
        asked_on=DAY,
        due_on=DAY + datetime.timedelta(days=30),
        what="Caseload size of each specialist",
        accepts=accepts,
    )


def revenue_resource(world: World) -> Resource:
    return services.resource_create(
        actor=world.state_lead,
        organization=world.orgs["team_a"],
        title="Paying for IPS",
        kind="link",
        stage_key="ST02",
        link="https://example.org/revenue",
        topic="revenue",
    )


def page_urls(world: World) -> dict[str, str]:
    p1 = world.programs["p1"]
    return {
        name: reverse(f"implementation:{name}", args=[p1.pk])
        for name in ("outreach", "materials", "shares", "data_requests")
    }


# --- Pages: bad input ------------------------------------------------------------------------------


def test_outreach_bad_input_shows_every_error_and_keeps_what_was_typed(world: World, client_for) -> None:
    url = reverse("implementation:outreach", args=[world.programs["p1"].pk])
    response = client_for(world.director).post(
        url, {"held_on": "2024-06-01", "kind": "presentation", "forum": "", "description": "Talk at the library"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "before the program was opened" in page
    assert "Fill in this field" in page or "Say where it was shared" in page
    assert "Talk at the library" in page and 'value="2024-06-01"' in page
    assert not OutreachActivity.objects.exists()
    response = client_for(world.director).post(
        url, {"held_on": "2025-03-04", "kind": "presentation", "forum": "Rotary Club", "description": ""}
    )
    assert response.status_code == 302
    assert OutreachActivity.objects.get().recorded_by == world.director


def test_materials_bad_input_shows_every_error(world: World, client_for) -> None:
    url = reverse("implementation:materials", args=[world.programs["p1"].pk])
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client_for(world.supervisor).post(
        url, {"material": "practical_guide", "distributed_on": future.isoformat(), "recipients": "", "copies": "0"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This date is in the future" in page
    assert "Enter 1 or more." in page
    assert page.count("usa-error-message") >= 3
    assert not MaterialDistribution.objects.exists()


def test_a_data_request_due_before_it_is_asked_is_refused_with_every_error(world: World, client_for) -> None:
    url = reverse("implementation:data_requests", args=[world.programs["p1"].pk])
    response = client_for(world.state_lead).post(
        url, {"what": "", "accepts": "spreadsheet", "asked_on": "2025-03-10", "due_on": "2025-03-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The due date is before the request" in page
    assert "Fill in this field" in page or "Say what data is asked for" in page
    assert 'value="2025-03-10"' in page
    assert not DataRequest.objects.exists()


def test_an_upload_of_the_wrong_kind_is_refused_and_nothing_is_saved(world: World, client_for) -> None:
    asked = request_for(world, accepts="spreadsheet")
    url = reverse("implementation:data_request", args=[world.programs["p1"].pk, asked.pk])
    response = client_for(world.supervisor).post(
        url, {"file": SimpleUploadedFile("caseloads.pdf", PDF), "note": "Our caseloads"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not what this request accepts" in page and "a spreadsheet (CSV or Excel .xlsx)" in page
    assert "Upload a .csv or .xlsx file." in page
    assert "Our caseloads" in page
    assert not DataRequestAnswer.objects.exists()
    # A file named .csv that is not text is refused by its content.
    response = client_for(world.supervisor).post(url, {"file": SimpleUploadedFile("caseloads.csv", b"\x00\x01MZ")})
    assert response.status_code == 400 and not DataRequestAnswer.objects.exists()
    response = client_for(world.supervisor).post(url, {"file": SimpleUploadedFile("caseloads.csv", CSV)})
    assert response.status_code == 302
    answer = DataRequestAnswer.objects.get()
    assert (answer.answered_by, answer.original_name, answer.answered_on) == (
        world.supervisor,
        "caseloads.csv",
        timezone.localdate(),
    )


# --- Pages: who may write, who may read --------------------------------------------------------------


def test_outsiders_see_nothing_and_cannot_write(world: World, client_for) -> None:
    asked = request_for(world)
    answer = services.data_request_answer(
        actor=world.supervisor, request=asked, file=SimpleUploadedFile("caseloads.csv", CSV)
    )
    p1 = world.programs["p1"]
    urls = [
        *page_urls(world).values(),
        reverse("implementation:data_request", args=[p1.pk, asked.pk]),
        reverse("implementation:data_answer_file", args=[answer.pk]),
    ]
    for name in OUTSIDERS:
        client = client_for(world.people[name])
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)
            assert client.post(url, {"forum": "x"}).status_code == 404, (name, url)
        assert client.post(reverse("implementation:data_answer_delete", args=[answer.pk])).status_code == 404
    assert DataRequestAnswer.objects.count() == 1 and not OutreachActivity.objects.exists()


def test_readers_get_403_on_writes(world: World, client_for) -> None:
    asked = request_for(world)
    urls = page_urls(world)
    counselor = client_for(world.counselor)
    for url in urls.values():
        assert counselor.get(url).status_code == 200
    outreach = {"held_on": "2025-03-04", "kind": "presentation", "forum": "Rotary Club"}
    assert counselor.post(urls["outreach"], outreach).status_code == 403
    assert client_for(world.specialist).post(urls["outreach"], outreach).status_code == 403
    # Data requests are sent by the state team, answered by the provider or the agency.
    request = {"what": "Data", "accepts": "any", "asked_on": "2025-03-04", "due_on": "2025-03-30"}
    assert client_for(world.director).post(urls["data_requests"], request).status_code == 403
    answer_url = reverse("implementation:data_request", args=[world.programs["p1"].pk, asked.pk])
    upload = {"file": SimpleUploadedFile("caseloads.csv", CSV)}
    assert client_for(world.state_lead).post(answer_url, upload).status_code == 403
    assert counselor.post(answer_url, {"file": SimpleUploadedFile("caseloads.csv", CSV)}).status_code == 403
    send = {"resource": revenue_resource(world).pk, "sent_on": "2025-03-04"}
    assert client_for(world.director).post(urls["shares"], send).status_code == 403
    assert client_for(world.trainer).post(urls["shares"], send).status_code == 302
    assert ResourceShare.objects.count() == 1
    assert not OutreachActivity.objects.exists() and not DataRequestAnswer.objects.exists()


def test_answer_files_are_served_only_to_who_asked_and_who_answers(world: World, client_for) -> None:
    asked = request_for(world)
    answer = services.data_request_answer(
        actor=world.specialist, request=asked, file=SimpleUploadedFile("caseloads.csv", CSV)
    )
    url = reverse("implementation:data_answer_file", args=[answer.pk])
    for name in ("state_lead", "trainer", "director", "supervisor"):
        response = client_for(world.people[name]).get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == CSV  # type: ignore[attr-defined]
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    # DVR sees the program, not the data sent to the state team.
    assert client_for(world.counselor).get(url).status_code == 404
    page = client_for(world.counselor).get(reverse("implementation:data_request", args=[asked.program_id, asked.pk]))
    assert "caseloads.csv" in page.content.decode() and url not in page.content.decode()
    # A request that was answered stays on the record; an open one can be withdrawn by the state team.
    withdraw = reverse("implementation:data_request_delete", args=[asked.program_id, asked.pk])
    assert client_for(world.state_lead).post(withdraw).status_code == 302
    assert DataRequest.objects.filter(pk=asked.pk).exists()
    client_for(world.supervisor).post(reverse("implementation:data_answer_delete", args=[answer.pk]))
    assert not DataRequestAnswer.objects.exists()
    assert client_for(world.state_lead).post(withdraw).status_code == 302
    assert not DataRequest.objects.exists()


def test_the_pages_run_a_fixed_number_of_queries(world: World, client_for, django_assert_num_queries) -> None:
    client = client_for(world.state_lead)
    p1 = world.programs["p1"]
    resource = revenue_resource(world)

    def add(n: int) -> None:
        for i in range(n):
            services.outreach_record(
                actor=world.director, program=p1, held_on=DAY, kind="presentation", forum=f"Forum {i}"
            )
            services.material_distribution_record(
                actor=world.director, program=p1, material="handouts", distributed_on=DAY, recipients=f"Room {i}"
            )
            services.resource_send(actor=world.state_lead, resource=resource, program=p1, sent_on=DAY)
            asked = request_for(world)
            services.data_request_answer(
                actor=world.supervisor, request=asked, file=SimpleUploadedFile("caseloads.csv", CSV)
            )

    add(1)
    urls = list(page_urls(world).values())
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        before.append(len(ctx.captured_queries))
    add(5)
    for url, n in zip(urls, before, strict=True):
        with django_assert_num_queries(n):
            assert client.get(url).status_code == 200
