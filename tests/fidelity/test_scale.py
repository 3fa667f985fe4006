import pytest

from ipshub.demo.scale import SCALES, generate
from ipshub.fidelity.models import ConsensusScore, Review
from ipshub.tenancy.models import Phase, Program

pytestmark = pytest.mark.django_db


def test_generated_reviews_follow_the_rule() -> None:
    counts = generate(SCALES["state"], progress=lambda line: None)
    ongoing = Program.objects.filter(phase=Phase.ONGOING).count()
    implementing = Program.objects.filter(phase=Phase.IMPLEMENTATION).count()
    assert counts["fidelity reviews"] == implementing + 2 * ongoing
    assert Review.objects.filter(status="delivered").count() == ongoing
    assert ConsensusScore.objects.count() == 25 * ongoing
    for review in Review.objects.filter(status="delivered")[:5]:
        assert review.team.count() == 2
