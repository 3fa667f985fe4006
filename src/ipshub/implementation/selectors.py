"""Reads for implementation tracking, each in a fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, JSONField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ipshub.catalog import selectors as catalog
from ipshub.catalog.models import Stage, Strategy
from ipshub.catalog.translations import local
from ipshub.implementation.models import (
    Assignment,
    Evidence,
    ItemStatus,
    PartnershipItem,
    PartnershipKind,
    ReadinessAssessment,
    Resource,
    SteeringMember,
    SteeringRole,
    StrategyProgress,
)
from ipshub.tenancy import access
from ipshub.tenancy.models import Organization, Person, Phase, PhaseChange, Program
from ipshub.tenancy.roles import OrgKind, Role

OPEN = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)
CLOSED = (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE)
PARTY_LABELS = {
    "state_team": gettext_lazy("State IPS team"),
    "mh_agency": gettext_lazy("Mental health agency"),
    "employment_provider": gettext_lazy("Employment service provider"),
    "dvr": gettext_lazy("Local DVR staff"),
}
CATALOG_PHASE_LABELS = {
    "prior": gettext_lazy("Prior to implementation"),
    "implementation": gettext_lazy("Implementation"),
    "ongoing": gettext_lazy("Ongoing IPS service delivery"),
    "fidelity": gettext_lazy("IPS fidelity reviews"),
}


def open_overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """Overdue: open (not done, not applicable, waived or superseded) past its due date. The reconciler
    (fulfilment.py) sets due dates so that this means the work of the assignment's period is missing.
    The one rule of the boards, "My responsibilities", home pages, reminders, digests and calendar feeds."""
    return Q(**{f"{prefix}status__in": OPEN, f"{prefix}due_on__lt": today})


# Who answers for the duties of an organization that nobody in particular owns: the people who lead it.
LEAD_ROLES = (Role.MH_DIRECTOR, Role.IPS_SUPERVISOR, Role.DVR_SUPERVISOR)


def own_assignments_q(person: Person) -> Q:
    """A person's own responsibilities ("My responsibilities", home pages, reminders, the e-mail digest and the
    calendar feed all use this rule):
    - every assignment the person owns by name;
    - assignments of an organization with nobody named, for the people who lead it: the mental health director,
      IPS supervisor and DVR supervisor of their organization; the state team's lead for the state team's
      duties of every program of the state, and the state trainer for those of the programs they train.
    An employment specialist, a case manager or a DVR counselor sees only what is theirs by name: not every
    duty of the provider."""
    own = Q(owner_id=person.pk)
    seats = access.seats(person)
    led = {s.organization_id for s in seats if s.role in LEAD_ROLES}
    led |= {s.organization_id for s in seats if s.kind == OrgKind.STATE_TEAM and s.role == Role.STATE_LEAD}
    if led:
        own |= Q(owner__isnull=True, organization_id__in=sorted(led))
    trains = {s.organization_id for s in seats if s.kind == OrgKind.STATE_TEAM and s.role == Role.STATE_TRAINER}
    if trains - led:
        own |= Q(owner__isnull=True, organization_id__in=sorted(trains - led), program__trainer_id=person.pk)
    return own


# --- Stages ---------------------------------------------------------------------------------------


def stage_totals() -> list[tuple[int, str, int]]:
    """(stage number, short name in the reader's language, strategy count) of the current roadmap."""
    rows = (
        Stage.objects.filter(version__is_current=True)
        .annotate(n=Count("strategies"))
        .order_by("number")
        .values_list("number", "short_name", "translations", "n")
    )
    return [(number, local({"short_name": name, "translations": tr}, "short_name"), n) for number, name, tr, n in rows]


def closed_by_stage(program_ids: list[int] | QuerySet[Any]) -> dict[int, dict[int, int]]:
    """program id → stage number → strategies done or not applicable."""
    rows = (
        StrategyProgress.objects.filter(
            program_id__in=program_ids, status__in=CLOSED, strategy__stage__version__is_current=True
        )
        .values("program_id", "strategy__stage__number")
        .annotate(n=Count("id"))
    )
    result: dict[int, dict[int, int]] = {}
    for row in rows:
        result.setdefault(row["program_id"], {})[row["strategy__stage__number"]] = row["n"]
    return result


def current_stage(totals: list[tuple[int, str, int]], closed: dict[int, int]) -> tuple[int, str]:
    """The first stage with a strategy still open; the last stage when all are closed."""
    for number, name, n in totals:
        if closed.get(number, 0) < n:
            return number, name
    return totals[-1][0], totals[-1][1]


# --- The state board ------------------------------------------------------------------------------


@dataclass
class BoardRow:
    program: Program
    stage_number: int
    stage_name: str
    overdue: int
    open_items: int
    next_due: datetime.date | None
    next_title: str


@dataclass
class Board:
    rows: list[BoardRow]
    phases: list[tuple[str, str]]
    stages: list[tuple[int, str, int]]
    matrix: list[tuple[str, list[int], int]]  # phase label, counts per stage, total
    total_overdue: int


def board(
    programs: QuerySet[Program],
    today: datetime.date,
    *,
    phase: str = "",
    stage: int | None = None,
    overdue_only: bool = False,
    q: str = "",
) -> Board:
    """Every program of the board with its phase, current roadmap stage, overdue responsibilities and
    next milestone: four queries whatever the number of programs."""
    next_open = Assignment.objects.filter(program=OuterRef("pk"), status__in=OPEN, due_on__gte=today).order_by(
        "due_on", "pk"
    )
    annotated = (
        programs.select_related("mh_agency", "trainer")
        .annotate(
            overdue=Count("assignments", filter=open_overdue_q(today, "assignments__")),
            open_items=Count("assignments", filter=Q(assignments__status__in=OPEN)),
            next_due=Subquery(next_open.values("due_on")[:1]),
            next_title=Subquery(next_open.values("responsibility__text")[:1]),
            next_translations=Subquery(next_open.values("responsibility__translations")[:1], output_field=JSONField()),
        )
        .order_by("name")
    )
    if q:
        annotated = annotated.filter(Q(name__icontains=q) | Q(region__icontains=q))
    program_list = list(annotated)
    totals = stage_totals()
    closed = closed_by_stage([p.pk for p in program_list]) if program_list else {}
    rows = []
    for program in program_list:
        number, name = current_stage(totals, closed.get(program.pk, {})) if totals else (0, "")
        rows.append(
            BoardRow(
                program=program,
                stage_number=number,
                stage_name=name,
                overdue=program.overdue,
                open_items=program.open_items,
                next_due=program.next_due,
                next_title=local({"text": program.next_title or "", "translations": program.next_translations}, "text"),
            )
        )
    matrix = []
    for value, label in Phase.choices:
        counts = [sum(1 for r in rows if r.program.phase == value and r.stage_number == n) for n, _, _ in totals]
        matrix.append((label, counts, sum(counts)))
    total_overdue = sum(r.overdue for r in rows)
    if phase:
        rows = [r for r in rows if r.program.phase == phase]
    if stage:
        rows = [r for r in rows if r.stage_number == stage]
    if overdue_only:
        rows = [r for r in rows if r.overdue]
    return Board(rows=rows, phases=list(Phase.choices), stages=totals, matrix=matrix, total_overdue=total_overdue)


# --- One program's roadmap ------------------------------------------------------------------------


@dataclass
class StrategyRow:
    strategy: Strategy
    progress: StrategyProgress | None

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else ItemStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return str(ItemStatus(self.status).label)


@dataclass
class StageRow:
    stage: Stage
    strategies: list[StrategyRow]
    resources: list[Resource] = field(default_factory=list)

    @property
    def closed(self) -> int:
        return sum(1 for s in self.strategies if s.status in CLOSED)


def roadmap(program: Program) -> list[StageRow]:
    """The 10 stages with each strategy's progress and the stage's resources: four queries."""
    progress = {p.strategy_id: p for p in StrategyProgress.objects.filter(program=program)}
    evidence: dict[int | None, list[Evidence]] = {}  # keyed by strategy_progress_id, never None here
    # Fetched on its own (not prefetched) so the page runs the same queries with or without progress.
    for item in Evidence.objects.filter(program=program, strategy_progress__isnull=False):
        evidence.setdefault(item.strategy_progress_id, []).append(item)
    for p in progress.values():
        p.evidence_list = evidence.get(p.pk, [])  # type: ignore[attr-defined]
    resources: dict[str, list[Resource]] = {}
    for resource in Resource.objects.filter(organization__state_id=program.state_id):
        resources.setdefault(resource.stage_key, []).append(resource)
    return [
        StageRow(
            stage=stage,
            strategies=[StrategyRow(s, progress.get(s.pk)) for s in stage.strategies.all()],
            resources=resources.get(stage.key, []),
        )
        for stage in catalog.stages()
    ]


# --- Assignments ----------------------------------------------------------------------------------


def program_assignments(program: Program) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(program=program)
        .select_related("responsibility__phase", "organization", "owner")
        .order_by("responsibility__phase__number", "responsibility__party__order", "responsibility__order")
    )


def my_assignments(person: Person) -> QuerySet[Assignment]:
    """The person's own responsibilities (`own_assignments_q`) in the programs they see, soonest due first."""
    return (
        Assignment.objects.filter(own_assignments_q(person), program_id__in=access.visible_program_ids(person))
        .select_related("program", "responsibility__phase", "organization", "owner")
        .order_by("due_on", "pk")
    )


def assignment_counts(program: Program, today: datetime.date) -> dict[str, int]:
    return Assignment.objects.filter(program=program).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN)),
        overdue=Count("id", filter=open_overdue_q(today)),
        done=Count("id", filter=Q(status=ItemStatus.DONE)),
    )


# --- Partnership, readiness, steering -------------------------------------------------------------


def partnership_items(program: Program) -> list[PartnershipItem]:
    items = {i.kind: i for i in PartnershipItem.objects.filter(program=program).prefetch_related("evidence")}
    return [items[k] for k in PartnershipKind.values if k in items]


def steering_roles(members: list[SteeringMember]) -> list[tuple[str, bool]]:
    present = {m.role for m in members}
    return [(str(label), value in present) for value, label in SteeringRole.choices if value != SteeringRole.OTHER]


def readiness_answers(assessment: ReadinessAssessment) -> list[tuple[Any, str]]:
    answers = dict(assessment.answers.values_list("question_key", "answer"))
    return [(question, answers.get(question.key, "")) for question in catalog.questions()]


# --- Timeline -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date
    kind: str
    text: str


def timeline(program: Program) -> list[TimelineEntry]:
    """The program's story in date order: phases, readiness, set-up, kick-off, stages, responsibilities."""
    entries: list[TimelineEntry] = []
    for change in program.phase_changes.all():
        label = Phase(change.to_phase).label
        text = _("Entered '%(phase)s'") % {"phase": label} + (f" — {change.reason}" if change.reason else "")
        if change.is_override:
            text += " " + _("(override by the state IPS team)")
        entries.append(TimelineEntry(change.effective_on, _("Phase"), text))
    for assessment in ReadinessAssessment.objects.filter(program=program):
        entries.append(TimelineEntry(assessment.held_on, _("Readiness"), _("Readiness assessment with agency leaders")))
    for item in PartnershipItem.objects.filter(program=program, agreed_on__isnull=False):
        assert item.agreed_on is not None
        entries.append(
            TimelineEntry(
                item.agreed_on,
                _("Partnership"),
                f"{item.get_kind_display()}: {item.get_status_display().lower()}",
            )
        )
    if program.kickoff_date:
        entries.append(TimelineEntry(program.kickoff_date, _("Kick-off"), _("Kick-off")))
    stage_done = (
        StrategyProgress.objects.filter(program=program, status=ItemStatus.DONE, completed_on__isnull=False)
        .values("strategy__stage__number", "strategy__stage__name")
        .annotate(last=Max("completed_on"))
        .order_by("strategy__stage__number")
    )
    for row in stage_done:
        entries.append(
            TimelineEntry(
                row["last"],
                _("Roadmap"),
                _("Stage %(number)s (%(name)s): latest strategy done")
                % {"number": row["strategy__stage__number"], "name": row["strategy__stage__name"]},
            )
        )
    done = Assignment.objects.filter(program=program, status=ItemStatus.DONE, completed_on__isnull=False).aggregate(
        n=Count("id"), last=Max("completed_on")
    )
    if done["n"]:
        entries.append(
            TimelineEntry(
                done["last"],
                _("Responsibilities"),
                ngettext("%(count)s responsibility done so far", "%(count)s responsibilities done so far", done["n"])
                % {"count": done["n"]},
            )
        )
    return sorted(entries, key=lambda e: (e.on, e.kind))


def evidence_for_assignment(assignment: Assignment) -> QuerySet[Evidence]:
    return assignment.evidence.select_related("added_by")


def program_opened_on(program: Program) -> datetime.date:
    """The day the program began to exist: its first phase change, or the day it was created."""
    changes = PhaseChange.objects.filter(program=program)
    first: datetime.date | None = changes.aggregate(first=Min("effective_on"))["first"]
    if first is not None:
        return first
    return timezone.localdate(program.created_at) if program.created_at else program.phase_since


def party_organizations(program: Program) -> dict[str, Organization | None]:
    """The organization that plays each catalog party in this program.

    The DVR party is the program's first DVR office (by name): each responsibility becomes ONE
    assignment, so the program's list mirrors the roles document item for item; every DVR office of
    the program sees it and its people can update it. With no employment provider, the mental health
    agency's own IPS staff carry the provider's duties.
    """
    state_team = (
        Organization.objects.filter(state_id=program.state_id, kind=OrgKind.STATE_TEAM, is_active=True)
        .order_by("pk")
        .first()
    )
    dvr = program.dvr_offices.order_by("name", "pk").first()
    return {
        "state_team": state_team,
        "mh_agency": program.mh_agency,
        "employment_provider": program.employment_provider or program.mh_agency,
        "dvr": dvr,
    }


def unmet_partnership_items(program: Program) -> list[str]:
    items = {item.kind: item for item in PartnershipItem.objects.filter(program=program)}
    problems = []
    for kind in PartnershipKind:
        item = items.get(kind.value)
        if item is not None and (not item.is_required or item.is_met):
            continue
        problems.append(_("Partnership set-up: '%(item)s' is not done or waived with a reason.") % {"item": kind.label})
    return problems
