"""Audit reports and break-glass access."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipshub.audit import grants
from ipshub.audit.models import AppendOnlyError, AuditEvent, BreakGlassGrant
from ipshub.clients import services
from ipshub.oversight import breakglass, reports
from ipshub.oversight.home import panels
from tests.clients.factories import enroll
from tests.world import World

pytestmark = pytest.mark.django_db


def _view(client, enrollment) -> int:
    return client.get(reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk})).status_code


def test_who_saw_this_client_lists_views_with_ids_not_names_for_the_admin(world: World, client_for) -> None:
    enrollment = enroll(world, first="Marisol")
    assert _view(client_for(world.people["specialist"]), enrollment) == 200
    url = reverse("audit:client_report", kwargs={"enrollment_id": enrollment.pk})
    response = client_for(world.people["admin"]).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "specialist" in body and "client.view" in body
    assert "Marisol" not in body and f"Client record {enrollment.pk}" in body
    csv_response = client_for(world.people["state_lead"]).get(url + "?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode()
    assert "client.view" in text and "Marisol" not in text


def test_reports_are_scoped_to_the_readers_state(world: World, client_for) -> None:
    enrollment = enroll(world)
    for name in ("other_state_admin", "other_state_lead", "director", "supervisor", "other_agency_director"):
        client = client_for(world.people[name])
        assert client.get(reverse("audit:client_report", kwargs={"enrollment_id": enrollment.pk})).status_code == 404
        people_url = reverse("audit:person_report", kwargs={"person_id": world.people["specialist"].pk})
        assert client.get(people_url).status_code == 404, name
    assert client_for(world.people["director"]).get(reverse("audit:report_index")).status_code == 403


def test_what_did_this_person_see_with_a_period(world: World, client_for) -> None:
    first = enroll(world, first="Odalys")
    second = enroll(world)
    specialist = client_for(world.people["specialist"])
    _view(specialist, first)
    _view(specialist, second)
    url = reverse("audit:person_report", kwargs={"person_id": world.people["specialist"].pk})
    body = client_for(world.people["admin"]).get(url).content.decode()
    assert f"Client record {first.pk}" in body and f"Client record {second.pk}" in body
    assert "Odalys" not in body
    assert reports.client_names_for(world.people["supervisor"], [first.pk]) == {
        first.pk: f"Odalys {first.client.last_name}"
    }
    assert reports.client_names_for(world.people["admin"], [first.pk]) == {}
    assert "2 record views" in body
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    empty = client_for(world.people["admin"]).get(url, {"since": tomorrow, "until": tomorrow})
    assert "No client records opened" in empty.content.decode()
    bad = client_for(world.people["admin"]).get(url, {"since": "2025-02-01", "until": "2025-01-01"})
    assert bad.status_code == 400 and "end date is before" in bad.content.decode()
    csv_text = client_for(world.people["admin"]).get(url + "?format=csv").content.decode()
    assert csv_text.count("client.view") == 2


def test_report_pages_run_a_fixed_number_of_queries(world: World, client_for) -> None:
    enrollment = enroll(world)
    specialist = client_for(world.people["specialist"])
    admin = client_for(world.people["admin"])
    client_url = reverse("audit:client_report", kwargs={"enrollment_id": enrollment.pk})
    person_url = reverse("audit:person_report", kwargs={"person_id": world.people["specialist"].pk})
    counts = []
    for _ in range(2):
        for _ in range(3):
            _view(specialist, enrollment)
        with CaptureQueriesContext(connection) as a:
            assert admin.get(client_url).status_code == 200
        with CaptureQueriesContext(connection) as b:
            assert admin.get(person_url).status_code == 200
        counts.append((len(a), len(b)))
    assert counts[0] == counts[1]


def test_break_glass_gives_read_only_time_boxed_audited_access(world: World, client_for) -> None:
    other = enroll(world, program="p2", referrer="other_agency_director", supervisor=None, specialist=None)
    supervisor = world.people["supervisor"]
    client = client_for(supervisor)
    assert _view(client, other) == 404
    with pytest.raises(ValidationError) as exc:
        breakglass.breakglass_request(actor=supervisor, enrollment_id=other.pk, reason="", minutes=60)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        breakglass.breakglass_request(actor=supervisor, enrollment_id=other.pk, reason="covering program", minutes=600)
    assert "minutes" in exc.value.message_dict
    response = client.post(
        reverse("audit:breakglass_request"),
        {"enrollment_id": other.pk, "reason": "Covering Harbor's caseload today", "minutes": 60},
    )
    assert response.status_code == 302
    grant = BreakGlassGrant.objects.get()
    assert 59 <= (grant.ends_at - grant.starts_at).total_seconds() / 60 <= 60
    assert _view(client, other) == 200
    assert AuditEvent.objects.filter(action="breakglass.view", detail__enrollment=other.pk).count() == 1
    # Read only: every form on the record refuses.
    profile = reverse("clients:profile", kwargs={"enrollment_id": other.pk})
    assert client.get(profile).status_code == 403
    with pytest.raises(PermissionDenied):
        services.enrollment_close(actor=supervisor, enrollment=other, reason="moved", on=timezone.localdate())
    # The state team sees it flagged; the other state does not.
    listing = client_for(world.people["state_lead"]).get(reverse("audit:breakglass_list")).content.decode()
    assert "Covering Harbor" in listing and "supervisor" in listing
    assert (
        "Covering Harbor"
        not in client_for(world.people["other_state_lead"]).get(reverse("audit:breakglass_list")).content.decode()
    )
    assert panels(world.people["state_lead"])[0].context["active"] == 1
    assert panels(world.people["other_state_lead"])[0].context["active"] == 0
    assert panels(world.people["specialist"]) == []
    # It ends by itself.
    later = grant.ends_at + datetime.timedelta(seconds=1)
    assert grants.active_grant(supervisor, other.pk, now=later) is None
    with pytest.raises(AppendOnlyError):
        grant.save()


def test_break_glass_is_for_supervisors_and_admins_of_the_same_state(world: World, client_for) -> None:
    record = enroll(world)
    for name in ("specialist", "director", "state_lead", "counselor"):
        assert client_for(world.people[name]).get(reverse("audit:breakglass_request")).status_code == 403
    with pytest.raises(ValidationError) as exc:
        breakglass.breakglass_request(
            actor=world.people["other_state_admin"], enrollment_id=record.pk, reason="looking around", minutes=60
        )
    assert "No client record with that number" in str(exc.value)
    with pytest.raises(ValidationError):  # already visible to them
        breakglass.breakglass_request(
            actor=world.people["supervisor"], enrollment_id=record.pk, reason="already mine here", minutes=60
        )
    admin = client_for(world.people["admin"])
    assert _view(admin, record) == 403  # records withheld from the administrator
    bad = admin.post(reverse("audit:breakglass_request"), {"enrollment_id": record.pk, "reason": "", "minutes": 60})
    assert bad.status_code == 400
    admin.post(
        reverse("audit:breakglass_request"),
        {"enrollment_id": record.pk, "reason": "Investigating a complaint", "minutes": 15},
    )
    assert _view(admin, record) == 200
    report = admin.get(reverse("audit:client_report", kwargs={"enrollment_id": record.pk})).content.decode()
    assert "Break-glass" in report and "breakglass.view" in report
