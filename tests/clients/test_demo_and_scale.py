"""The Westmark demo's client records, and generated client histories at the county scale."""

import datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from ipshub.catalog.services import catalog_load
from ipshub.clients import access
from ipshub.clients.models import Client, EmployerContact, Enrollment, Job, Status, SupportContact
from ipshub.demo.demo_state import build_demo_state
from ipshub.demo.scale import SCALES, generate
from ipshub.tenancy.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_sign_in_something_to_see() -> None:
    catalog_load()
    build_demo_state()
    specialist = Person.objects.get(username="specialist")
    counselor = Person.objects.get(username="counselor")
    assert 25 <= Client.objects.count() <= 40
    assert access.enrollments_visible_to(specialist).count() >= 10
    assert access.enrollments_visible_to(Person.objects.get(username="flopez")).count() >= 10
    assert 3 <= access.dvr_enrollments_visible_to(counselor).count() <= 10
    assert Job.objects.filter(ended_on__isnull=True).exists() and Job.objects.filter(ended_on__isnull=False).exists()
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


def test_the_county_scale_generates_realistic_histories() -> None:
    counts = generate(SCALES["county"], progress=lambda _: None)
    # The seed is fixed, so the one county program is past "prior to implementation" and has clients.
    assert counts["clients"] == Client.objects.count() == Enrollment.objects.count() == 60
    assert EmployerContact.objects.count() > 100
    assert Job.objects.exists() and SupportContact.objects.exists()
    assert not Job.objects.filter(started_on__gt=datetime.date.today()).exists()
    assert Enrollment.objects.exclude(status=Status.RECEIVED).exists()
