"""Employer contacts show whether they follow the client's preferences (#26, fidelity item 16): a column in
words (never colour alone) on the contact log, the employer's page and the client's record; a field in the API."""

import pytest
from django.urls import reverse

from ipshub.clients import services
from tests.clients import factories
from tests.fidelity.factories import days

pytestmark = pytest.mark.django_db


def _contacts(world):  # type: ignore[no-untyped-def]
    enrollment = factories.enroll(world)
    employer = factories.employer(world)
    for flag, outcome in ((True, "FOLLOWED-IT"), (False, "DID-NOT"), (None, "BLANK-FLAG")):
        services.employer_contact_log(
            actor=world.specialist,
            program=world.programs["p1"],
            contacted_on=days(-1),
            purpose="client",
            employer=employer,
            enrollment=enrollment,
            outcome=outcome,
            follows_preferences=flag,
        )
    return enrollment, employer


def test_the_lists_show_the_flag_in_words(world, client_for) -> None:
    enrollment, employer = _contacts(world)
    client = client_for(world.specialist)
    for url in (
        reverse("clients:contact_log"),
        reverse("clients:employer_detail", args=[employer.pk]),
        f"/clients/{enrollment.pk}/record/employer-contacts/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        body = page.content.decode()
        assert "Follows the client's preferences" in body, url
        assert 'data-label="Follows the client\'s preferences"' in body, url
        for shown in ('<span class="usa-tag bg-green">Yes</span>', '<span class="usa-tag bg-base-dark">No</span>'):
            assert shown in body, (url, shown)
        assert "Not recorded" in body, url
