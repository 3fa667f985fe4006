"""Pages: access (404 outsiders, 403 read-only), failed posts keep what was typed, fixed query counts."""

import datetime

import pytest

from ipshub.collaboration import access as collab_access
from ipshub.collaboration import services
from ipshub.collaboration.models import Meeting, MeetingKind
from tests.collaboration.factories import meeting, series, start_implementation

D = datetime.date


@pytest.mark.django_db
def test_outsiders_see_no_series_meetings_mentoring_or_training(world) -> None:
    s = series(world)
    meeting(world, s, D(2025, 3, 3), attendees=("supervisor",))
    services.mentoring_log(
        actor=world.supervisor,
        program=world.programs["p1"],
        specialist=world.specialist,
        date=D(2025, 3, 3),
        activity="employer_visits",
        feedback="ok",
    )
    services.training_record(
        actor=world.specialist,
        membership=world.specialist.memberships.get(),
        course="ips_initial",
        completed_on=D(2025, 1, 1),
    )
    for name in ("other_agency_director", "other_agency_specialist", "other_state_lead", "other_state_admin"):
        person = world.people[name]
        assert not collab_access.series_visible_to(person).exists(), name
        assert not collab_access.meetings_visible_to(person).exists(), name
        assert not collab_access.mentoring_visible_to(person).exists(), name
        assert not collab_access.completions_visible_to(person).exists(), name
    # Mentoring is staff supervision: DVR counselors and case managers of the program don't see it.
    assert not collab_access.mentoring_visible_to(world.counselor).exists()
    assert collab_access.mentoring_visible_to(world.director).exists()
    assert collab_access.mentoring_visible_to(world.specialist).exists()


@pytest.mark.django_db
def test_read_only_members_get_403_on_writes(world, client_for) -> None:
    p1 = world.programs["p1"]
    assert client_for(world.director).post(f"/collaboration/programs/{p1.pk}/mentoring/", {}).status_code == 403
    assert (
        client_for(world.supervisor).post(f"/collaboration/programs/{p1.pk}/technical-assistance/", {}).status_code
        == 403
    )
    assert client_for(world.director).get(f"/collaboration/programs/{p1.pk}/mentoring/").status_code == 200


@pytest.mark.django_db
def test_a_failed_meeting_post_keeps_what_was_typed(world, client_for) -> None:
    s = series(world)
    client = client_for(world.supervisor)
    response = client.post(
        f"/collaboration/series/{s.pk}/meetings/new/",
        {
            "date": "2025-03-03",
            "starts_at": "10:00",
            "ends_at": "09:00",
            "agenda": "Job leads",
            "attendees": [world.trainer.pk, world.other_agency_specialist.pk],
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "before or when it starts" in content
    assert "Job leads" in content
    response = client.post(
        f"/collaboration/series/{s.pk}/meetings/new/",
        {
            "date": "2025-03-03",
            "starts_at": "10:00",
            "ends_at": "11:00",
            "attendees": [world.other_agency_specialist.pk],
        },
    )
    # The supervisor can't see people of other agencies, so the choice itself is refused.
    assert response.status_code == 400
    lead = client_for(world.state_lead)
    response = lead.post(
        f"/collaboration/series/{s.pk}/meetings/new/",
        {
            "date": "2025-03-03",
            "starts_at": "10:00",
            "ends_at": "11:00",
            "attendees": [world.other_agency_specialist.pk],
        },
    )
    assert response.status_code == 400
    assert "attendees must belong to Program P1&#x27;s partner organizations" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_future_training_completion_gets_a_clear_message(world, client_for) -> None:
    client = client_for(world.specialist)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(
        "/collaboration/training/new/",
        {
            "membership": world.specialist.memberships.get().pk,
            "course": "ips_initial",
            "completed_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "can&#x27;t be in the future" in response.content.decode()


@pytest.mark.django_db
def test_the_program_page_shows_the_cadence_indicator(world, client_for) -> None:
    start_implementation(world.programs["p1"], datetime.date.today() - datetime.timedelta(days=3))
    response = client_for(world.trainer).get(f"/collaboration/programs/{world.programs['p1'].pk}/")
    assert response.status_code == 200
    assert 'data-check="trainer_unit"' in response.content.decode()


def _grow(world, n: int) -> None:
    for kind in (MeetingKind.IPS_UNIT, MeetingKind.TREATMENT_TEAM):
        s = series(world, kind)
        for i in range(n):
            meeting(world, s, D(2025, 3, 1) + datetime.timedelta(days=i), attendees=("trainer", "supervisor"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/collaboration/",
        "/collaboration/training/",
        "/collaboration/reminders/",
        "/collaboration/programs/{p1}/",
    ],
)
def test_pages_run_a_fixed_number_of_queries(world, client_for, url) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 1))
    client = client_for(world.trainer)
    url = url.format(p1=world.programs["p1"].pk)
    _grow(world, 2)
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 30)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), url
