"""The statewide pages (issue 23): an index for the state team and trainers, technical-assistance activity
across the state's programs (with a CSV of its entries) and training gaps across programs. 403 for anyone
without a seat on a state IPS team; every read is scoped to the person's states (statewide.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ipshub.collaboration import statewide
from ipshub.collaboration.models import TAKind
from ipshub.lib import tables
from ipshub.lib.pagination import paginate
from ipshub.lib.replica import reads_from_replica
from ipshub.lib.signed_in import person_of
from ipshub.tenancy.access import scoped_view

TA_CSV_HEADER = ("date", "program", "trainer", "kind", "hours", "topics", "results")


def _quarters(request: HttpRequest) -> int:
    """?quarters=4, 8 or 12; anything else is the last four quarters."""
    raw = request.GET.get("quarters", "")
    return int(raw) if raw.isdigit() and int(raw) in statewide.QUARTER_CHOICES else statewide.QUARTER_CHOICES[0]


@scoped_view
def index(request: HttpRequest) -> HttpResponse:
    statewide.require_statewide(person_of(request))
    return render(request, "collaboration/statewide_index.html")


@scoped_view
@reads_from_replica
def technical_assistance(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    statewide.require_statewide(person)
    today, quarters = timezone.localdate(), _quarters(request)
    report = statewide.ta_activity(person, today, quarters)
    entries = statewide.ta_entries(person, report.since, today).select_related("program", "trainer")
    page, prefix = paginate(request, entries.order_by("-date", "-id"), keys_first=True)
    return render(
        request,
        "collaboration/statewide_ta.html",
        {
            "report": report,
            "page_obj": page,
            "query_prefix": prefix,
            "quarter_choices": statewide.QUARTER_CHOICES,
            "kinds": dict(TAKind.choices),
        },
    )


@scoped_view
@reads_from_replica
def technical_assistance_csv(request: HttpRequest) -> HttpResponse:
    """Every entry of the chosen quarters (no client data: programs, trainers, topics and hours)."""
    person = person_of(request)
    statewide.require_statewide(person)
    today = timezone.localdate()
    since = statewide.window_start(today, _quarters(request))
    entries = statewide.ta_entries(person, since, today).select_related("program", "trainer").order_by("-date", "-id")
    rows = (
        (e.date, e.program.name, str(e.trainer), e.get_kind_display(), e.hours, e.topics, e.results)
        for e in entries.iterator(chunk_size=500)
    )
    return tables.csv_response(f"technical-assistance-{since:%Y-%m}-to-{today:%Y-%m}.csv", TA_CSV_HEADER, rows)


@scoped_view
@reads_from_replica
def training_gaps(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    statewide.require_statewide(person)
    query = request.GET.get("q", "").strip()[:100]
    programs = statewide.statewide_programs(person).select_related("mh_agency").order_by("name")
    if query:
        programs = programs.filter(name__icontains=query)
    page, prefix = paginate(request, programs)
    return render(
        request,
        "collaboration/statewide_training.html",
        {
            "rows": statewide.training_gaps(list(page.object_list), timezone.localdate()),
            "page_obj": page,
            "query_prefix": prefix,
            "q": query,
        },
    )


@scoped_view
@reads_from_replica
def training_gaps_csv(request: HttpRequest) -> HttpResponse:
    """Every program of the person's states, one row each (four queries whatever their number)."""
    person = person_of(request)
    statewide.require_statewide(person)
    programs = list(statewide.statewide_programs(person).order_by("name"))
    rows = (
        (
            row.program.name,
            row.people,
            row.people_with_gaps,
            row.gaps,
            row.overdue,
            "; ".join(f"{title} ({n})" for title, n in row.courses),
        )
        for row in statewide.training_gaps(programs, timezone.localdate())
    )
    header = ("program", "people", "people_with_gaps", "courses_missing", "overdue", "courses")
    return tables.csv_response("training-gaps.csv", header, rows)
