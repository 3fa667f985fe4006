"""The Westmark demo's client records, and generated client histories at the county scale."""

import datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from ipshub.clients import access, caseload
from ipshub.clients.checks import implausible
from ipshub.clients.demo import NEEDS_ATTENTION
from ipshub.clients.models import (
    Client,
    ClientDocument,
    EmployerContact,
    Enrollment,
    EnrollmentEvent,
    Job,
    ProgressNote,
    Status,
    SupportContact,
)
from ipshub.demo.scale import SCALES, generate
from ipshub.tenancy.models import MinimumWage, Person
from ipshub.tenancy.wages import applicable_minimum_wage

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_sign_in_something_to_see(demo: None) -> None:
    specialist = Person.objects.get(username="specialist")
    counselor = Person.objects.get(username="counselor")
    assert 25 <= Client.objects.count() <= 40
    assert MinimumWage.objects.filter(state__name="Westmark").count() >= 2
    assert access.enrollments_visible_to(specialist).count() >= 10
    assert access.enrollments_visible_to(Person.objects.get(username="flopez")).count() >= 10
    assert 3 <= access.dvr_enrollments_visible_to(counselor).count() <= 10
    assert Job.objects.filter(ended_on__isnull=True).exists() and Job.objects.filter(ended_on__isnull=False).exists()
    # The caseload's "needs attention" names the demo's three stories, each for its reason, and no one else.
    today = datetime.date.today()
    rows = caseload.annotated(Enrollment.objects.all(), today).filter(attention_count__gt=0)
    flagged = {e.client.last_name: {r.key for r in caseload.reasons(e, today)} for e in rows}
    assert flagged == {
        "Abernathy": {"no_contact", "no_employer_contact"},
        "Ashworth": {"job_ended"},
        "Obi": {"no_employer_contact"},
    }
    assert set(flagged) == set(NEEDS_ATTENTION)
    hart = EnrollmentEvent.objects.filter(enrollment__client__last_name="Hart", kind="assign").exclude(from_value="")
    assert hart.get().reason.startswith("Frankie covers the east side")
    for username in ("specialist", "supervisor", "director", "counselor"):
        c = HttpClient()
        c.force_login(Person.objects.get(username=username))
        assert c.get(reverse("home")).status_code == 200
        enrollment = (
            access.dvr_enrollments_visible_to(counselor).first()
            if username == "counselor"
            else access.enrollments_visible_to(Person.objects.get(username=username)).first()
        )
        assert c.get(reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk})).status_code == 200
    # What a new specialist tries first in the search box (issue 18): their client, an employer, a street name.
    c = HttpClient()
    c.force_login(specialist)
    for query, kind, title in (
        ("fischer", "Client", "Lena Fischer"),
        ("bakery", "Employer", "Cedar Street Bakery"),
        ("Cedar", "Employer", "Cedar Street Bakery"),
    ):
        found = c.post(reverse("search"), {"q": query}, follow=True).context["found"]
        assert (kind, title) in [(r.kind, r.title) for r in found.results], query
    _jobs_are_coherent_with_the_minimum_wage()
    _the_case_file_tells_its_story(counselor)


def _the_case_file_tells_its_story(counselor: Person) -> None:
    """Notes by the client's own specialist, in the last weeks; the counselor sees Hannah's shared note and her
    DVR plan only (her consent is active), and every demo document is a real PDF on disk."""
    hannah = Enrollment.objects.get(client__last_name="Brightwater")
    notes = ProgressNote.objects.filter(enrollment__program=hannah.program)
    assert notes.count() >= 6 and all(n.author_id == n.enrollment.specialist_id for n in notes)
    assert all(0 <= (datetime.date.today() - n.happened_on).days <= 35 for n in notes)
    c = HttpClient()
    c.force_login(counselor)
    html = c.get(reverse("clients:record_notes", kwargs={"enrollment_id": hannah.pk})).content.decode()
    assert "Joint meeting with the DVR counselor" in html and "Treatment team meeting" not in html
    documents = c.get(reverse("clients:record_documents", kwargs={"enrollment_id": hannah.pk})).context["page_obj"]
    assert [d.kind for d in documents] == ["dvr_plan"]
    for document in ClientDocument.objects.all():
        with document.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"


def _jobs_are_coherent_with_the_minimum_wage() -> None:
    """No competitive job below the minimum wage of its start date, no unusual hours or wages."""
    jobs = list(Job.objects.select_related("enrollment__program__state"))
    assert jobs
    for job in jobs:
        applicable = applicable_minimum_wage(job.enrollment.program.state, job.started_on)
        assert not job.is_competitive or job.hourly_wage >= applicable.rate, (job.pk, job.hourly_wage, applicable)
        assert not implausible(job.hours_per_week, job.hourly_wage), job.pk


def test_the_county_scale_generates_realistic_histories() -> None:
    counts = generate(SCALES["county"], progress=lambda _: None)
    # The seed is fixed, so the one county program is past "prior to implementation" and has clients.
    assert counts["clients"] == Client.objects.count() == Enrollment.objects.count() == 60
    assert EmployerContact.objects.count() > 100
    assert Job.objects.exists() and SupportContact.objects.exists()
    assert not Job.objects.filter(started_on__gt=datetime.date.today()).exists()
    assert Enrollment.objects.exclude(status=Status.RECEIVED).exists()
    _jobs_are_coherent_with_the_minimum_wage()
