"""A quarter still in progress: its figures may still change, so it is submitted only early on purpose, with
a reason kept on the report; a quarter that has not begun has no figures."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ipshub.api.services import token_create
from ipshub.audit.models import AuditEvent
from ipshub.outcomes import services
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import QuarterlyReport, Status

pytestmark = pytest.mark.django_db
CODE = "worked_over_served"


def _current() -> Quarter:
    return Quarter.containing(timezone.localdate())


def _draft(world, quarter: Quarter) -> QuarterlyReport:  # type: ignore[no-untyped-def]
    return services.report_save(
        actor=world.supervisor,
        program=world.programs["p1"],
        year=quarter.year,
        quarter=quarter.quarter,
        definition_code=CODE,
        figures={"served": 40, "worked": 16},
    )


def _api(person) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=person, person=person, name='checks')[1]}")
    return client


def test_a_quarter_in_progress_is_submitted_only_early_with_a_reason(world) -> None:
    report = _draft(world, _current())
    with pytest.raises(ValidationError) as caught:
        services.report_submit(actor=world.supervisor, report=report)
    # Both at once: choose "submit early", and say why.
    assert set(caught.value.message_dict) == {"submit_early", "early_reason"}
    end = _current().last_day
    assert f"it ends on {end:%B} {end.day}, {end.year}" in caught.value.message_dict["submit_early"][0]
    with pytest.raises(ValidationError) as caught:
        services.report_submit(actor=world.supervisor, report=report, submit_early=True, early_reason="  ")
    assert set(caught.value.message_dict) == {"early_reason"}
    services.report_submit(
        actor=world.supervisor, report=report, submit_early=True, early_reason="The state meeting is on the 15th."
    )
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.early_submission_reason == "The state meeting is on the 15th."
    event = AuditEvent.objects.filter(action="outcome_report.submit").latest("pk")
    assert "Submitted before the quarter ended: The state meeting is on the 15th." in event.detail["comment"]
    # A quarter that has ended goes as before, and stores no reason.
    done = _draft(world, _current().previous())
    services.report_submit(actor=world.supervisor, report=done, submit_early=True, early_reason="ignored")
    done.refresh_from_db()
    assert done.status == Status.SUBMITTED and done.early_submission_reason == ""


def test_a_quarter_not_yet_begun_has_no_figures(world, client_for) -> None:
    upcoming = Quarter.from_index(_current().index + 1)
    with pytest.raises(ValidationError) as caught:
        _draft(world, upcoming)
    assert "has not started yet" in caught.value.message_dict["quarter"][0]
    content = io.BytesIO(f"year,quarter,served,worked\n{upcoming.year},{upcoming.quarter},40,16\n".encode())
    content.name = "figures.csv"
    client = client_for(world.supervisor)
    response = client.post(reverse("outcomes:upload", args=[world.programs["p1"].pk]), {"file": content})
    assert "has not started yet" in client.get(response["Location"]).content.decode()


def test_the_report_page_warns_and_asks_for_the_early_reason(world, client_for) -> None:
    report = _draft(world, _current())
    client = client_for(world.supervisor)
    page = client.get(reverse("outcomes:report_detail", args=[report.pk])).content.decode()
    end = _current().last_day
    assert f"This quarter ends on {end:%B} {end.day}, {end.year}; figures may still change." in page
    assert 'name="submit_early"' in page and 'name="early_reason"' in page
    refused = client.post(reverse("outcomes:report_submit", args=[report.pk]), {})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Please correct 2 problems" in html and "still in progress" in html
    submitted = client.post(
        reverse("outcomes:report_submit", args=[report.pk]), {"submit_early": "on", "early_reason": "Asked early."}
    )
    assert submitted.status_code == 302
    page = client.get(reverse("outcomes:report_detail", args=[report.pk])).content.decode()
    assert "Submitted before the quarter ended:</strong> Asked early." in page
    # A finished quarter's report has no such fields.
    done = _draft(world, _current().previous())
    page = client.get(reverse("outcomes:report_detail", args=[done.pk])).content.decode()
    assert 'name="submit_early"' not in page and "figures may still change" not in page


def test_computing_a_quarter_in_progress_warns(world, client_for) -> None:
    current = _current()
    client = client_for(world.supervisor)
    form = client.get(reverse("outcomes:report_compute", args=[world.programs["p1"].pk])).content.decode()
    assert f"The current quarter, {current.year} Q{current.quarter}, ends on" in form
    response = client.post(
        reverse("outcomes:report_compute", args=[world.programs["p1"].pk]),
        {"year": current.year, "quarter": current.quarter, "definition_code": CODE},
        follow=True,
    )
    assert "figures may still change" in response.content.decode()


def test_the_api_asks_for_submit_early_with_a_reason(world) -> None:
    current = _current()
    client = _api(world.supervisor)
    body = {"program": world.programs["p1"].pk, "year": current.year, "quarter": current.quarter, "served": 40}
    refused = client.post("/api/v1/outcome-reports/", body | {"worked": 16, "submit": True}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["error"]["fields"]) == {"submit_early", "early_reason"}
    report = _draft(world, current)
    submitted = client.post(
        f"/api/v1/outcome-reports/{report.pk}/submit/",
        {"submit_early": True, "early_reason": "Board meeting"},
        format="json",
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["early_submission_reason"] == "Board meeting"
