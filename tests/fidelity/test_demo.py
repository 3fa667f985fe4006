import pytest
from django.core.management import call_command
from django.utils import timezone

from ipshub.demo.demo_state import DEMO_LOGINS
from ipshub.fidelity.access import reviewer_program_ids
from ipshub.fidelity.comparison import comparison_for
from ipshub.fidelity.models import ActionItem, Review, SelfAssessment
from ipshub.fidelity.selectors import review_total
from ipshub.tenancy.models import Person, Program

pytestmark = pytest.mark.django_db


def test_demo_reviews(capsys, demo: None) -> None:
    pine = Review.objects.get(program__name="Pine County IPS", kind="baseline")
    assert pine.status == "delivered"
    assert {m.person.username for m in pine.team.all()} == {"reviewer", "reviewer2"}
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
    assert steps["self_assessment"].done_note.startswith("Scored on paper")  # marked by hand, saying how
    assert steps["visit"].due_on == red_cedar.visit_day_1
    reviewer = Person.objects.get(username="reviewer")
    reading = {Program.objects.get(name=name).pk for name in ("Red Cedar Nation IPS", "Lake County IPS")}
    assert reviewer_program_ids(reviewer) == reading
    # #26: Lake County's baseline is being scored: the lead has submitted, the second reviewer (a demo sign-in)
    # has scored 14 items, so scoring and consensus can be tried.
    lake = Review.objects.get(program__name="Lake County IPS")
    assert lake.status == "scoring"
    assert {m.person.username: m.scores_submitted_at is not None for m in lake.team.all()} == {
        "reviewer": True,
        "reviewer2": False,
    }
    assert lake.reviewer_scores.filter(reviewer__username="reviewer2").count() == 14
    assert "reviewer2" in {login.username for login in DEMO_LOGINS}
    call_command("fidelity_pdf_bench", "--repeat", "1")
    out = capsys.readouterr().out
    assert "Pine County IPS" in out and " s" in out


def test_demo_estimate_computes_thirteen_items_from_coherent_records(demo: None) -> None:
    """Issue 26: the demo's running estimate scores every computed item (part-time F. Lopez, contacts with
    settings and preference flags, benefits planning, profile updates and closures)."""
    import datetime

    from django.utils import timezone

    from ipshub.fidelity import evidence_records
    from ipshub.fidelity.scales import current_scale

    pine = Program.objects.get(name="Pine County IPS")
    first, last = evidence_records.default_period(timezone.localdate())
    estimate = evidence_records.program_estimate(pine, first, last, current_scale())
    rows = {r.number: r for r in estimate.rows}
    assert estimate.computed == 13
    assert len(estimate.scored) == 13, {n: r.evidence.basis for n, r in rows.items() if r.evidence.score is None}
    assert rows[1].evidence.figures["fte"] == 1.6  # Jamie Patel full time, F. Lopez at 0.6
    assert all(r.anchor for r in estimate.scored)
    assert datetime.date.today() >= first


def test_demo_self_assessments(demo: None) -> None:
    """Pine County scored itself twice; the latest is above the last review on some items, below on a few."""
    pine = Program.objects.get(name="Pine County IPS")
    assert SelfAssessment.objects.filter(program=pine).count() == 2
    result = comparison_for(pine, timezone.localdate())
    assert result.review is not None and result.assessment is not None
    assert len(result.higher_than_review) == 8 and len(result.lower_than_review) == 2
    assert 12 in [r.item.number for r in result.disagreements]  # the benefits planner hired since the review
