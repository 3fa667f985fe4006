"""Fidelity reviewers read a program's client records during the review window only: never change them,
and every view is audited. (Client services and fidelity together.)"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ipshub.audit.models import AuditEvent
from tests.clients.factories import enroll
from tests.fidelity.factories import planned_review

pytestmark = pytest.mark.django_db

WRITES = [
    "advance",
    "assign",
    "close",
    "consent_add",
    "profile",
    "benefits",
    "job_start",
    "education_add",
    "support_add",
]


def test_reviewer_reads_during_the_window_and_writes_nothing(world, client_for) -> None:
    review = planned_review(world)  # before the first referral, which would schedule the baseline itself
    enrollment = enroll(world)
    reviewer = client_for(world.reviewer)
    detail = reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk})

    before = AuditEvent.objects.filter(action="client.view", actor=world.reviewer).count()
    assert reviewer.get(detail).status_code == 200
    assert AuditEvent.objects.filter(action="client.view", actor=world.reviewer).count() == before + 1
    for name in WRITES:
        url = reverse(f"clients:{name}", kwargs={"enrollment_id": enrollment.pk})
        assert reviewer.post(url, {}).status_code == 403, name

    # After the window closes, access ends by itself.
    after = datetime.datetime.combine(review.window_closes + datetime.timedelta(days=1), datetime.time(12))
    with time_machine.travel(timezone.make_aware(after), tick=False):
        assert client_for(world.reviewer).get(detail).status_code == 403
