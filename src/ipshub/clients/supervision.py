"""The supervisor dashboard and its drill-down per employment specialist: each specialist's figures over a
period, week by week and quarter by quarter, every blank figure with its reason in words.

One pass reads the program's records for every period at once (the chosen period and the quarters of the
trend) in a fixed number of queries, whatever the size of the program or its history; the periods are then
counted in Python. Work is attributed to the enrollment's current specialist, employer contacts to the
specialist who made them. A week is `weeks.week_of`'s; quarters are calendar quarters.

Definitions (also in docs/clients.md):
- caseload, working, in education: enrollments open on the period's last day; working = holding a job that
  day, in education = enrolled in a course that day;
- face-to-face employer contacts a week: the average over the whole weeks in the period (a week not over
  yet is shown apart, "this week so far"); the standard is met in a week with 6 or more;
- days to first employer contact: clients referred in the period who have had a face-to-face employer
  contact, from referral to the first such contact (median, with how many);
- 90-day job retention: jobs whose 90th day fell in the period, the share still held on that day.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.http import HttpResponse
from django.utils import dateformat
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ipshub.clients import weeks
from ipshub.clients.models import Education, EmployerContact, Enrollment, EnrollmentEvent, Job, Status
from ipshub.clients.selectors import CASELOAD_LIMIT
from ipshub.clients.weeks import Week, WeekCount, WeekHistory
from ipshub.lib import tables
from ipshub.tenancy.models import Membership, Person, Program
from ipshub.tenancy.roles import Role
from ipshub.tenancy.wages import medium_date

RETENTION_DAYS = 90
TREND_QUARTERS = 5  # the quarter holding the period's end and the four before it
NOT_ASSIGNED = gettext_lazy("Not yet assigned")
WHOLE_UNIT = gettext_lazy("Whole unit")

_DAY = datetime.timedelta(days=1)

# The figures each table shows, by the names `Figures.cell` knows, with their labels.
DASHBOARD_COLUMNS = (
    ("caseload", gettext_lazy("Open caseload at the end")),
    ("working", gettext_lazy("Working at the end")),
    ("education", gettext_lazy("In education at the end")),
    ("contacts", gettext_lazy("Face-to-face employer contacts")),
    ("first_contact", gettext_lazy("Median days to first employer contact")),
    ("job_starts", gettext_lazy("Job starts")),
    ("retention", gettext_lazy("90-day job retention")),
    ("job_endings", gettext_lazy("Job endings")),
    ("closures", gettext_lazy("Closures")),
)
PERIOD_FIGURES = (
    ("caseload", gettext_lazy("Open caseload at the end")),
    ("working", gettext_lazy("Working at the end")),
    ("education", gettext_lazy("In education at the end")),
    ("per_week", gettext_lazy("Face-to-face employer contacts a week")),
    (
        "weeks_met",
        format_lazy(gettext_lazy("Whole weeks with {standard} or more"), standard=weeks.FACE_TO_FACE_STANDARD),
    ),
    ("first_contact", gettext_lazy("Median days, referral to first employer contact")),
    ("job_starts", gettext_lazy("Job starts")),
    ("retention", gettext_lazy("90-day job retention")),
    ("job_endings", gettext_lazy("Job endings")),
    ("closures", gettext_lazy("Closures")),
)
QUARTER_FIGURES = tuple(f for f in PERIOD_FIGURES if f[0] != "weeks_met")


@dataclass(frozen=True)
class Cell:
    """One figure as a page shows it: the value with a small count or a tag, or why it is blank."""

    value: str = ""
    small: str = ""  # "(3 clients)", "of 4 jobs"
    tag: str = ""  # "Meets 6", "Below 6", "Over 20"
    warn: bool = False  # the tag marks a figure short of its standard
    lines: tuple[str, ...] = ()  # more, one per line
    blank: str = ""  # why there is no value

    def __html__(self) -> str:
        parts = []
        if self.blank:
            parts.append(
                format_html('<span class="clients-blank"><span aria-hidden="true">—</span> {}</span>', self.blank)
            )
        else:
            first = [conditional_escape(self.value)]
            if self.small:
                first.append(format_html('<span class="clients-n">{}</span>', self.small))
            if self.tag:
                css = "ipshub-tag clients-tag--below" if self.warn else "ipshub-tag"
                first.append(format_html('<span class="{}">{}</span>', css, self.tag))
            parts.append(format_html('<span class="clients-line">{}</span>', mark_safe(" ".join(first))))
        parts.extend(format_html('<span class="clients-line clients-n">{}</span>', line) for line in self.lines)
        return mark_safe("".join(parts))

    def __str__(self) -> str:
        return self.__html__()


# --- Periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str
    in_progress: bool = False  # ends today: its counts can still grow

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def default_start(end: datetime.date) -> datetime.date:
    """The dashboard's default period: the 13 weeks to the week holding its end."""
    return weeks.week_of(end).shifted(-(weeks.HISTORY_WEEKS - 1)).monday


EARLIEST = datetime.date(2000, 1, 1)  # IPS records in the product start long after this
LONGEST_YEARS = 3  # a longer period is a trend: the quarters show it


@dataclass(frozen=True)
class PeriodProblem:
    field: str  # "start" or "end"
    message: str


def checked_period(
    start_text: str, end_text: str, today: datetime.date
) -> tuple[datetime.date, datetime.date, list[PeriodProblem]]:
    """The period asked for (ISO dates, either may be empty; by default the 13 weeks to today), corrected
    where it can't be shown, with each problem in plain words: the web shows the corrected period and says
    why, the API refuses (400) with the same words."""
    problems: list[PeriodProblem] = []

    def parse(field: str, text: str) -> datetime.date | None:
        text = text.strip()
        if not text:
            return None
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            problems.append(PeriodProblem(field, f"The {field} “{text[:40]}” is not a date: use YYYY-MM-DD."))
            return None
        if day < EARLIEST:
            problems.append(PeriodProblem(field, f"The {field} can't be before {EARLIEST.year}."))
            return None
        return day

    end = parse("end", end_text) or today
    if end > today:
        problems.append(PeriodProblem("end", "The end can't be after today."))
        end = today
    start = parse("start", start_text) or default_start(end)
    if start > end:
        problems.append(PeriodProblem("start", "The start can't be after the end."))
        start = default_start(end)
    longest = datetime.date(end.year - LONGEST_YEARS, end.month, 1)
    if start < longest:
        problems.append(PeriodProblem("start", f"A period is at most {LONGEST_YEARS} years long."))
        start = longest
    return start, end, problems


def period(start: datetime.date, end: datetime.date, today: datetime.date) -> Period:
    label = _("%(start)s to %(end)s") % {"start": medium_date(start), "end": medium_date(end)}
    return Period(start, end, label, end >= today)


def quarter_of(day: datetime.date, today: datetime.date) -> Period:
    """The calendar quarter holding the day; the quarter holding today ends today."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    next_month = first_month + 3
    next_start = datetime.date(day.year + 1, 1, 1) if next_month > 12 else datetime.date(day.year, next_month, 1)
    end = next_start - _DAY
    label = f"Q{(first_month + 2) // 3} {day.year}"
    if start <= today <= end:
        return Period(
            start,
            today,
            _("%(quarter)s (to %(day)s)") % {"quarter": label, "day": dateformat.format(today, "M j")},
            True,
        )
    return Period(start, end, label)


def quarters_ending(day: datetime.date, today: datetime.date, count: int = TREND_QUARTERS) -> list[Period]:
    """`count` quarters, oldest first, the last holding the day."""
    result = [quarter_of(day, today)]
    while len(result) < count:
        result.insert(0, quarter_of(result[0].start - _DAY, today))
    return result


# --- Figures --------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One specialist's figures over one period (or the whole unit's, or the clients not yet assigned's)."""

    name: str
    specialist_id: int | None
    period: Period
    is_unit: bool = False
    caseload: int = 0
    working: int = 0
    in_education: int = 0
    contacts: int = 0
    f2f_contacts: int = 0
    job_starts: int = 0
    job_endings: int = 0
    closures: int = 0
    retained_90: int = 0
    eligible_90: int = 0
    referred: int = 0
    first_contact_days: list[int] = field(default_factory=list)
    week_counts: WeekHistory | None = None  # the weeks of the period (the last may be in progress)
    specialists: int = 1  # the unit: how many specialists its weekly contacts are shared among

    @property
    def is_unassigned(self) -> bool:
        return self.specialist_id is None and not self.is_unit

    # Caseload
    @property
    def over_caseload(self) -> bool:
        return not self.is_unit and not self.is_unassigned and self.caseload > CASELOAD_LIMIT

    @property
    def pct_working(self) -> int | None:
        return round(100 * self.working / self.caseload) if self.caseload else None

    @property
    def pct_education(self) -> int | None:
        return round(100 * self.in_education / self.caseload) if self.caseload else None

    @property
    def caseload_note(self) -> str:
        return "" if self.caseload else _("no open caseload")

    # Employer contacts, week by week
    @property
    def whole_weeks(self) -> int:
        return len(self.week_counts.whole) if self.week_counts else 0

    @property
    def f2f_per_week(self) -> float | None:
        """A specialist's average of whole weeks; the unit's per specialist."""
        if self.is_unassigned or self.week_counts is None or self.week_counts.average is None:
            return None
        if self.is_unit:
            return round(self.week_counts.average / self.specialists, 1) if self.specialists else None
        return self.week_counts.average

    @property
    def weeks_met(self) -> int | None:
        if self.is_unit or self.is_unassigned or not self.whole_weeks:
            return None
        assert self.week_counts is not None
        return self.week_counts.met

    @property
    def this_week(self) -> WeekCount | None:
        """The week in progress, when the period reaches today (the unit's: the whole unit's count)."""
        if self.is_unassigned or self.week_counts is None or not self.week_counts.weeks:
            return None
        current = self.week_counts.current
        return current if current.in_progress else None

    @property
    def meets_contact_standard(self) -> bool | None:
        """Whether the average of whole weeks reaches the standard; None where it does not apply."""
        per_week = self.f2f_per_week
        if per_week is None or self.is_unassigned:
            return None
        return per_week >= weeks.FACE_TO_FACE_STANDARD

    @property
    def contacts_note(self) -> str:
        if self.is_unassigned:
            return _("no specialist yet")
        if not self.whole_weeks:
            return _("no whole week (Monday to Sunday) in the period")
        if self.is_unit and not self.specialists:
            return _("no specialist active in the period")
        return ""

    @property
    def weeks_met_note(self) -> str:
        if self.is_unit:
            return _("per specialist only")
        return self.contacts_note

    @property
    def this_week_note(self) -> str:
        if self.is_unassigned:
            return self.contacts_note
        if self.this_week is not None:
            return ""
        if not self.period.in_progress:
            return _("the period ends before this week")
        return _("the period starts after this week's Monday")

    # Rapid job search
    @property
    def median_first_contact(self) -> float | None:
        return statistics.median(self.first_contact_days) if self.first_contact_days else None

    @property
    def first_contact_n(self) -> int:
        return len(self.first_contact_days)

    @property
    def first_contact_note(self) -> str:
        if self.first_contact_days:
            return ""
        if self.referred:
            return _("none of the %(n)s referred has had one yet") % {"n": self.referred}
        return _("no referral in the period")

    # Job retention
    @property
    def retention_pct(self) -> int | None:
        return round(100 * self.retained_90 / self.eligible_90) if self.eligible_90 else None

    @property
    def retention_note(self) -> str:
        if self.eligible_90:
            return ""
        if self.period.in_progress:
            return _("no job in the period has reached day 90 yet")
        return _("no job reached day 90 in the period")

    def cell(self, which: str) -> Cell:
        """The figure `which` (a name of DASHBOARD_COLUMNS or PERIOD_FIGURES) as a page shows it."""
        standard = weeks.FACE_TO_FACE_STANDARD
        if which == "caseload":
            over = _("Over %(limit)s") % {"limit": CASELOAD_LIMIT} if self.over_caseload else ""
            return Cell(str(self.caseload), tag=over, warn=True)
        if which in ("working", "education"):
            pct, n = (self.pct_working, self.working) if which == "working" else (self.pct_education, self.in_education)
            return Cell(f"{pct}%", small=f"({n})") if pct is not None else Cell(blank=self.caseload_note)
        if which in ("per_week", "contacts"):
            per_week, this_week = self.f2f_per_week, self.this_week
            lines = []
            if which == "contacts" and self.weeks_met is not None:
                lines.append(
                    _("%(met)s of %(whole)s weeks reached %(standard)s")
                    % {"met": self.weeks_met, "whole": self.whole_weeks, "standard": standard}
                )
            if which == "contacts" and this_week is not None:
                so_far = (_("%(n)s in all") if self.is_unit else _("%(n)s of %(standard)s")) % {
                    "n": this_week.face_to_face,
                    "standard": standard,
                }
                lines.append(_("This week so far: %(so_far)s") % {"so_far": so_far})
            if per_week is None:
                return Cell(blank=self.contacts_note, lines=tuple(lines) if not self.is_unassigned else ())
            meets = self.meets_contact_standard
            return Cell(
                (_("%(n)s a week") % {"n": per_week}) if which == "contacts" else f"{per_week}",
                small=_("per specialist") if self.is_unit else "",
                tag="" if self.is_unit else ((_("Meets %(n)s") if meets else _("Below %(n)s")) % {"n": standard}),
                warn=not meets,
                lines=tuple(lines),
            )
        if which == "weeks_met":
            met = self.weeks_met
            if met is None:
                return Cell(blank=self.weeks_met_note)
            return Cell(_("%(met)s of %(whole)s") % {"met": met, "whole": self.whole_weeks})
        if which == "first_contact":
            median, n = self.median_first_contact, self.first_contact_n
            if median is None:
                return Cell(blank=self.first_contact_note)
            return Cell(
                _("%(median)s days") % {"median": f"{median:g}"},
                small=ngettext("(%(n)s client)", "(%(n)s clients)", n) % {"n": n},
            )
        if which == "retention":
            pct, n = self.retention_pct, self.eligible_90
            return (
                Cell(f"{pct}%", small=ngettext("of %(n)s job", "of %(n)s jobs", n) % {"n": n})
                if pct is not None
                else (Cell(blank=self.retention_note))
            )
        counts = {"job_starts": self.job_starts, "job_endings": self.job_endings, "closures": self.closures}
        return Cell(str(counts[which]))

    @property
    def dashboard_cells(self) -> list[tuple[str, Cell]]:
        return [(str(label), self.cell(which)) for which, label in DASHBOARD_COLUMNS]

    @property
    def period_cells(self) -> list[tuple[str, Cell]]:
        return [(str(label), self.cell(which)) for which, label in PERIOD_FIGURES]

    def blank_reasons(self) -> dict[str, str]:
        """Why each blank figure is blank, by the API's field names."""
        reasons = {
            "working_pct": self.caseload_note,
            "in_education_pct": self.caseload_note,
            "face_to_face_a_week": self.contacts_note if self.f2f_per_week is None else "",
            "weeks_reached_standard": self.weeks_met_note if self.weeks_met is None else "",
            "this_week_face_to_face": self.this_week_note,
            "first_contact_median_days": self.first_contact_note,
            "retention_pct": self.retention_note,
        }
        return {field: reason for field, reason in reasons.items() if reason}

    def notes(self) -> list[str]:
        """Every blank figure's reason, in the columns' order (the exports' last column)."""
        found = []
        for label, note in (
            ("working and in education", self.caseload_note),
            ("employer contacts", self.contacts_note if not self.is_unit else ""),
            ("days to first employer contact", self.first_contact_note),
            ("90-day retention", self.retention_note),
        ):
            if note:
                found.append(f"{label}: {note}")
        return found


# --- Reading the records --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Records:
    """The program's rows the figures are counted from (six queries)."""

    # id, specialist, referral, closed, re-opened, status today
    enrollments: list[tuple[int, int | None, datetime.date, datetime.date | None, datetime.date | None, str]]
    jobs: list[tuple[int, int | None, datetime.date, datetime.date | None]]
    education: list[tuple[int, datetime.date, datetime.date | None]]
    daily: list[tuple[int, datetime.date, int, int]]  # specialist, day, face to face, all
    closures: list[tuple[int | None, datetime.date]]
    first_contacts: list[tuple[int | None, datetime.date, datetime.date]]


def _read(
    program: Program, first: datetime.date, last: datetime.date, specialist_id: int | None, today: datetime.date
) -> _Records:
    """Enrollments and jobs up to today (the caseload today is counted from them too), the rest in [first, last]."""
    enrollments = Enrollment.objects.filter(program=program)
    if specialist_id is not None:
        enrollments = enrollments.filter(specialist_id=specialist_id)
    contacts = EmployerContact.objects.filter(program=program)
    if specialist_id is not None:
        contacts = contacts.filter(specialist_id=specialist_id)
    mine = Q(enrollment__specialist_id=specialist_id) if specialist_id is not None else Q()
    return _Records(
        enrollments=list(
            enrollments.filter(referral_date__lte=max(last, today))
            .order_by()
            .values_list("id", "specialist_id", "referral_date", "closed_on", "reopened_on", "status")
        ),
        # Every job that started by the last day and was still held on the first (a job's 90th day may
        # fall in a period though it started before it).
        jobs=list(
            Job.objects.filter(mine, enrollment__program=program, started_on__lte=max(last, today))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first - RETENTION_DAYS * _DAY))
            .order_by()
            .values_list("enrollment_id", "enrollment__specialist_id", "started_on", "ended_on")
        ),
        education=list(
            Education.objects.filter(mine, enrollment__program=program, started_on__lte=last)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
            .order_by()
            .values_list("enrollment_id", "started_on", "ended_on")
        ),
        daily=weeks.daily_counts(contacts, first, last),
        closures=list(
            EnrollmentEvent.objects.filter(
                mine,
                enrollment__program=program,
                kind=EnrollmentEvent.Kind.STATUS,
                to_value=Status.CLOSED,
                on__gte=first,
                on__lte=last,
            )
            .order_by()
            .values_list("enrollment__specialist_id", "on")
        ),
        first_contacts=list(
            enrollments.filter(referral_date__gte=first, referral_date__lte=last)
            .order_by()
            .annotate(first=Min("employer_contacts__contacted_on", filter=Q(employer_contacts__face_to_face=True)))
            .filter(first__isnull=False)
            .values_list("specialist_id", "referral_date", "first")
        ),
    )


def _open_on(
    day: datetime.date, referred: datetime.date, closed: datetime.date | None, reopened: datetime.date | None
) -> bool:
    # A re-opened enrollment keeps only its re-opening date: before it, it counts as closed.
    return referred <= day and (closed is None or closed > day) and (reopened is None or reopened <= day)


def _held_on(day: datetime.date, started: datetime.date, ended: datetime.date | None) -> bool:
    return started <= day and (ended is None or ended >= day)


def _row(by: dict[int | None, Figures], specialist_id: int | None, p: Period) -> Figures:
    if specialist_id not in by:
        by[specialist_id] = Figures(name="", specialist_id=specialist_id, period=p)
    return by[specialist_id]


def _period_weeks(p: Period, today: datetime.date) -> list[Week]:
    """The whole weeks of the period, and the week in progress when the period reaches today."""
    found = weeks.whole_weeks(p.start, p.end)
    current = weeks.week_of(today)
    if p.start <= current.monday and today <= p.end and current not in found:
        found.append(current)
    return found


def _count(records: _Records, periods: Sequence[Period], today: datetime.date) -> list[dict[int | None, Figures]]:
    """Figures per specialist (None: not yet assigned) for each period, from the records read once."""
    result: list[dict[int | None, Figures]] = []
    specialist_of = {e[0]: e[1] for e in records.enrollments}
    for p in periods:
        by: dict[int | None, Figures] = {}

        def row(specialist_id: int | None) -> Figures:
            return _row(by, specialist_id, p)  # noqa: B023 (used within this iteration only)

        open_ids = set()
        for enrollment_id, specialist_id, referred, closed, reopened, _status in records.enrollments:
            if _open_on(p.end, referred, closed, reopened):
                open_ids.add(enrollment_id)
                row(specialist_id).caseload += 1
            if referred in p:
                row(specialist_id).referred += 1
        working = {e for e, _, started, ended in records.jobs if e in open_ids and _held_on(p.end, started, ended)}
        for enrollment_id in working:
            row(specialist_of.get(enrollment_id)).working += 1
        studying = {e for e, started, ended in records.education if e in open_ids and _held_on(p.end, started, ended)}
        for enrollment_id in studying:
            row(specialist_of.get(enrollment_id)).in_education += 1
        for _job_id, specialist_id, started, ended in records.jobs:
            if started in p:
                row(specialist_id).job_starts += 1
            if ended is not None and ended in p:
                row(specialist_id).job_endings += 1
            if started + RETENTION_DAYS * _DAY in p:
                m = row(specialist_id)
                m.eligible_90 += 1
                if ended is None or (ended - started).days >= RETENTION_DAYS:
                    m.retained_90 += 1
        for specialist_id, on in records.closures:
            if on in p:
                row(specialist_id).closures += 1
        for specialist_id, referred, first in records.first_contacts:
            if referred in p:
                row(specialist_id).first_contact_days.append(max(0, (first - referred).days))
        period_weeks = _period_weeks(p, today)
        days: dict[int, list[tuple[datetime.date, int, int]]] = defaultdict(list)
        for specialist_id, on, f2f, total in records.daily:
            if p.start <= on <= p.end:
                m = row(specialist_id)
                m.contacts += total
                m.f2f_contacts += f2f
                days[specialist_id].append((on, f2f, total))
        for specialist_id, m in by.items():
            if specialist_id is not None:
                m.week_counts = weeks.history(days.get(specialist_id, ()), period_weeks, today)
        result.append(by)
    return result


def _unit(rows: Sequence[Figures], p: Period, today: datetime.date) -> Figures:
    unit = Figures(name=str(WHOLE_UNIT), specialist_id=None, period=p, is_unit=True)
    for m in rows:
        for attr in (
            "caseload", "working", "in_education", "contacts", "f2f_contacts", "job_starts",
            "job_endings", "closures", "retained_90", "eligible_90", "referred",
        ):  # fmt: skip
            setattr(unit, attr, getattr(unit, attr) + getattr(m, attr))
        unit.first_contact_days.extend(m.first_contact_days)
    specialists = [m for m in rows if m.specialist_id is not None and (m.caseload or m.contacts)]
    unit.specialists = len(specialists)
    period_weeks = _period_weeks(p, today)
    unit.week_counts = WeekHistory(
        tuple(
            WeekCount(
                week,
                sum(m.week_counts.weeks[i].face_to_face for m in specialists if m.week_counts),
                sum(m.week_counts.weeks[i].total for m in specialists if m.week_counts),
                in_progress=week.sunday >= today,
            )
            for i, week in enumerate(period_weeks)
        )
    )
    return unit


def _name(person: Person | None) -> str:
    return str(person) if person is not None else str(NOT_ASSIGNED)


def quarter_rows(quarters: Sequence[Figures]) -> list[tuple[str, list[tuple[str, Cell]]]]:
    """The quarter-by-quarter table: a row per figure, a (quarter, cell) per quarter."""
    return [(str(label), [(q.period.label, q.cell(which)) for q in quarters]) for which, label in QUARTER_FIGURES]


# --- The dashboard --------------------------------------------------------------------------------


@dataclass
class Board:
    program: Program
    period: Period
    rows: list[Figures]  # per specialist over the period; the clients not yet assigned last
    unit: Figures
    quarters: list[Figures]  # the unit quarter by quarter, oldest first
    history_weeks: list[Week]  # the 13 weeks to the period's end
    histories: dict[int, WeekHistory]  # each specialist's, over history_weeks

    @property
    def start(self) -> datetime.date:
        return self.period.start

    @property
    def end(self) -> datetime.date:
        return self.period.end

    def history_of(self, m: Figures) -> WeekHistory | None:
        return self.histories.get(m.specialist_id) if m.specialist_id is not None else None


def _unit_specialists(program: Program) -> Q:
    """The program's IPS unit's current employment specialists (listed even with nothing to count yet)."""
    unit = program.employment_provider_id or program.mh_agency_id
    members = Membership.objects.filter(organization_id=unit, role=Role.EMPLOYMENT_SPECIALIST, is_active=True)
    return Q(pk__in=members.values("person_id"), is_active=True)


def dashboard(program: Program, start: datetime.date, end: datetime.date, today: datetime.date) -> Board:
    """Per specialist and for the unit over [start, end], the unit quarter by quarter, and each specialist's
    13 weeks: seven queries whatever the size."""
    chosen = period(start, end, today)
    quarters = quarters_ending(end, today)
    history_weeks = weeks.weeks_ending(weeks.week_of(end))
    first = min(start, quarters[0].start, history_weeks[0].monday)
    last = max(end, history_weeks[-1].sunday)
    records = _read(program, first, last, None, today)
    counted = _count(records, [chosen, *quarters], today)
    by = counted[0]
    ids = {k for k in by if k is not None}
    people = {
        p.pk: p
        for p in Person.objects.filter(Q(pk__in=ids) | _unit_specialists(program)).only(
            "id", "first_name", "last_name", "username"
        )
    }
    for person_id in people:
        if person_id not in by:
            by[person_id] = Figures(
                name="",
                specialist_id=person_id,
                period=chosen,
                week_counts=weeks.empty_history(_period_weeks(chosen, today), today),
            )
    for key, m in by.items():
        m.name = _name(people.get(key)) if key is not None else str(NOT_ASSIGNED)
    rows = sorted(by.values(), key=lambda m: (m.is_unassigned, m.name))
    unit = _unit(rows, chosen, today)
    trend = []
    for p, by_quarter in zip(quarters, counted[1:], strict=True):
        trend.append(_unit(list(by_quarter.values()), p, today))
    by_day: dict[int, list[tuple[datetime.date, int, int]]] = defaultdict(list)
    for specialist_id, on, f2f, total in records.daily:
        by_day[specialist_id].append((on, f2f, total))
    histories = {
        m.specialist_id: weeks.history(by_day.get(m.specialist_id, ()), history_weeks, today)
        for m in rows
        if m.specialist_id is not None
    }
    return Board(program, chosen, rows, unit, trend, history_weeks, histories)


# --- One specialist -------------------------------------------------------------------------------


@dataclass
class SpecialistBoard:
    program: Program
    specialist: Person
    period: Period
    figures: Figures  # over the period
    quarters: list[Figures]  # quarter by quarter, oldest first
    history: WeekHistory  # the 13 weeks to the period's end
    status_mix: list[tuple[str, str, int]]  # the open caseload today by status: (status, its label, clients)
    open_today: int
    working_today: int


def specialist_board(
    program: Program, specialist: Person, start: datetime.date, end: datetime.date, today: datetime.date
) -> SpecialistBoard:
    """One specialist's figures over [start, end], quarter by quarter and week by week, and their caseload
    today by status: six queries."""
    chosen = period(start, end, today)
    quarters = quarters_ending(end, today)
    history_weeks = weeks.weeks_ending(weeks.week_of(end))
    first = min(start, quarters[0].start, history_weeks[0].monday)
    last = max(end, history_weeks[-1].sunday)
    records = _read(program, first, last, specialist.pk, today)
    counted = _count(records, [chosen, *quarters], today)
    empty = weeks.empty_history
    figures = counted[0].get(specialist.pk) or Figures(
        "", specialist.pk, chosen, week_counts=empty(_period_weeks(chosen, today), today)
    )
    trend = [
        by.get(specialist.pk) or Figures("", specialist.pk, p, week_counts=empty(_period_weeks(p, today), today))
        for p, by in zip(quarters, counted[1:], strict=True)
    ]
    for m in [figures, *trend]:
        m.name = str(specialist)
    history = weeks.history([(on, f2f, total) for _, on, f2f, total in records.daily], history_weeks, today)
    mix: dict[Status, int] = dict.fromkeys((s for s in Status if s != Status.CLOSED), 0)
    open_ids = set()
    for enrollment_id, *_rest, status in records.enrollments:
        if status != Status.CLOSED:
            mix[Status(status)] += 1
            open_ids.add(enrollment_id)
    working_today = len({e for e, _, _, ended in records.jobs if e in open_ids and ended is None})
    return SpecialistBoard(
        program=program,
        specialist=specialist,
        period=chosen,
        figures=figures,
        quarters=trend,
        history=history,
        status_mix=[(s.value, str(s.label), n) for s, n in mix.items()],
        open_today=sum(mix.values()),
        working_today=working_today,
    )


# --- Exports (aggregate figures only: no client is named) -----------------------------------------

FIGURE_HEADER = (
    "Open caseload at end",
    "Working at end",
    "Working at end (%)",
    "In education at end",
    "In education at end (%)",
    "Face-to-face employer contacts",
    "All employer contacts",
    "Whole weeks",
    "Face-to-face employer contacts a week (average of whole weeks; the unit: per specialist)",
    "Whole weeks with 6 or more",
    "This week so far (face to face)",
    "Clients referred",
    "Clients referred with a face-to-face employer contact",
    "Median days, referral to first face-to-face employer contact",
    "Job starts",
    "Jobs reaching their 90th day",
    "Of those, still held on day 90",
    "90-day job retention (%)",
    "Job endings",
    "Closures",
    "Blank figures explained",
)


def _figure_cells(m: Figures) -> list[object]:
    this_week = m.this_week
    return [
        m.caseload,
        m.working,
        m.pct_working,
        m.in_education,
        m.pct_education,
        None if m.is_unassigned else m.f2f_contacts,
        None if m.is_unassigned else m.contacts,
        None if m.is_unassigned else m.whole_weeks,
        m.f2f_per_week,
        m.weeks_met,
        this_week.face_to_face if this_week is not None else None,
        m.referred,
        m.first_contact_n,
        m.median_first_contact,
        m.job_starts,
        m.eligible_90,
        m.retained_90,
        m.retention_pct,
        m.job_endings,
        m.closures,
        "; ".join(m.notes()),
    ]


def export_tables(board: Board) -> dict[str, tables.Table]:
    period_cells = [board.period.start, board.period.end]
    specialists = tables.Table(
        "Specialists",
        ("Specialist", "Period start", "Period end", *FIGURE_HEADER),
        [[m.name, *period_cells, *_figure_cells(m)] for m in [*board.rows, board.unit]],
    )
    week_rows = []
    for m in board.rows:
        history = board.history_of(m)
        if history is None:
            continue
        for w in history.weeks:
            met = "In progress" if w.in_progress else ("Yes" if w.meets else "No")
            week_rows.append([m.name, w.week.monday, w.week.sunday, w.face_to_face, w.total, met])
    by_week = tables.Table(
        "Weeks",
        ("Specialist", "Week from (Monday)", "Week to (Sunday)", "Face to face", "All contacts", "6 or more"),
        week_rows,
    )
    quarters = tables.Table(
        "Quarters",
        ("Quarter", "From", "To", "In progress", *FIGURE_HEADER),
        [
            [q.period.label, q.period.start, q.period.end, "Yes" if q.period.in_progress else "No", *_figure_cells(q)]
            for q in board.quarters
        ],
    )
    return {"specialists": specialists, "weeks": by_week, "quarters": quarters}


def export(board: Board, fmt: str, table: str) -> HttpResponse:
    """The dashboard as a CSV file (one table: specialists, weeks or quarters) or an XLSX workbook (all three)."""
    found = export_tables(board)
    name = f"ips-dashboard-{slugify(board.program.name)}-{board.start.isoformat()}-to-{board.end.isoformat()}"
    if fmt == "xlsx":
        return tables.xlsx_response(f"{name}.xlsx", list(found.values()))
    chosen = table if table in found else "specialists"
    return tables.table_response(f"{name}-{chosen}", found[chosen], "csv")
