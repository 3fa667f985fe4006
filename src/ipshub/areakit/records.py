"""What the client records hand to other areas, as plain values (no database, no area imports).

The client records live in `clients`; `outcomes` and `fidelity` compute from them without importing it.
`clients/hooks.py` contributes the loaders (see `hooks.py`) that read the records into these values:
- outcomes: one `ClientHistory` per client (its enrollment spans, jobs, education), see outcomes/metrics.py;
- fidelity: one `FidelityInputs` per program and period, the inputs the scale's measurable items are
  scored from (see fidelity/evidence.py).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

# --- Client histories, for the quarterly outcome figures ------------------------------------------


@dataclass(frozen=True)
class Span:
    start: datetime.date
    end: datetime.date | None = None  # None: still open

    def overlaps(self, first: datetime.date, last: datetime.date) -> bool:
        return self.start <= last and (self.end is None or self.end >= first)


@dataclass(frozen=True)
class JobSpan(Span):
    competitive: bool = True
    weekly_hours: Decimal | None = None
    hourly_wage: Decimal | None = None


@dataclass(frozen=True)
class ClientHistory:
    client_id: int
    enrollments: tuple[Span, ...]  # a re-opened case is a second span
    jobs: tuple[JobSpan, ...] = ()
    education: tuple[Span, ...] = ()
    referral_date: datetime.date | None = None
    first_employer_contact: datetime.date | None = None  # first face-to-face contact with an employer
    working_at_entry: bool = False


# --- Fidelity evidence inputs, one dataclass per measurable item's records ---------------------


@dataclass(frozen=True)
class SpecialistCaseload:
    clients: int  # clients on the specialist's caseload
    fte: float = 1.0  # the specialist's full-time equivalent on IPS (1.0 = full time)
    specialist_id: int | None = None


@dataclass(frozen=True)
class EntryToEmployerContact:
    entered_on: datetime.date  # referral / program entry
    first_employer_contact_on: datetime.date | None  # first face-to-face contact with a competitive employer


@dataclass(frozen=True)
class EmployerContact:
    specialist_id: int
    on: datetime.date
    face_to_face: bool = True
    follows_preferences: bool | None = None  # None: not recorded


@dataclass(frozen=True)
class Job:
    job_type: str
    employer: str
    competitive: bool


@dataclass(frozen=True)
class JobStartSupport:
    started_on: datetime.date
    ended_on: datetime.date | None = None
    contact_dates: tuple[datetime.date, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SpecialistTime:
    """A specialist's recorded time on the program (items 1 and 2)."""

    specialist_id: int
    fte: float
    employment_share: float  # percent of that time on employment services


@dataclass(frozen=True)
class JobEvent:
    """A job start, change of hours or pay, or end (items 12 and 14), with the dates of the enrollment's
    benefits planning offers and career profile versions around it."""

    kind: str  # "start", "change" or "end"
    on: datetime.date
    benefits_planning_on: tuple[datetime.date, ...] = ()
    profile_written_on: tuple[datetime.date, ...] = ()


@dataclass(frozen=True)
class Closure:
    closed_on: datetime.date
    for_disengagement: bool  # closed for missed appointments or lack of engagement


@dataclass(frozen=True)
class FidelityInputs:
    """What the fidelity evidence of one program and period is scored from."""

    caseloads: list[SpecialistCaseload] = field(default_factory=list)
    unassigned: int = 0  # clients on the caseload without an assigned specialist
    entries: list[EntryToEmployerContact] = field(default_factory=list)
    contacts: list[EmployerContact] = field(default_factory=list)
    specialist_ids: set[int] = field(default_factory=set)
    jobs: list[Job] = field(default_factory=list)
    job_starts: list[JobStartSupport] = field(default_factory=list)
    # Issue 26: items 12, 14, 24 and 25.
    job_events: list[JobEvent] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    support_in_community: int = 0  # in-person support contacts in the community
    support_in_office: int = 0  # in-person support contacts in the office


# --- The chart-review worksheet of a fidelity review (issue #26, review preparation) --------------------


@dataclass(frozen=True)
class ChartJob:
    employer: str
    title: str
    started_on: datetime.date
    ended_on: datetime.date | None = None


@dataclass(frozen=True)
class ChartClient:
    """One sampled client's key dates, as the reviewers check them against the chart."""

    enrollment_id: int
    client_id: int
    name: str
    record_number: str
    specialist: str
    referral_date: datetime.date
    closed_on: datetime.date | None = None
    first_employer_contact: datetime.date | None = None  # first face-to-face employer contact about the client
    jobs: tuple[ChartJob, ...] = ()
    support_contacts: int = 0  # follow-along supports while working
    first_support: datetime.date | None = None
    last_support: datetime.date | None = None


# --- From finding to result (issue #23): what a TA entry may name of the fidelity area ---------------


@dataclass(frozen=True)
class ActionItemRef:
    """An action-plan item a TA entry can say it addresses."""

    id: int
    title: str
    review: str  # which review's plan, as people name it ("Follow-up review, report 2026-03-10")
    item_numbers: tuple[int, ...]  # the fidelity items the action answers
    status: str


@dataclass(frozen=True)
class FidelityLinks:
    """The fidelity items (number, name) of the current scale and the program's action-plan items."""

    items: tuple[tuple[int, str], ...] = tuple((n, f"Item {n}") for n in range(1, 26))
    action_items: tuple[ActionItemRef, ...] = ()


# --- Peer percentiles and the early warning (issue #23) ---------------------------------------------------


@dataclass(frozen=True)
class QuarterActivity:
    """What one program's client records show of one quarter's job-development work (clients contribute it).

    `specialists` counts the specialists who held a caseload on the quarter's last day or made an employer
    contact in it; `days_to_first_contact` sums, over the clients referred in the quarter who had a first
    face-to-face employer contact, the days from referral to that contact (`with_first_contact` of them)."""

    program_id: int
    year: int
    quarter: int
    employer_contacts: int = 0  # face-to-face employer contacts made in the quarter
    specialists: int = 0
    caseload: int = 0  # clients open on the quarter's last day with an assigned specialist
    new_clients: int = 0  # clients referred in the quarter
    with_first_contact: int = 0
    days_to_first_contact: int = 0


@dataclass(frozen=True)
class FidelityTotal:
    """A program's last delivered fidelity review: the sum of its consensus scores (fidelity contributes it)."""

    program_id: int
    total: int
    delivered_on: datetime.date
