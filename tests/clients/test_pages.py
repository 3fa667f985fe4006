"""Pages: forms keep what was typed on bad input; lists and dashboards run a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.clients import reminders, services
from ipshub.clients.models import Client, Job
from tests.clients.factories import days_ago, employer, enroll, start_job

pytestmark = pytest.mark.django_db


def test_the_referral_form_refuses_a_future_date_and_keeps_what_was_typed(world, client_for) -> None:
    response = client_for(world.case_manager).post(
        reverse("clients:refer"),
        {
            "program": world.programs["p1"].pk,
            "first_name": "Ada",
            "last_name": "Byron",
            "birth_date": "1990-01-01",
            "referral_date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat(),
            "referral_source": "self",
            "referral_note": "Wants work with animals",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "can&#x27;t be in the future" in html or "can't be in the future" in html
    assert 'value="Ada"' in html and "Wants work with animals" in html
    assert not Client.objects.exists()


def test_the_job_end_form_refuses_an_end_before_the_start(world, client_for) -> None:
    enrollment = enroll(world)
    job = start_job(world.specialist, enrollment, employer(world), started=10)
    url = reverse("clients:job_end", kwargs={"enrollment_id": enrollment.pk, "job_id": job.pk})
    response = client_for(world.specialist).post(
        url, {"ended_on": days_ago(20).isoformat(), "end_reason": "quit", "end_note": "Moved house"}
    )
    assert response.status_code == 400
    assert "can&#x27;t end before it starts" in response.content.decode()
    assert "Moved house" in response.content.decode()
    job.refresh_from_db()
    assert job.ended_on is None


def test_the_job_start_form_refuses_negative_hours(world, client_for) -> None:
    enrollment = enroll(world)
    url = reverse("clients:job_start", kwargs={"enrollment_id": enrollment.pk})
    response = client_for(world.specialist).post(
        url,
        {
            "new_employer_name": "Corner Cafe",
            "title": "Barista",
            "job_type": "food",
            "started_on": days_ago(1).isoformat(),
            "hours_per_week": "-5",
            "hourly_wage": "16",
            "disclosure": "none",
        },
    )
    assert response.status_code == 400
    assert "can&#x27;t be negative" in response.content.decode()
    assert 'value="Corner Cafe"' in response.content.decode()
    assert not Job.objects.exists()


def test_every_client_page_renders_for_the_specialist(world, client_for) -> None:
    enrollment = enroll(world)
    job = start_job(world.specialist, enrollment, employer(world))
    c = client_for(world.specialist)
    ids = {"enrollment_id": enrollment.pk}
    for name in (
        "detail", "advance", "consent_add", "dvr_case", "profile", "benefits", "job_search_plan",
        "job_start", "education_add", "support_add",
    ):  # fmt: skip
        assert c.get(reverse(f"clients:{name}", kwargs=ids)).status_code == 200, name
    for name in ("job_change", "job_end", "job_next_help"):
        assert c.get(reverse(f"clients:{name}", kwargs={**ids, "job_id": job.pk})).status_code == 200, name
    for name in ("caseload", "employer_list", "contact_log", "contact_add", "refer", "dashboard_index"):
        assert c.get(reverse(f"clients:{name}")).status_code == 200, name
    # Supervisor-only steps are refused to the specialist.
    assert c.get(reverse("clients:assign", kwargs=ids)).status_code == 403
    assert c.get(reverse("clients:close", kwargs=ids)).status_code == 403


def test_job_ending_prompts_help_toward_the_next_job_and_a_due_item(world, client_for) -> None:
    enrollment = enroll(world)
    job = start_job(world.specialist, enrollment, employer(world), started=40)
    services.job_end(actor=world.specialist, job=job, ended_on=days_ago(1), end_reason="laid_off")
    html = client_for(world.specialist).get(reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk}))
    assert "offer help toward the next job within 3 days" in html.content.decode()
    items = reminders.due_items(world.specialist, datetime.date.today())
    next_job = [i for i in items if i.kind == "client_next_job"]
    assert next_job and next_job[0].due_on == days_ago(1) + datetime.timedelta(days=3)
    assert enrollment.client.first_name not in next_job[0].title
    services.job_next_help_record(actor=world.specialist, job=job, on=days_ago(0))
    assert not [i for i in reminders.due_items(world.specialist, datetime.date.today()) if i.kind == "client_next_job"]


def test_benefits_planning_is_prompted_before_a_start_and_after_a_pay_change(world) -> None:
    enrollment = enroll(world)
    today = datetime.date.today()
    assert any(i.kind == "client_benefits" for i in reminders.due_items(world.specialist, today))
    services.benefits_planning_record(
        actor=world.specialist, enrollment=enrollment, reason="before_start", offered_on=days_ago(20)
    )
    assert not any(i.kind == "client_benefits" for i in reminders.due_items(world.specialist, today))
    job = start_job(world.specialist, enrollment, employer(world), started=10)
    services.job_change(
        actor=world.specialist,
        job=job,
        changed_on=days_ago(2),
        title=job.title,
        hours_per_week=30,
        hourly_wage=18,
    )
    changed = [i for i in reminders.due_items(world.specialist, today) if i.key.startswith("client_benefits_change")]
    assert len(changed) == 1


def _fill(world, n: int) -> None:
    bakery = employer(world, name=f"Bakery {n}")
    for k in range(n):
        e = enroll(world, specialist="specialist" if k % 2 else None, supervisor="supervisor" if k % 2 else None)
        if k % 2:
            start_job(world.specialist, e, bakery, started=5)
            services.employer_contact_log(
                actor=world.specialist,
                program=world.programs["p1"],
                employer=bakery,
                enrollment=e,
                contacted_on=days_ago(1),
                purpose="client",
            )
            services.support_contact_log(
                actor=world.specialist, enrollment=e, contacted_on=days_ago(1), kind="phone", setting="office"
            )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["supervisor", "specialist"])
def test_caseload_dashboard_contact_log_and_home_run_a_fixed_number_of_queries(world, client_for, who) -> None:
    c = client_for(world.people[who])
    urls = [
        reverse("clients:caseload"),
        reverse("clients:dashboard", kwargs={"program_id": world.programs["p1"].pk}),
        reverse("clients:contact_log"),
        reverse("home"),
    ]
    _fill(world, 3)
    small = [_queries(c, url) for url in urls]
    _fill(world, 30)
    large = [_queries(c, url) for url in urls]
    assert small == large


def test_caseload_search_and_pagination(world, client_for) -> None:
    for k in range(27):
        enroll(world, first=f"Person{k:02d}", last="Zed" if k == 5 else "Tester")
    c = client_for(world.supervisor)
    page = c.get(reverse("clients:caseload"))
    assert page.context["page_obj"].paginator.count == 27 and len(page.context["page_obj"]) == 25
    # The search POSTs: the name stays out of the URL, which carries a random key instead.
    redirected = c.post(reverse("clients:caseload"), {"q": "zed", "status": "open"})
    assert redirected.status_code == 302 and "zed" not in redirected["Location"].lower()
    assert "s=" in redirected["Location"] and "status=open" in redirected["Location"]
    found = c.get(redirected["Location"])
    assert [e.client.first_name for e in found.context["page_obj"]] == ["Person05"]
    assert found.context["q"] == "zed"
    # The key means nothing in another session, and ?q= in a URL is not a search.
    assert client_for(world.supervisor).get(redirected["Location"]).context["page_obj"].paginator.count == 27
    assert c.get(reverse("clients:caseload"), {"q": "zed"}).context["page_obj"].paginator.count == 27


def test_the_dashboard_counts_the_units_work(world, client_for) -> None:
    enrollment = enroll(world, referred=50)
    bakery = employer(world)
    services.employer_contact_log(
        actor=world.specialist,
        program=world.programs["p1"],
        employer=bakery,
        enrollment=enrollment,
        contacted_on=days_ago(40),
        purpose="client",
    )
    job = start_job(world.specialist, enrollment, bakery, started=20)
    services.job_end(actor=world.specialist, job=job, ended_on=days_ago(5), end_reason="quit")
    start_job(world.specialist, enrollment, bakery, started=2)
    board = (
        client_for(world.supervisor)
        .get(reverse("clients:dashboard", kwargs={"program_id": world.programs["p1"].pk}))
        .context["board"]
    )
    row = next(r for r in board.rows if r.name == str(world.specialist))
    assert (row.caseload, row.working, row.job_starts, row.job_endings, row.contacts) == (1, 1, 2, 1, 1)
    assert row.median_first_contact == 10
    assert board.unit.job_starts == 2
