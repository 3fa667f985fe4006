import datetime
from typing import Any

from django.db.models import CharField, F, IntegerField, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from ipshub.fidelity.access import ALWAYS_IN_NAVIGATION, remember_sees_reviews, reviews_visible_to
from ipshub.fidelity.models import ActionItem, PrepTask, Review, ReviewTeamMember
from ipshub.lib.due import DueItem, url_for_each
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

# Who is reminded of every open review and action of the programs they see; anyone else of their own only.
SEES_ALL_DUE = {Role.STATE_LEAD, Role.ADMINISTRATOR, Role.MH_DIRECTOR, Role.IPS_SUPERVISOR}
# #26 (branch fidfin): an overdue preparation step is due for the people who do it: the program's leaders for
# the program's steps, the review team for the reviewers' steps, both for the shared ones; the state team,
# which coordinates the preparation, for every step of the reviews it sees.
STATE_TEAM_PREP = {Role.STATE_LEAD, Role.ADMINISTRATOR}
PROGRAM_LEADERS = {Role.MH_DIRECTOR, Role.IPS_SUPERVISOR}
PROGRAM_STEPS = (PrepTask.Party.PROGRAM, PrepTask.Party.BOTH)
REVIEWER_STEPS = (PrepTask.Party.REVIEWERS, PrepTask.Party.BOTH)


def _overdue_steps(person: Person, roles: set[str], open_reviews: QuerySet[Review], today: datetime.date) -> Any:
    """The person's preparation steps still not done after their due date (a step done by the recorded work or
    by hand is gone at once: done_at is set), while the review itself is still ahead: once its own date has
    passed, the review's overdue item says what is missing, and its steps would only repeat it as noise."""
    steps = PrepTask.objects.filter(
        review__in=open_reviews.values("id"), review__due_on__gte=today, done_at__isnull=True, due_on__lt=today
    )
    if roles & STATE_TEAM_PREP:
        return steps
    theirs = Q(party__in=REVIEWER_STEPS, review__team__person=person)
    if roles & PROGRAM_LEADERS:
        theirs |= Q(party__in=PROGRAM_STEPS)
    return steps.filter(theirs)


def _due_rows(person: Person, roles: set[str], asks_navigation: bool, today: datetime.date) -> QuerySet[Any, Any]:
    """The UNION behind `due_items`: the reviews, actions and preparation steps due, as plain rows."""
    visible = reviews_visible_to(person)
    text = CharField()
    reviews = visible.filter(status__in=Review.OPEN_STATUSES)
    actions = ActionItem.objects.filter(
        status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
        review__in=visible.values("id"),
    )
    if not roles & SEES_ALL_DUE:
        reviews = reviews.filter(id__in=ReviewTeamMember.objects.filter(person=person).values("review_id"))
        actions = actions.filter(owner=person)
    number = IntegerField()
    columns = ("what", "pk", "label", "due_on", "program_name", "review_ref")
    parts: list[QuerySet[Any, Any]] = [
        actions.order_by()
        .annotate(
            what=Value("action", output_field=text),
            label=F("title"),
            program_name=F("review__program__name"),
            review_ref=Value(0, output_field=number),
        )
        .values_list(*columns),
        _overdue_steps(person, roles, visible.filter(status__in=Review.OPEN_STATUSES), today)
        .order_by()
        .annotate(
            what=Value("prep", output_field=text),
            label=F("title"),
            program_name=F("review__program__name"),
            review_ref=F("review_id"),
        )
        .values_list(*columns),
    ]
    if asks_navigation:
        # The first visible review (any status): a row exactly when the person sees a review.
        first = visible.filter(pk=Subquery(visible.order_by("pk").values("pk")[:1]))
        parts.append(
            first.order_by()
            .annotate(
                what=Value("any", output_field=text),
                label=F("kind"),
                program_name=Value("", output_field=text),
                review_ref=Value(0, output_field=number),
            )
            .values_list(*columns)
        )
    return (
        reviews.order_by()
        .annotate(
            what=Value("review", output_field=text),
            label=F("kind"),
            program_name=F("program__name"),
            review_ref=Value(0, output_field=number),
        )
        .values_list(*columns)
        .union(*parts, all=True)
    )


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """Reviews coming due (for the state team, the review team and the program's leaders), open actions of
    the action plans (for their owners, and for the state team and program leaders), and overdue preparation
    steps (for the people who do them, see STATE_TEAM_PREP).

    One query for all three (a UNION of plain rows: no model is built), which also answers the navigation's
    "does this person see any review" (`access.sees_reviews`) with one more row, so the home page does not
    ask it again."""
    roles = tenancy_access.roles_of(person)
    asks_navigation = not roles & ALWAYS_IN_NAVIGATION
    rows = tenancy_access.person_rows(
        person, "fidelity.due_items", today, lambda: _due_rows(person, roles, asks_navigation, today)
    )
    kinds = dict(Review.Kind.choices)
    review_url = url_for_each("fidelity:review_detail")
    action_url = url_for_each("fidelity:action_detail")
    items: list[DueItem] = []
    sees_reviews = False
    preparation_url = url_for_each("fidelity:review_preparation")
    for what, pk, label, due_on, program_name, review_ref in rows:
        if what == "any":
            sees_reviews = True
            continue
        if what == "prep":
            key, title = f"fidelity-prep:{pk}", _("Review preparation: %(step)s") % {"step": label}
            items.append(
                DueItem(
                    kind="review_preparation",
                    key=key,
                    title=title,
                    due_on=due_on,
                    url=f"{preparation_url(review_ref)}#timeline",
                    program_name=program_name,
                )
            )
            continue
        if what == "review":
            key = f"review:{pk}"
            title = _("%(kind)s fidelity review of %(program)s") % {
                "kind": kinds.get(label, label),
                "program": program_name,
            }
            url = review_url(pk)
        else:
            key, title, url = (
                f"fidelity-action:{pk}",
                _("Fidelity action: %(action)s") % {"action": label},
                action_url(pk),
            )
        items.append(
            DueItem(
                kind="review" if what == "review" else "action",
                key=key,
                title=title,
                due_on=due_on,
                url=url,
                program_name=program_name,
            )
        )
    if asks_navigation:
        remember_sees_reviews(person, sees_reviews)
    return items
