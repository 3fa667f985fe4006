"""The audit report CSV with a username that starts like a formula (Django's usernames may start with - + @):
read back, it is quoted as text, and the time column is a date-time (#20)."""

import pytest
from django.urls import reverse

from tests.clients.factories import enroll
from tests.exports import check_csv, csv_rows, neutralised_texts
from tests.world import World

pytestmark = pytest.mark.django_db


def test_who_saw_this_client_quotes_a_formula_like_username(world: World, client_for) -> None:
    enrollment = enroll(world)
    specialist = world.people["specialist"]
    specialist.username = "-2+1"
    specialist.save(update_fields=["username"])
    view = client_for(specialist).get(reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk}))
    assert view.status_code == 200
    url = reverse("audit:client_report", kwargs={"enrollment_id": enrollment.pk}) + "?format=csv"
    rows = csv_rows(client_for(world.state_lead).get(url))
    check_csv(rows, planted=["username"], dates=["when"])
    assert "-2+1" in neutralised_texts(rows)
