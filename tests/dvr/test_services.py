"""Authorize → report → return → correct → accept → earned; bad input refused with nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipshub.audit.models import AuditEvent
from ipshub.dvr import selectors, services
from ipshub.dvr.models import Authorization, CatalogVersion, DeliverableReport, Extension, Milestone
from tests.clients.factories import days_ago
from tests.dvr.factories import authorize, hired, report_data, shared_client

pytestmark = pytest.mark.django_db


def test_the_full_flow_earns_the_amount_from_the_rule(world) -> None:
    enrollment = shared_client(world)
    job = hired(world, enrollment, started=20)  # 20 h/week, started 20 days after the authorization
    authorization = authorize(world, enrollment, started=40)
    assert authorization.provider == world.orgs["provider1"]
    assert authorization.catalog.version == 1
    data = report_data(authorization)
    assert data["employer_name"] == "Cedar Bakery"
    assert data["hire_on"] == job.started_on
    assert data["hours_per_week"] == Decimal("20") and data["hourly_wage"] == Decimal("16.50")
    specialist, counselor = world.people["specialist"], world.people["counselor"]
    services.report_submit(actor=specialist, authorization=authorization, data=data)
    services.report_review(actor=counselor, authorization=authorization, accept=False, comments="Add the wage.")
    report = DeliverableReport.objects.get()
    assert report.status == DeliverableReport.Status.RETURNED
    assert not Milestone.objects.exists()
    services.report_submit(
        actor=specialist, authorization=authorization, data={**data, "summary": "Corrected summary."}
    )
    services.report_review(actor=counselor, authorization=authorization, accept=True, comments="")
    milestone = Milestone.objects.get()
    assert milestone.amount == Decimal("1800.00")  # 20 h/week and hired within 90 days
    assert "hours per week at least 20" in milestone.explanation
    authorization.refresh_from_db()
    assert authorization.status == Authorization.Status.EARNED
    assert {"dvr.authorize", "dvr.report_submit", "dvr.report_return", "dvr.report_accept"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_the_earned_amount_is_capped_at_the_authorized_amount(world) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    authorization = authorize(world, enrollment, amount="1000")
    services.report_submit(
        actor=world.people["specialist"], authorization=authorization, data=report_data(authorization)
    )
    services.report_review(actor=world.people["counselor"], authorization=authorization, accept=True, comments="")
    milestone = Milestone.objects.get()
    assert milestone.amount == Decimal("1000")
    assert "capped" in milestone.explanation


def _refused(authorization, field: str, message: str, **data) -> None:
    with pytest.raises(ValidationError) as caught:
        services.report_submit(actor=authorization.counselor, authorization=authorization, data=data)
    assert field in caught.value.message_dict
    assert message in caught.value.message_dict[field][0]
    assert not DeliverableReport.objects.filter(authorization=authorization).exists()


def test_a_report_for_an_expired_authorization_is_refused(world) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    authorization = authorize(world, enrollment, started=100, ends_in=-1)
    _refused(authorization, "completed_on", "Ask the DVR counselor to extend", **report_data(authorization))


def test_units_beyond_the_authorization_are_refused(world) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    authorization = authorize(world, enrollment, units="10")
    _refused(authorization, "units_used", "more than the 10", **report_data(authorization, units_used=Decimal("10.5")))


def test_a_hire_before_the_authorization_is_refused(world) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment, started=50)
    authorization = authorize(world, enrollment, started=40)
    _refused(authorization, "hire_on", "before the authorization started", **report_data(authorization))


def test_an_extension_reopens_reporting_and_keeps_history(world) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    authorization = authorize(world, enrollment, started=100, ends_in=-1)
    with pytest.raises(ValidationError) as caught:
        services.authorization_extend(
            actor=world.people["counselor"],
            authorization=authorization,
            ends_on=days_ago(5),
            added_units=Decimal(0),
            reason="More time",
        )
    assert "on or after the current end" in caught.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.authorization_extend(
            actor=world.people["counselor"],
            authorization=authorization,
            ends_on=days_ago(-30),
            added_units=Decimal(2),
            reason=" ",
        )
    assert "reason" in caught.value.message_dict
    assert not Extension.objects.exists()
    services.authorization_extend(
        actor=world.people["counselor"],
        authorization=authorization,
        ends_on=days_ago(-30),
        added_units=Decimal(2),
        reason="Employer delayed the start",
    )
    authorization.refresh_from_db()
    assert authorization.units == Decimal("12")
    services.report_submit(
        actor=world.people["specialist"], authorization=authorization, data=report_data(authorization)
    )


def test_authorize_refuses_end_before_start_and_unknown_service(world) -> None:
    enrollment = shared_client(world)
    with pytest.raises(ValidationError) as caught:
        services.authorization_create(
            actor=world.people["counselor"],
            enrollment=enrollment,
            dvr_office=world.orgs["dvr1"],
            service_code="massage",
            starts_on=days_ago(0),
            ends_on=days_ago(1),
            units=Decimal(1),
            amount=Decimal(100),
        )
    assert set(caught.value.message_dict) == {"service_code", "ends_on"}
    assert not Authorization.objects.exists()


def test_a_catalog_change_is_a_new_version_and_never_alters_past_authorizations(world) -> None:
    enrollment = shared_client(world)
    before = authorize(world, enrollment, service="career_profile")
    current = services.catalog_current(world.state_a)
    text = selectors.catalog_text(current).replace("amount: '500.00'", "amount: '650.00'")
    new = services.catalog_update(actor=world.people["admin"], state=world.state_a, text=text, note="Rate rise")
    assert new.version == 2 and CatalogVersion.objects.filter(state=world.state_a).count() == 2
    after = authorize(world, enrollment, service="career_profile")
    before.refresh_from_db()
    assert before.payment_rule["amount"] == "500.00" and before.catalog.version == 1
    assert after.payment_rule["amount"] == "650.00" and after.catalog.version == 2
    with pytest.raises(ValidationError) as caught:
        services.catalog_update(actor=world.people["admin"], state=world.state_a, text="services: [", note="x")
    assert "not valid YAML" in caught.value.message_dict["text"][0]
    assert CatalogVersion.objects.filter(state=world.state_a).count() == 2


def test_career_profile_report_pays_the_fixed_amount_and_due_dates(world) -> None:
    from ipshub.dvr import selectors

    enrollment = shared_client(world)
    authorization = authorize(world, enrollment, service="job_development_plan", started=10)
    assert selectors.due_on(authorization) == days_ago(10) + datetime.timedelta(days=30)
    services.report_submit(
        actor=world.people["specialist"],
        authorization=authorization,
        data=report_data(authorization, summary="Goal: baker. Targets: three bakeries.", units_used=Decimal(3)),
    )
    services.report_review(actor=world.people["counselor"], authorization=authorization, accept=True, comments="")
    authorization.refresh_from_db()
    assert Milestone.objects.get().amount == Decimal("600.00")
    assert selectors.due_on(authorization) == timezone.localdate() + datetime.timedelta(days=90)


def test_due_dates_count_from_the_local_day_not_utcs(world) -> None:
    """Reviewed at 8 pm in Chicago, 2 am the next day in UTC: the plan review counts from the local day."""
    from ipshub.dvr import selectors
    from ipshub.dvr.models import DeliverableReport

    enrollment = shared_client(world)
    authorization = authorize(world, enrollment, service="job_development_plan", started=10)
    services.report_submit(
        actor=world.people["specialist"],
        authorization=authorization,
        data=report_data(authorization, summary="Goal: baker.", units_used=Decimal(3)),
    )
    services.report_review(actor=world.people["counselor"], authorization=authorization, accept=True, comments="")
    evening = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
    assert timezone.localdate(evening) == datetime.date(2026, 11, 22)
    DeliverableReport.objects.filter(authorization=authorization).update(reviewed_at=evening)
    authorization = type(authorization).objects.select_related("report").get(pk=authorization.pk)
    assert selectors.due_on(authorization) == datetime.date(2026, 11, 22) + datetime.timedelta(days=90)
