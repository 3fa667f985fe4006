import pytest

from ipshub.catalog.services import catalog_load
from ipshub.collaboration.models import Meeting, MentoringSession, TAActivity, TrainingCompletion
from ipshub.demo.demo_state import build_demo_state


@pytest.mark.django_db
def test_the_demo_builds_collaboration_records() -> None:
    catalog_load()
    build_demo_state()
    assert Meeting.objects.filter(series__program__name="Pine County IPS").count() > 20
    assert Meeting.objects.filter(series__program=None).count() == 1
    assert TrainingCompletion.objects.count() == 8
    assert MentoringSession.objects.count() == 3
    assert TAActivity.objects.count() == 4


@pytest.mark.django_db
def test_the_county_scale_adds_meetings() -> None:
    from ipshub.demo.scale import SCALES, generate

    counts = generate(SCALES["county"], progress=lambda _: None)
    assert counts["meetings"] == 24
    assert Meeting.objects.count() == 24
