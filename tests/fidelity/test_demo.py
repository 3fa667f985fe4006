import pytest
from django.core.management import call_command

from ipshub.fidelity.access import reviewer_program_ids
from ipshub.fidelity.models import ActionItem, Review
from ipshub.fidelity.selectors import review_total
from ipshub.tenancy.models import Person, Program

pytestmark = pytest.mark.django_db


def test_demo_reviews(capsys, demo: None) -> None:
    pine = Review.objects.get(program__name="Pine County IPS", kind="baseline")
    assert pine.status == "delivered"
    assert {m.person.username for m in pine.team.all()} == {"reviewer", "awhite"}
    total = review_total(pine)
    assert (total.unrated, total.rated_total) == (1, 90)
    assert ActionItem.objects.filter(review=pine).count() == 3
    assert pine.deliveries.count() == 3
    # Two follow-ups delivered since, each with its agenda and action plan; the next one planned, its date moved.
    reviews = list(Review.objects.filter(program__name="Pine County IPS").order_by("created_at"))
    assert [r.status for r in reviews] == ["delivered", "delivered", "delivered", "planned"]
    assert [r.kind for r in reviews] == ["baseline", "follow_up", "follow_up", "follow_up"]
    latest, upcoming = reviews[2], reviews[3]
    assert latest.agenda.filter(activity="employer_contact").exists() and latest.invitees.count() == 3
    assert latest.actions.filter(steering_reviewed_on__isnull=False).exists()
    assert upcoming.date_changes.exists() and upcoming.invitees.count() == 2
    red_cedar = Review.objects.get(program__name="Red Cedar Nation IPS")
    assert red_cedar.status == "planned" and red_cedar.agenda.count() == 11
    # Its preparation (issue #26): half the checklist answered, some steps done, others late.
    checklist = list(red_cedar.document_requests.all())
    assert len(checklist) == 6 and sum(r.is_answered for r in checklist) == 3
    assert sum(r.uploads.count() for r in checklist) == 2
    steps = {t.key: t for t in red_cedar.prep_tasks.all()}
    assert {k for k, t in steps.items() if t.is_done} == {"kickoff", "self_assessment", "agenda"}
    assert steps["visit"].due_on == red_cedar.visit_day_1
    reviewer = Person.objects.get(username="reviewer")
    assert reviewer_program_ids(reviewer) == {Program.objects.get(name="Red Cedar Nation IPS").pk}
    call_command("fidelity_pdf_bench", "--repeat", "1")
    out = capsys.readouterr().out
    assert "Pine County IPS" in out and " s" in out
