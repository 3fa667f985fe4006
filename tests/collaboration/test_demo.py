import pytest
from django.utils import timezone

from ipshub.collaboration.models import Meeting, MeetingKind, MentoringSession, TAActivity, TrainingCompletion
from ipshub.implementation.models import Assignment, ItemStatus


@pytest.mark.django_db
def test_the_demo_builds_collaboration_records(demo: None) -> None:
    pine = Meeting.objects.filter(series__program__name="Pine County IPS")
    assert pine.count() > 20
    # The four parties' planning meeting, and a steering committee meeting in each quarter of the last year.
    assert pine.filter(series__kind=MeetingKind.PLANNING, attendances__status="attended").count() == 5
    steering = pine.filter(series__kind=MeetingKind.STEERING).values_list("date", flat=True)
    assert len({(d.year, (d.month - 1) // 3) for d in steering}) >= 4
    # Statewide: the supervisors' meeting and the webinar each quarter, and the next supervisors' meeting.
    statewide = Meeting.objects.filter(series__program=None)
    assert statewide.filter(series__kind=MeetingKind.SUPERVISORS).count() >= 5
    assert statewide.filter(series__kind=MeetingKind.WEBINAR).count() >= 4
    assert TrainingCompletion.objects.filter(course="annual_conference").count() >= 3
    assert MentoringSession.objects.count() == 3
    assert TAActivity.objects.filter(program__name="Pine County IPS").count() >= 7


@pytest.mark.django_db
def test_the_county_scale_adds_meetings() -> None:
    from ipshub.demo.scale import SCALES, generate

    counts = generate(SCALES["county"], progress=lambda _: None)
    assert counts["meetings"] == 24
    assert Meeting.objects.count() == 24


MINE = ("meeting.", "training.", "ta.", "fidelity.")


@pytest.mark.django_db
def test_pine_countys_duties_that_these_records_fulfil_are_done_but_for_what_is_still_to_come(demo: None) -> None:
    """In a fresh demo, every Pine County assignment fulfilled by meetings, training, technical assistance or
    fidelity records is done with its links, or not yet due (this quarter's webinar, the next review's visit)."""
    today = timezone.localdate()
    pine = Assignment.objects.filter(program__name="Pine County IPS").select_related("responsibility")
    mine = [a for a in pine if any(k.startswith(MINE) for k in a.responsibility.fulfilment.get("by", []))]
    assert len(mine) > 80
    overdue = [
        (a.responsibility.key, a.period_key, a.due_on)
        for a in mine
        if a.status in (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS) and a.due_on < today
    ]
    assert overdue == []
    done = [a for a in mine if a.status == ItemStatus.DONE]
    assert len(done) > 0.8 * len(mine)
    assert all(a.fulfilled_by for a in done)
