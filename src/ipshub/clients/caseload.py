"""The caseload: sorted and filtered on the server, what needs attention on it and why, the same rows as a
CSV or XLSX file, and the specialists a supervisor may move clients to, each with their open caseload.

Everything here reads from a queryset the caller took from the access layer
(`access.enrollments_visible_to(person)`); a page of rows is one query whatever the data size, because every
figure a row shows (working, last contact, what needs attention) is an annotation, not a lookup per row.

What needs attention (on an open enrollment):
- **no contact in 30 days**: no support contact, no employer contact about the client and no first meeting in
  the past 30 days, and the client has been on the caseload (since the referral or the re-opening) longer;
- **a job ended without help toward the next**: a job ended and since its end nothing was recorded toward the
  next one: no help offered, no employer contact about the client, no job search plan update, no new job;
- **no employer contact within 30 days of referral**: more than 30 days since the referral (or re-opening),
  not working, and still no face-to-face employer contact about the client (fidelity item 15 counts the first
  face-to-face contact, as the supervisor dashboard does).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, ngettext

from ipshub.audit.services import audit_record
from ipshub.clients import access, selectors
from ipshub.clients.models import (
    STATUS_ORDER,
    EmployerContact,
    Enrollment,
    Job,
    JobSearchPlan,
    Status,
    SupportContact,
)
from ipshub.lib import tables
from ipshub.tenancy.models import Membership, Person, Program
from ipshub.tenancy.roles import OrgKind, Role
from ipshub.tenancy.wages import medium_date

NO_CONTACT_DAYS = selectors.NO_CONTACT_DAYS
FIRST_EMPLOYER_CONTACT_DAYS = selectors.FIRST_CONTACT_STANDARD_DAYS
_NEVER = datetime.date(1900, 1, 1)  # stands for "no date" inside GREATEST (which SQLite makes NULL on any NULL)


# --- What needs attention -------------------------------------------------------------------------


Label = Any  # a str, or a lazy translation of one (gettext_lazy), made a str in the reader's language


@dataclass(frozen=True)
class Attention:
    key: str
    label: Label


def _lazy_label(make: Callable[[], str]) -> Label:
    # Made at import, read in a request: translated then, into the language of whoever reads it.
    return lazy(make, str)()


NO_CONTACT = Attention(
    "no_contact", _lazy_label(lambda: gettext("No contact in %(days)s days") % {"days": NO_CONTACT_DAYS})
)
JOB_ENDED = Attention("job_ended", gettext_lazy("Job ended without help toward the next"))
NO_EMPLOYER_CONTACT = Attention(
    "no_employer_contact",
    _lazy_label(
        lambda: gettext("No employer contact within %(days)s days of referral") % {"days": FIRST_EMPLOYER_CONTACT_DAYS}
    ),
)
ATTENTION = {a.key: a for a in (NO_CONTACT, JOB_ENDED, NO_EMPLOYER_CONTACT)}
_FLAG = {NO_CONTACT.key: "attention_no_contact", JOB_ENDED.key: "attention_job_ended"}
_FLAG[NO_EMPLOYER_CONTACT.key] = "attention_no_employer_contact"


@dataclass(frozen=True)
class Reason:
    """One reason a client needs attention, with the fact behind it ("last contact Oct 2, 2026")."""

    key: str
    label: Label
    detail: str

    def __str__(self) -> str:
        return f"{self.label} ({self.detail})" if self.detail else self.label


def _day(value: datetime.date) -> str:
    return medium_date(value)


def reasons(row: Enrollment, today: datetime.date) -> list[Reason]:
    """Why this annotated caseload row needs attention (empty when nothing does), from its annotations."""
    found = []
    if getattr(row, "attention_no_contact", 0):
        last = row.last_contact  # type: ignore[attr-defined]
        detail = gettext("last %(date)s") % {"date": _day(last)} if last else gettext("none recorded yet")
        found.append(Reason(NO_CONTACT.key, NO_CONTACT.label, detail))
    if getattr(row, "attention_job_ended", 0):
        ended = row.unhelped_job_ended_on  # type: ignore[attr-defined]
        found.append(Reason(JOB_ENDED.key, JOB_ENDED.label, gettext("ended %(date)s") % {"date": _day(ended)}))
    if getattr(row, "attention_no_employer_contact", 0):
        days = (today - row.entered_on).days  # type: ignore[attr-defined]
        if row.reopened_on:
            detail = ngettext("re-opened %(days)s day ago", "re-opened %(days)s days ago", days) % {"days": days}
        else:
            detail = ngettext("referred %(days)s day ago", "referred %(days)s days ago", days) % {"days": days}
        found.append(Reason(NO_EMPLOYER_CONTACT.key, NO_EMPLOYER_CONTACT.label, detail))
    return found


@dataclass(frozen=True)
class Row:
    """A caseload row as the page shows it: the enrollment (annotated) and why it needs attention."""

    enrollment: Enrollment
    reasons: list[Reason]
    days_since_contact: int | None


def rows_of(enrollments: Iterable[Enrollment], today: datetime.date) -> list[Row]:
    result = []
    for e in enrollments:
        last = e.last_contact  # type: ignore[attr-defined]
        result.append(Row(e, reasons(e, today), (today - last).days if last else None))
    return result


def annotated(enrollments: QuerySet[Enrollment], today: datetime.date) -> QuerySet[Enrollment]:
    """The rows with what the caseload shows, filters and sorts on, each a SQL expression (one query)."""
    pk = OuterRef("pk")
    last_employer = EmployerContact.objects.filter(enrollment=pk).order_by("-contacted_on").values("contacted_on")[:1]
    last_support = SupportContact.objects.filter(enrollment=pk).order_by("-contacted_on").values("contacted_on")[:1]
    never = Value(_NEVER, output_field=DateField())
    # Since the job ended: a later job, an employer contact about the client, or a job search plan update.
    after_end = {"enrollment_id": OuterRef("enrollment_id")}
    later_job = Job.objects.filter(**after_end, started_on__gte=OuterRef("ended_on")).exclude(pk=OuterRef("pk"))
    later_contact = EmployerContact.objects.filter(**after_end, contacted_on__gte=OuterRef("ended_on"))
    later_plan = JobSearchPlan.objects.filter(**after_end, updated_on__gte=OuterRef("ended_on"))
    unhelped_end = (
        Job.objects.filter(enrollment=pk, ended_on__isnull=False, next_job_help_offered_on__isnull=True)
        .filter(~Exists(later_job), ~Exists(later_contact), ~Exists(later_plan))
        .order_by("-ended_on")
        .values("ended_on")[:1]
    )
    cutoff = today - datetime.timedelta(days=NO_CONTACT_DAYS)
    first_cutoff = today - datetime.timedelta(days=FIRST_EMPLOYER_CONTACT_DAYS)
    is_open = ~Q(status=Status.CLOSED)
    rows = enrollments.select_related("client", "program", "specialist").annotate(
        working=Exists(Job.objects.filter(enrollment=pk, ended_on__isnull=True)),
        last_employer_contact=Subquery(last_employer, output_field=DateField()),
        last_support_contact=Subquery(last_support, output_field=DateField()),
        entered_on=Coalesce("reopened_on", "referral_date", output_field=DateField()),
        unhelped_job_ended_on=Subquery(unhelped_end, output_field=DateField()),
    )
    rows = rows.annotate(
        last_contact=NullIf(
            Greatest(
                Coalesce("last_employer_contact", never),
                Coalesce("last_support_contact", never),
                Coalesce("first_meeting_on", never),
                output_field=DateField(),
            ),
            never,
            output_field=DateField(),
        ),
        employer_contact_since_entry=Exists(
            EmployerContact.objects.filter(enrollment=pk, face_to_face=True, contacted_on__gte=OuterRef("entered_on"))
        ),
        job_since_entry=Exists(Job.objects.filter(enrollment=pk, started_on__gte=OuterRef("entered_on"))),
    )
    rows = rows.annotate(
        attention_no_contact=_flag(
            is_open & Q(entered_on__lt=cutoff) & (Q(last_contact__isnull=True) | Q(last_contact__lt=cutoff))
        ),
        attention_job_ended=_flag(is_open & Q(unhelped_job_ended_on__isnull=False)),
        attention_no_employer_contact=_flag(
            is_open
            & Q(entered_on__lt=first_cutoff, working=False, employer_contact_since_entry=False, job_since_entry=False)
        ),
    )
    return rows.annotate(
        attention_count=F("attention_no_contact") + F("attention_job_ended") + F("attention_no_employer_contact")
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


# --- Filters and sorting --------------------------------------------------------------------------

STATUSES = [("open", gettext_lazy("All open")), ("all", gettext_lazy("All, including closed")), *Status.choices]
# Days since the last contact: (label, fewest days, most days); "never" is no contact recorded at all.
CONTACT_BUCKETS: dict[str, tuple[Label, int | None, int | None]] = {
    "week": (gettext_lazy("In the past 7 days"), 0, 7),
    "month": (gettext_lazy("8 to 30 days ago"), 8, 30),
    "quarter": (gettext_lazy("31 to 90 days ago"), 31, 90),
    "longer": (gettext_lazy("More than 90 days ago"), 91, None),
    "never": (gettext_lazy("No contact recorded"), None, None),
}
WORKING = {"yes": gettext_lazy("Working"), "no": gettext_lazy("Not working")}
ATTENTION_FILTERS = {"any": gettext_lazy("Any reason"), **{a.key: a.label for a in ATTENTION.values()}}
UNASSIGNED = "none"


A_TO_Z, Z_TO_A = gettext_lazy("A to Z"), gettext_lazy("Z to A")


@dataclass(frozen=True)
class Column:
    """A sortable column: its header, the expressions it sorts on, and the direction a first click sorts."""

    label: Label
    fields: tuple[Any, ...]
    first_descending: bool = False
    ascending_words: Label = A_TO_Z
    descending_words: Label = Z_TO_A


_STATUS_RANK = Case(
    *(When(status=s, then=Value(i)) for i, s in enumerate([*STATUS_ORDER, Status.CLOSED])),
    output_field=IntegerField(),
)
COLUMNS: dict[str, Column] = {
    "name": Column(gettext_lazy("Client"), ("client__last_name", "client__first_name")),
    "status": Column(
        gettext_lazy("Status"),
        (_STATUS_RANK,),
        ascending_words=gettext_lazy("referral first"),
        descending_words=gettext_lazy("closed first"),
    ),
    "specialist": Column(gettext_lazy("Specialist"), ("specialist__last_name", "specialist__first_name")),
    "program": Column(gettext_lazy("Program"), ("program__name",)),
    "working": Column(
        gettext_lazy("Working"),
        ("working",),
        first_descending=True,
        ascending_words=gettext_lazy("not working first"),
        descending_words=gettext_lazy("working first"),
    ),
    "contact": Column(
        gettext_lazy("Last contact"),
        ("last_contact",),
        ascending_words=gettext_lazy("longest ago first"),
        descending_words=gettext_lazy("most recent first"),
    ),
    "attention": Column(
        gettext_lazy("Needs attention"),
        ("attention_count",),
        first_descending=True,
        ascending_words=gettext_lazy("fewest reasons first"),
        descending_words=gettext_lazy("most reasons first"),
    ),
    "referred": Column(
        gettext_lazy("Referred"),
        ("referral_date",),
        ascending_words=gettext_lazy("oldest first"),
        descending_words=gettext_lazy("newest first"),
    ),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class Filters:
    """The caseload's filters and sort, read from the query string. Only known values count: anything else
    is the default, so a hand-edited URL shows the whole caseload rather than an error page."""

    status: str = "open"
    specialist: str = ""  # a person's id, UNASSIGNED, or "" for everyone
    contact: str = ""
    working: str = ""
    attention: str = ""
    sort: str = DEFAULT_SORT  # a COLUMNS key, "-" in front for descending

    KEYS = ("status", "specialist", "contact", "working", "attention", "sort")

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "Filters":
        status = params.get("status", "open")
        specialist = params.get("specialist", "")
        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            status=status if status in dict(STATUSES) else "open",
            specialist=specialist if specialist.isdigit() or specialist == UNASSIGNED else "",
            contact=_known(params.get("contact", ""), CONTACT_BUCKETS),
            working=_known(params.get("working", ""), WORKING),
            attention=_known(params.get("attention", ""), ATTENTION_FILTERS),
            sort=sort if sort.removeprefix("-") in COLUMNS else DEFAULT_SORT,
        )

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def as_params(self, **changes: str) -> dict[str, str]:
        """The non-default values (with `changes`), for links that keep the other filters."""
        values = {k: getattr(self, k) for k in self.KEYS} | changes
        defaults = Filters()
        return {k: v for k, v in values.items() if v and v != getattr(defaults, k)}

    def apply(self, rows: QuerySet[Enrollment], today: datetime.date) -> QuerySet[Enrollment]:
        """Filter and order annotated rows (see `annotated`)."""
        if self.status == "open":
            rows = rows.exclude(status=Status.CLOSED)
        elif self.status != "all":
            rows = rows.filter(status=self.status)
        if self.specialist == UNASSIGNED:
            rows = rows.filter(specialist__isnull=True)
        elif self.specialist:
            rows = rows.filter(specialist_id=int(self.specialist))
        if self.working:
            rows = rows.filter(Q(working=self.working == "yes"))
        if self.contact == "never":
            rows = rows.filter(Q(last_contact__isnull=True))
        elif self.contact:
            _label, fewest, most = CONTACT_BUCKETS[self.contact]
            assert fewest is not None
            rows = rows.filter(Q(last_contact__lte=today - datetime.timedelta(days=fewest)))
            if most is not None:
                rows = rows.filter(Q(last_contact__gte=today - datetime.timedelta(days=most)))
        if self.attention == "any":
            rows = rows.filter(Q(attention_count__gt=0))
        elif self.attention:
            rows = rows.filter(Q(**{_FLAG[self.attention]: 1}))
        return rows.order_by(*self.ordering())

    def ordering(self) -> list[OrderBy]:
        column = COLUMNS[self.sort_key]
        order = []
        for field in column.fields:
            expression = F(field) if isinstance(field, str) else field
            # No date (never contacted) counts as the longest ago; no specialist sorts after every name.
            nulls_first = self.sort_key == "contact" and not self.descending
            order.append(
                expression.desc(nulls_last=True)
                if self.descending
                else expression.asc(nulls_first=True)
                if nulls_first
                else expression.asc(nulls_last=True)
            )
        tie = [F("client__last_name").asc(), F("client__first_name").asc(), F("pk").asc()]
        return [*order, *tie]


def _known(value: str, allowed: Mapping[str, Any]) -> str:
    return value if value in allowed else ""


@dataclass(frozen=True)
class Header:
    """A column header: the link that sorts by it, and its state for aria-sort."""

    key: str
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)
    action: str  # what following the link does, for screen readers


def headers(filters: Filters, search_key: str, keys: Iterable[str]) -> dict[str, Header]:
    """Sort links for the columns shown; following the sorted column's link reverses it."""
    result = {}
    for key in keys:
        column = COLUMNS[key]
        if key == filters.sort_key:
            aria = "descending" if filters.descending else "ascending"
            descending_next = not filters.descending
        else:
            aria = ""
            descending_next = column.first_descending
        words = column.descending_words if descending_next else column.ascending_words
        params = filters.as_params(sort=("-" if descending_next else "") + key)
        if search_key:
            params["s"] = search_key
        result[key] = Header(
            key, column.label, "?" + urlencode(params), aria, gettext("sort %(order)s") % {"order": words}
        )
    return result


def sort_choices() -> list[tuple[str, str]]:
    """Every sort as a choice, for the "Sort by" list (the headers are hidden on a phone)."""
    choices = []
    for key, column in COLUMNS.items():
        ascending = (key, gettext("%(column)s: %(order)s") % {"column": column.label, "order": column.ascending_words})
        descending = (
            "-" + key,
            gettext("%(column)s: %(order)s") % {"column": column.label, "order": column.descending_words},
        )
        choices += [descending, ascending] if column.first_descending else [ascending, descending]
    return choices


# --- Specialists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialistLoad:
    """An employment specialist a client may move to, with their open caseload now."""

    person: Person
    open: int
    program_ids: frozenset[int]

    @property
    def over(self) -> bool:
        return self.open > selectors.CASELOAD_LIMIT

    @property
    def sorted_program_ids(self) -> list[int]:
        return sorted(self.program_ids)

    @property
    def label(self) -> str:
        count = ngettext("%(count)s open client", "%(count)s open clients", self.open) % {"count": self.open}
        if self.over:
            count = gettext("%(count)s, over %(most)s") % {"count": count, "most": selectors.CASELOAD_LIMIT}
        return f"{self.person} ({count})"


def specialist_loads(visible: QuerySet[Enrollment], programs: Iterable[Program]) -> list[SpecialistLoad]:
    """The employment specialists of these programs' IPS units, each with their open caseload among the
    enrollments the person sees (two queries, whatever the number of programs)."""
    by_unit: dict[int, set[int]] = {}
    for program in programs:
        by_unit.setdefault(program.employment_provider_id or program.mh_agency_id, set()).add(program.pk)
    if not by_unit:
        return []
    seats = Membership.objects.filter(
        organization_id__in=by_unit,
        role=Role.EMPLOYMENT_SPECIALIST,
        is_active=True,
        person__is_active=True,
        organization__kind__in=(OrgKind.EMPLOYMENT_PROVIDER, OrgKind.MH_AGENCY),
    ).select_related("person")
    people: dict[int, tuple[Person, set[int]]] = {}
    for seat in seats:
        people.setdefault(seat.person_id, (seat.person, set()))[1].update(by_unit[seat.organization_id])
    open_rows = visible.exclude(status=Status.CLOSED).filter(specialist_id__in=list(people))
    counts = {r["specialist_id"]: r["n"] for r in open_rows.order_by().values("specialist_id").annotate(n=Count("id"))}
    loads = [SpecialistLoad(p, counts.get(pk, 0), frozenset(ids)) for pk, (p, ids) in people.items()]
    return sorted(loads, key=lambda load: (load.person.last_name, load.person.first_name, load.person.pk))


def transferable(person: Person) -> QuerySet[Enrollment]:
    """The enrollments the person may move to another specialist: their programs' as the IPS supervisor."""
    return access.enrollments_visible_to(person).filter(program_id__in=access.supervised_program_ids(person))


# --- Export ---------------------------------------------------------------------------------------

# In the reader's language (docs/translations.md): a person exports for themselves.
EXPORT_HEADER = (
    gettext_lazy("Record number"),
    gettext_lazy("Last name"),
    gettext_lazy("First name"),
    gettext_lazy("Status"),
    gettext_lazy("Specialist"),
    gettext_lazy("Program"),
    gettext_lazy("Referral date"),
    gettext_lazy("Working"),
    gettext_lazy("Last contact"),
    gettext_lazy("Days since last contact"),
    gettext_lazy("Last employer contact"),
    gettext_lazy("Needs attention"),
)
FORMATS = ("csv", "xlsx")


def export_table(rows: Iterable[Enrollment], today: datetime.date) -> tables.Table:
    """The filtered, sorted caseload as one sheet: dates as dates, reasons spelled out."""
    out = []
    for e in rows:
        last = e.last_contact  # type: ignore[attr-defined]
        out.append(
            [
                e.client.record_number,
                e.client.last_name,
                e.client.first_name,
                e.get_status_display(),
                str(e.specialist) if e.specialist else gettext("Not yet assigned"),
                e.program.name,
                e.referral_date,
                gettext("Yes") if e.working else gettext("No"),  # type: ignore[attr-defined]
                last,
                (today - last).days if last else None,
                e.last_employer_contact,  # type: ignore[attr-defined]
                "; ".join(str(r) for r in reasons(e, today)),
            ]
        )
    return tables.Table(gettext("Caseload"), [str(h) for h in EXPORT_HEADER], out)


def record_export(*, actor: Person, enrollment_ids: list[int], file_format: str, filters: Filters) -> None:
    """An export of the caseload discloses every client in it: one audit event names them all."""
    audit_record(
        actor=actor,
        action="client.export_caseload",
        summary=f"{len(enrollment_ids)} client record(s) exported ({file_format.upper()})",
        detail={"enrollments": enrollment_ids, "format": file_format, "filters": filters.as_params()},
    )
