"""The fidelity panel of a program's hub (`/programs/<id>/`, web/program_hub.py): the last delivered review's
total and band, and the next review under way or scheduled, in three queries whatever the history."""

from urllib.parse import urlencode

from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.panels import ProgramPanel
from ipshub.fidelity import rules
from ipshub.fidelity.access import reviews_visible_to
from ipshub.fidelity.models import ConsensusScore, Review
from ipshub.tenancy.models import Person, Program


def panels(person: Person, program: Program) -> list[ProgramPanel]:
    reviews = reviews_visible_to(person).filter(program=program)
    delivered = reviews.filter(status=Review.Status.DELIVERED).order_by("-report_date", "-pk")
    last = delivered.select_related("scale").first()
    # The scores of that same review, asked by subquery so the panel costs the same queries with or without one.
    scores = list(
        ConsensusScore.objects.filter(review_id=Subquery(delivered.values("pk")[:1])).values_list("score", flat=True)
    )
    upcoming = reviews.filter(status__in=Review.OPEN_STATUSES).order_by("due_on", "pk").first()
    total = rules.total_of(scores, last.scale.bands or rules.DEFAULT_BANDS) if last else None
    today = timezone.localdate()
    return [
        ProgramPanel(
            key="fidelity",
            title=_("Fidelity"),
            url=reverse("fidelity:review_list") + "?" + urlencode({"due": "open", "q": program.name}),
            template="fidelity/_program_panel.html",
            figures={
                "last_review": None
                if last is None or total is None
                else {
                    "id": last.pk,
                    "kind": last.kind,
                    "report_date": last.report_date,
                    "total": total.estimate,
                    "is_estimate": total.is_estimate,
                    "band": total.band,
                },
                "next_review": None
                if upcoming is None
                else {
                    "id": upcoming.pk,
                    "kind": upcoming.kind,
                    "status": upcoming.status,
                    "due_on": upcoming.due_on,
                    "overdue": upcoming.due_on < today,
                },
            },
            context={"last": last, "upcoming": upcoming},
            order=30,
        )
    ]
