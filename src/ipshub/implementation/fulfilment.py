"""The roles matrix as a living record: each assignment follows the work that fulfils it.

`assignments_reconcile(program_ids)` is the one place that decides, from the catalog's fulfilment rules and
the records the areas declare as work sources (areakit/work.py):
- which assignments a program has: one-time duties of the phases it entered; recurring duties once per
  period (month, quarter, year) of the phase, over the last year; fidelity-phase duties once per review;
- which are done (with the records that fulfil them, dated), which reopen (with the reason), which are
  superseded (the program moved on, a later review replaced this one) or not applicable (nothing asked);
- when each is due, so that "overdue" means its period's work is missing.

A status a person set by hand (done, not applicable, waived, retired) is theirs: it is never overwritten.
Run after every write that may fulfil a duty (`hooks.work_changed`), on phase changes, and daily
(`ipshub reconcile`), which also opens the new periods.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from ipshub.areakit import hooks
from ipshub.areakit.work import Ask, ReviewPeriod, Work, WorkSource
from ipshub.audit.services import audit_record
from ipshub.catalog.models import Responsibility
from ipshub.implementation import reasons
from ipshub.implementation.models import Assignment, ItemStatus, StatusSource
from ipshub.implementation.reasons import Reason
from ipshub.tenancy.models import Organization, Phase, PhaseChange, Program
from ipshub.tenancy.roles import OrgKind

# The program phases in order, and the catalog phase whose one-time and per-period duties each brings.
# The roles document's fourth phase (fidelity reviews) is not a program phase: its duties come per review.
PHASE_ORDER = (Phase.PRIOR, Phase.IMPLEMENTATION, Phase.ONGOING)
# How far back recurring duties are tracked: a period that ended more than this long ago is history.
LOOKBACK = datetime.timedelta(days=365)
LINKS_KEPT = 5
BATCH = 200
OPEN = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)
EPOCH = datetime.date(2000, 1, 1)


# --- Periods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date
    end: datetime.date | None
    label: str


def _month(day: datetime.date) -> Period:
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Period(f"{start:%Y-%m}", start, end, f"{start:%B %Y}")


def _quarter(day: datetime.date) -> Period:
    q = (day.month - 1) // 3
    start = datetime.date(day.year, 3 * q + 1, 1)
    end = (datetime.date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1)) - datetime.timedelta(days=1)
    return Period(f"{day.year}-Q{q + 1}", start, end, f"{day.year} Q{q + 1}")


def _year(day: datetime.date) -> Period:
    return Period(str(day.year), datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), str(day.year))


PERIODS = {"month": _month, "quarter": _quarter, "year": _year}


def periods_between(kind: str, first: datetime.date, last: datetime.date) -> list[Period]:
    """The calendar periods of `kind` that overlap [first, last], in order."""
    make = PERIODS[kind]
    found: list[Period] = []
    day = first
    while day <= last:
        period = make(day)
        found.append(period)
        assert period.end is not None
        day = period.end + datetime.timedelta(days=1)
    return found


# --- What the engine reads --------------------------------------------------------------------------


@dataclass
class ProgramFacts:
    program: Program
    # When the program entered each phase it has been in, and left it (None: still in it).
    phases: dict[str, tuple[datetime.date, datetime.date | None]]
    orgs: dict[str, int | None]  # the organization playing each party
    reviews: list[ReviewPeriod] = field(default_factory=list)


def _phase_spans(program: Program, changes: list[PhaseChange]) -> dict[str, tuple[datetime.date, datetime.date | None]]:
    """Each phase the program has been in, from its last entry: {phase: (entered, left or None)}."""
    spans: dict[str, tuple[datetime.date, datetime.date | None]] = {}
    ordered = sorted(changes, key=lambda c: (c.effective_on, c.changed_at))
    for n, change in enumerate(ordered):
        left = ordered[n + 1].effective_on if n + 1 < len(ordered) else None
        spans[change.to_phase] = (change.effective_on, left)
    if program.phase not in spans:
        spans[program.phase] = (program.phase_since, None)
    # Phases skipped by an override count as entered and left on the same day.
    current = PHASE_ORDER.index(Phase(program.phase))
    for earlier in PHASE_ORDER[:current]:
        if earlier not in spans:
            day = spans[program.phase][0]
            spans[earlier] = (day, day)
    return spans


def _facts(program_ids: list[int]) -> dict[int, ProgramFacts]:
    programs = {p.pk: p for p in Program.objects.filter(pk__in=program_ids)}
    changes: dict[int, list[PhaseChange]] = {}
    for change in PhaseChange.objects.filter(program_id__in=program_ids):
        changes.setdefault(change.program_id, []).append(change)
    state_team = dict(
        Organization.objects.filter(
            kind=OrgKind.STATE_TEAM, is_active=True, state_id__in={p.state_id for p in programs.values()}
        )
        .values("state_id")
        .annotate(first=Min("pk"))
        .values_list("state_id", "first")
    )
    dvr: dict[int, int] = {}
    for program_id, org_id in (
        Program.dvr_offices.through.objects.filter(program_id__in=program_ids)
        .order_by("organization__name", "organization_id")
        .values_list("program_id", "organization_id")
    ):
        dvr.setdefault(program_id, org_id)
    reviews = hooks.review_periods(program_ids)
    return {
        pk: ProgramFacts(
            program=program,
            phases=_phase_spans(program, changes.get(pk, [])),
            orgs={
                "state_team": state_team.get(program.state_id),
                "mh_agency": program.mh_agency_id,
                "employment_provider": program.employment_provider_id or program.mh_agency_id,
                "dvr": dvr.get(pk),
            },
            reviews=list(reviews.get(pk, [])),
        )
        for pk, program in programs.items()
    }


# --- Which assignments a program should have ----------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """An assignment the program should have: a responsibility, once or for one period."""

    responsibility: Responsibility
    period_key: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    due_on: datetime.date
    review: ReviewPeriod | None = None
    # After-report duties of a review: work counts from its report until the next review's report (the
    # next review is usually scheduled the day a report is delivered, so its start would close the window).
    next_report_on: datetime.date | None = None


def _review_due(rule: Mapping[str, Any], review: ReviewPeriod) -> datetime.date:
    days = datetime.timedelta(days=int(rule.get("days") or 0))
    if rule.get("from") == "report":
        # Before the report is delivered, count from when it is due: 30 days after the visit.
        base = review.report_on or review.visit_on + datetime.timedelta(days=30)
        return base + days
    return review.visit_on + days


def slots_for(facts: ProgramFacts, items: Iterable[Responsibility], today: datetime.date) -> list[Slot]:
    slots: list[Slot] = []
    horizon = today - LOOKBACK
    for item in items:
        rule = item.fulfilment
        period = rule.get("period")
        if period == "review":
            for n, review in enumerate(facts.reviews):
                if review.start > today or (review.end is not None and review.end < horizon):
                    continue
                later = [r.report_on for r in facts.reviews[n + 1 :] if r.report_on is not None]
                slots.append(
                    Slot(
                        item,
                        review.key,
                        review.start,
                        review.end,
                        _review_due(rule, review),
                        review,
                        min(later) if later else None,
                    )
                )
            continue
        span = facts.phases.get(item.phase.key)
        if span is None:
            continue
        entered, left = span
        if period is None:
            slots.append(Slot(item, "", None, None, entered + datetime.timedelta(days=item.due_days)))
            continue
        last = min(left or today, today)
        for p in periods_between(period, max(entered, horizon), last):
            assert p.end is not None
            grace = datetime.timedelta(days=int(rule.get("grace_days") or 0))
            slots.append(Slot(item, p.key, p.start, p.end, p.end + grace))
    return slots


# --- Judging one assignment against the work ----------------------------------------------------------


@dataclass
class Verdict:
    status: str
    source: str
    reason: "str | Reason" = ""  # a Reason when the product says why (in every reader's language: reasons.py)
    works: list[Work] = field(default_factory=list)
    due_on: datetime.date | None = None  # a new due date (asks set it)


def _party_needed(rule: Mapping[str, Any], assignment: Assignment) -> str | None:
    wanted = rule.get("party_present")
    if wanted == "self":
        return assignment.party_key
    return wanted if isinstance(wanted, str) else None


def _window(
    assignment: Assignment, rule: Mapping[str, Any], slot: Slot | None
) -> tuple[datetime.date, datetime.date | None]:
    start = assignment.period_start or EPOCH
    end = assignment.period_end
    if slot is not None and slot.review is not None and rule.get("after_report"):
        start = slot.review.report_on or datetime.date.max
        end = slot.next_report_on
    return start, end


def _in_window(day: datetime.date, start: datetime.date, end: datetime.date | None) -> bool:
    return start <= day and (end is None or day <= end)


def judge(
    assignment: Assignment,
    works: list[Work],
    asks: list[Ask],
    sources: Mapping[str, WorkSource],
    slot: Slot | None,
    today: datetime.date,
) -> Verdict | None:
    """What the work says the assignment's status is; None when the work has no say (a confirmation)."""
    rule = assignment.responsibility.fulfilment
    if rule.get("kind") == "confirmation":
        return None
    start, end = _window(assignment, rule, slot)
    party = _party_needed(rule, assignment)
    if rule.get("when_asked"):
        asked = [a for a in asks if _in_window(a.asked_on, assignment.period_start or EPOCH, end)]
        if not asked:
            return Verdict(
                ItemStatus.NOT_APPLICABLE,
                StatusSource.PRODUCT,
                Reason(reasons.NOTHING_ASKED_IN_PERIOD if assignment.period_key else reasons.NOTHING_ASKED_YET),
            )
        waiting = [a for a in asked if a.answer is None]
        if waiting:
            reason: str | Reason = ""
            if assignment.status == ItemStatus.DONE:
                first = min(waiting, key=lambda a: a.asked_on)
                reason = Reason(reasons.REOPENED_ASKED, {"on": today, "asked_on": first.asked_on})
            elif assignment.is_open:
                reason = _kept_reason(assignment)
            return Verdict(ItemStatus.NOT_STARTED, StatusSource.NONE, reason, due_on=min(a.due_on for a in waiting))
        return Verdict(ItemStatus.DONE, StatusSource.WORK, works=[a.answer for a in asked if a.answer is not None])
    found = [
        w
        for w in works
        if _in_window(w.covers or w.on, start, end) and (party is None or w.parties is None or party in w.parties)
    ]
    if found:
        return Verdict(ItemStatus.DONE, StatusSource.WORK, works=found)
    if assignment.status == ItemStatus.DONE and assignment.status_source == StatusSource.WORK:
        missing = [sources[k].missing for k in rule.get("by", []) if k in sources]
        return Verdict(
            ItemStatus.NOT_STARTED,
            StatusSource.NONE,
            Reason(reasons.REOPENED_MISSING, {"on": today, "missing": {"texts": missing}}),
        )
    return Verdict(ItemStatus.NOT_STARTED, StatusSource.NONE, _kept_reason(assignment) if assignment.is_open else "")


def _kept_reason(assignment: Assignment) -> "str | Reason":
    """The reason the assignment has now, as a Reason when the product kept its parts."""
    if assignment.status_why and "message" in assignment.status_why:
        return Reason.from_parts(assignment.status_why)
    return assignment.status_reason


def _superseded(assignment: Assignment, facts: ProgramFacts, today: datetime.date) -> Reason | None:
    """Why an open duty no longer applies ("" if it still does)."""
    if assignment.period_key.startswith("review:"):
        later = [
            r
            for r in facts.reviews
            if r.report_on is not None and assignment.period_start is not None and r.start > assignment.period_start
        ]
        if later:
            return Reason(reasons.SUPERSEDED_BY_REVIEW, {"review": later[0].label})
        return None
    phase = assignment.phase_key
    current = facts.program.phase
    if phase in PHASE_ORDER and PHASE_ORDER.index(Phase(phase)) < PHASE_ORDER.index(Phase(current)):
        since = facts.phases[current][0]
        return Reason(
            reasons.SUPERSEDED_BY_PHASE, {"phase": {"phase": current}, "on": since, "duty_phase": {"phase": phase}}
        )
    return None


# --- The reconciliation -------------------------------------------------------------------------------


@dataclass
class Changes:
    created: int = 0
    closed: int = 0
    reopened: int = 0
    superseded: int = 0
    other: int = 0

    def total(self) -> int:
        return self.created + self.closed + self.reopened + self.superseded + self.other


def assignments_reconcile(
    program_ids: Iterable[int], today: datetime.date | None = None, *, keys: frozenset[str] | None = None
) -> Changes:
    """Bring these programs' assignments in line with the work recorded (see the module's doc). With `keys`,
    only the duties those work sources fulfil are looked at (a write that touched one kind of record)."""
    today = today or timezone.localdate()
    ids = sorted(set(program_ids))
    total = Changes()
    items = list(Responsibility.objects.filter(version__is_current=True).select_related("phase", "party"))
    if keys is not None:
        items = [item for item in items if keys & set(item.fulfilment.get("by", []))]
    sources = hooks.work_sources()
    for n in range(0, len(ids), BATCH):
        with transaction.atomic():
            changes = _reconcile_batch(ids[n : n + BATCH], items, sources, today)
        for name in ("created", "closed", "reopened", "superseded", "other"):
            setattr(total, name, getattr(total, name) + getattr(changes, name))
    return total


def reconcile(program_ids: set[int], keys: frozenset[str] | None = None, /) -> None:
    """The hook the areas reach through `work_changed`."""
    assignments_reconcile(program_ids, keys=keys)


def _gather(
    sources: Mapping[str, WorkSource],
    items: list[Responsibility],
    program_ids: list[int],
    assignments: Iterable[Assignment],
    today: datetime.date,
) -> tuple[dict[tuple[int, str], list[Work]], dict[tuple[int, str], list[Ask]]]:
    """Each source's work for these programs, from the earliest day an assignment using it looks at: all
    time for one-time duties (a committee set up years ago still counts), the periods' start for the rest."""
    periodic_from = min([a.period_start for a in assignments if a.period_start is not None], default=today - LOOKBACK)
    since: dict[str, datetime.date] = {}
    for item in items:
        start = EPOCH if not item.fulfilment.get("period") else periodic_from
        for key in item.fulfilment.get("by", []):
            since[key] = min(since.get(key, start), start)
    works: dict[tuple[int, str], list[Work]] = {}
    asks: dict[tuple[int, str], list[Ask]] = {}
    for key in sorted(since):
        source = sources.get(key)
        if source is None:
            continue  # a catalog rule naming a source no installed area declares: checked by a test
        for work in source.find(program_ids, since[key]):
            works.setdefault((work.program_id, key), []).append(work)
        if source.asks is not None:
            for ask in source.asks(program_ids, since[key]):
                asks.setdefault((ask.program_id, key), []).append(ask)
    return works, asks


def _reconcile_batch(
    program_ids: list[int], items: list[Responsibility], sources: Mapping[str, WorkSource], today: datetime.date
) -> Changes:
    facts = _facts(program_ids)
    changes = Changes()
    # The assignments every program should have, and those it has.
    wanted = {pk: slots_for(f, items, today) for pk, f in facts.items()}
    existing: dict[tuple[int, int, str], Assignment] = {
        (a.program_id, a.responsibility_id, a.period_key): a
        for a in Assignment.objects.filter(program_id__in=program_ids, responsibility__in=items).select_related(
            "responsibility"
        )
    }
    new: list[Assignment] = []
    for pk, slots in wanted.items():
        orgs = facts[pk].orgs
        for slot in slots:
            key = (pk, slot.responsibility.pk, slot.period_key)
            if key in existing:
                continue
            assignment = Assignment(
                program_id=pk,
                responsibility=slot.responsibility,
                party_key=slot.responsibility.party.key,
                phase_key=slot.responsibility.phase.key,
                organization_id=orgs.get(slot.responsibility.party.key),
                due_on=slot.due_on,
                period_key=slot.period_key,
                period_start=slot.period_start,
                period_end=slot.period_end,
            )
            new.append(assignment)
    # The new ones are judged before they are written, so they are inserted in their status (no update after).
    fresh = {(a.program_id, a.responsibility_id, a.period_key) for a in new}
    existing.update({(a.program_id, a.responsibility_id, a.period_key): a for a in new})
    slot_of = {(pk, s.responsibility.pk, s.period_key): s for pk, slots in wanted.items() for s in slots}
    works, asks = _gather(sources, items, program_ids, existing.values(), today)
    changed: list[Assignment] = []
    by_program: dict[int, Changes] = {}
    now = timezone.now()
    for key, assignment in existing.items():
        program_facts = facts.get(assignment.program_id)
        if program_facts is None:
            continue
        wanted_slot = slot_of.get(key)
        # An open duty goes to whoever plays its party now (the first DVR office added, a new provider).
        party_org = program_facts.orgs.get(assignment.party_key)
        moved = assignment.is_open and party_org is not None and assignment.organization_id != party_org
        if moved:
            assignment.organization_id = party_org
        before = (
            assignment.status,
            assignment.status_source,
            assignment.status_reason,
            assignment.due_on,
            assignment.period_start,
            assignment.period_end,
        )
        before_links = assignment.fulfilled_by
        _apply(assignment, wanted_slot, program_facts, works, asks, sources, today)
        after = (
            assignment.status,
            assignment.status_source,
            assignment.status_reason,
            assignment.due_on,
            assignment.period_start,
            assignment.period_end,
        )
        if key in fresh:
            # A duty born closed closed when its work was done (a fresh period's, or one assigned after the fact).
            if assignment.status == ItemStatus.DONE and assignment.completed_on is not None:
                assignment.status_changed_at = timezone.make_aware(
                    datetime.datetime.combine(assignment.completed_on, datetime.time(12))
                )
            if assignment.status == ItemStatus.DONE:
                by_program.setdefault(assignment.program_id, Changes()).closed += 1
            elif assignment.status == ItemStatus.SUPERSEDED:
                by_program.setdefault(assignment.program_id, Changes()).superseded += 1
            continue
        if after == before and assignment.fulfilled_by == before_links and not moved:
            continue
        if after[:2] != before[:2]:
            assignment.status_changed_at = now
        counts = by_program.setdefault(assignment.program_id, Changes())
        if assignment.status == ItemStatus.DONE and before[0] != ItemStatus.DONE:
            counts.closed += 1
        elif assignment.is_open and before[0] == ItemStatus.DONE:
            counts.reopened += 1
        elif assignment.status == ItemStatus.SUPERSEDED and before[0] != ItemStatus.SUPERSEDED:
            counts.superseded += 1
        else:
            counts.other += 1
        changed.append(assignment)
    Assignment.objects.bulk_create(new, batch_size=1000)
    changes.created = len(new)
    Assignment.objects.bulk_update(
        changed,
        [
            "status",
            "status_source",
            "status_reason",
            "status_why",
            "status_changed_at",
            "due_on",
            "period_start",
            "period_end",
            "completed_on",
            "fulfilled_by",
            "organization",
        ],
        batch_size=500,
    )
    for pk, counts in by_program.items():
        for name in ("closed", "reopened", "superseded", "other"):
            setattr(changes, name, getattr(changes, name) + getattr(counts, name))
        if counts.closed or counts.reopened or counts.superseded:
            program = facts[pk].program
            audit_record(
                actor=None,
                action="implementation.assignments_reconcile",
                obj=program,
                state_id=program.state_id,
                summary=(
                    f"{program}: {counts.closed} closed by the work recorded, {counts.reopened} reopened, "
                    f"{counts.superseded} superseded"
                ),
                detail={"closed": counts.closed, "reopened": counts.reopened, "superseded": counts.superseded},
            )
    return changes


def _apply(
    assignment: Assignment,
    slot: Slot | None,
    facts: ProgramFacts,
    works: Mapping[tuple[int, str], list[Work]],
    asks: Mapping[tuple[int, str], list[Ask]],
    sources: Mapping[str, WorkSource],
    today: datetime.date,
) -> None:
    if assignment.status_source == StatusSource.PERSON and not assignment.is_open:
        return  # a person's decision stands until a person changes it
    if slot is not None and slot.review is not None:
        # Review dates move, and the next review's scheduling ends this one's window: the duties follow.
        assignment.due_on, assignment.period_start, assignment.period_end = (
            slot.due_on,
            slot.period_start,
            slot.period_end,
        )
    rule = assignment.responsibility.fulfilment
    pid = assignment.program_id
    found = [w for k in rule.get("by", []) for w in works.get((pid, k), [])]
    asked = [a for k in rule.get("by", []) for a in asks.get((pid, k), [])]
    verdict = judge(assignment, found, asked, sources, slot, today)
    if verdict is None:  # a confirmation: only a person closes it; it can still be superseded
        verdict = Verdict(assignment.status, assignment.status_source, _kept_reason(assignment))
        if assignment.status == ItemStatus.SUPERSEDED and assignment.status_source == StatusSource.PRODUCT:
            verdict = Verdict(ItemStatus.NOT_STARTED, StatusSource.NONE)
    if verdict.status in OPEN:
        why = _superseded(assignment, facts, today)
        if slot is None and not why:
            why = Reason(reasons.NO_LONGER_DUE)
        if why:
            verdict = Verdict(ItemStatus.SUPERSEDED, StatusSource.PRODUCT, why)
        elif assignment.status == ItemStatus.IN_PROGRESS:
            verdict.status = ItemStatus.IN_PROGRESS  # a person's "in progress" stays while the work is missing
    reason = verdict.reason
    assignment.status, assignment.status_source = verdict.status, verdict.source
    assignment.status_reason = reason.english() if isinstance(reason, Reason) else reason
    assignment.status_why = reason.as_parts() if isinstance(reason, Reason) else {}
    if verdict.due_on is not None:
        assignment.due_on = verdict.due_on
    if verdict.status == ItemStatus.DONE and verdict.works:
        # One record may be found by two of the duty's sources (a steering meeting DVR attended): link it once.
        unique = {(w.kind, w.id): w for w in verdict.works}
        ordered = sorted(unique.values(), key=lambda w: (w.on, w.id))
        assignment.completed_on = ordered[0].on
        assignment.fulfilled_by = [w.as_link() for w in ordered[:LINKS_KEPT]]
    elif verdict.source != StatusSource.PERSON:
        assignment.fulfilled_by = []
        if verdict.status != ItemStatus.DONE:
            assignment.completed_on = None


# --- Saying why -----------------------------------------------------------------------------------------


def period_label(assignment: Assignment) -> str:
    """ "2026 Q4 (Oct 1 – Dec 31, 2026)", "Baseline fidelity review…", or "" for a one-time duty."""
    if not assignment.period_key:
        return ""
    if assignment.period_key.startswith("review:"):
        start = assignment.period_start
        if not start:
            return gettext("A fidelity review")
        return gettext("The fidelity review scheduled on %(date)s") % {"date": date_format(start, "F j, Y")}
    start, end = assignment.period_start, assignment.period_end
    if start is None or end is None:
        return assignment.period_key
    kinds = {7: pgettext("a period", "Month"), 6: pgettext("a period", "Quarter"), 4: pgettext("a period", "Year")}
    return gettext("%(kind)s %(period)s (%(start)s – %(end)s)") % {
        "kind": kinds.get(len(assignment.period_key), pgettext("a period", "Period")),
        "period": assignment.period_key.replace("-Q", " Q"),
        "start": date_format(start, "M j"),
        "end": date_format(end, "M j, Y"),
    }


def why(assignment: Assignment, today: datetime.date) -> str:
    """In one or two sentences, why the product shows this assignment in its status."""
    rule = assignment.responsibility.fulfilment
    describe = assignment.responsibility.local("describe") or rule.get("describe", "")
    if assignment.status_reason and not (assignment.status == ItemStatus.DONE and assignment.fulfilled_by):
        return assignment.reason_text
    if assignment.status == ItemStatus.DONE:
        if assignment.status_source == StatusSource.WORK and assignment.fulfilled_by:
            return gettext("Closed by itself: the work that fulfils it is recorded. %(describe)s") % {
                "describe": describe
            }
        return gettext("Marked done.")
    if not assignment.is_open:
        return assignment.get_status_display()
    if rule.get("kind") == "confirmation":
        return gettext("Open until a person of the responsible party confirms it, with a note. %(describe)s") % {
            "describe": describe
        }
    if assignment.period_key:
        text = gettext(
            "Open because nothing that fulfils it is recorded in this period. It closes by itself when: %(describe)s"
        )
    else:
        text = gettext("Open because nothing that fulfils it is recorded yet. It closes by itself when: %(describe)s")
    late = " " + gettext("Its due date has passed, so it is overdue.") if assignment.is_overdue(today) else ""
    return text % {"describe": describe} + late


def record_links(assignment: Assignment) -> list[tuple[str, str]]:
    """Where a person records the work that fulfils this assignment: [(what, url)]."""
    sources = hooks.work_sources()
    links: list[tuple[str, str]] = []
    for key in assignment.responsibility.fulfilment.get("by", []):
        source = sources.get(key)
        if source is not None and source.record_at is not None:
            link = (source.describe.rstrip("."), source.record_at(assignment.program_id))
            if link[1] not in {url for _, url in links}:
                links.append(link)
    return links
