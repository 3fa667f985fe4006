"""What the site search finds in client services: clients (within the person's caseload, agency, review or
consent to their DVR office) and the employers of the programs whose registry they see.

A client found is a disclosure: the results that show client names leave one audit event naming them, as
the caseload does (`client.list_search`). Two queries for clients (the rows, the audit event) and one for
employers, whatever the data size."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.urls import reverse

from ipshub.clients import access, services
from ipshub.clients.models import Status
from ipshub.lib.searches import SearchResult, name_match
from ipshub.tenancy.models import Person

CLIENT_ORDER, EMPLOYER_ORDER = 10, 20


def results(person: Person, query: str, limit: int) -> list[SearchResult]:
    return _clients(person, query, limit) + _employers(person, query, limit)


def _clients(person: Person, query: str, limit: int) -> list[SearchResult]:
    full = access.enrollments_visible_to(person)
    shared = access.dvr_enrollments_visible_to(person)
    # Which rows are the whole record and which the DVR view: asked of each row only for DVR staff; everyone
    # else sees whole records only, with a simpler query (a third of the planning time for a supervisor's).
    whole_record: Exists | Value = Value(True)
    visible = full
    if not shared.query.is_empty():
        visible = full | shared
        whole_record = Exists(full.filter(pk=OuterRef("pk")))
    match = name_match(
        query,
        names=[
            ("client__first_name", "client__last_name"),
            "client__last_name",
            "client__first_name",
            "client__preferred_name",
        ],
        exact=["client__record_number"],
    )
    rows = (
        visible.filter(match.condition)
        .annotate(search_rank=match.rank)
        .annotate(
            whole_record=whole_record,
            closed=Case(When(status=Status.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .select_related("client", "program", "specialist")
        .order_by("search_rank", "closed", "client__last_name", "client__first_name", "pk")[:limit]
    )
    found = []
    for enrollment in rows:
        client = enrollment.client
        if enrollment.whole_record:
            title = client.full_name + (f" ({client.preferred_name})" if client.preferred_name else "")
            specialist = str(enrollment.specialist) if enrollment.specialist else "no specialist yet"
            detail = f"{enrollment.program.name} · {enrollment.get_status_display()} · {specialist}"
        else:  # the DVR view: employment and eligibility fields only (selectors.DvrClientPage)
            title = client.full_name
            detail = f"{enrollment.program.name} · shared with your DVR office by consent"
        found.append(
            SearchResult(
                "Client",
                title,
                reverse("clients:detail", args=[enrollment.pk]),
                detail,
                enrollment.search_rank,
                CLIENT_ORDER,
            )
        )
    if rows:
        services.record_list(actor=person, action="client.list_search", enrollment_ids=[e.pk for e in rows])
    return found


def _employers(person: Person, query: str, limit: int) -> list[SearchResult]:
    match = name_match(query, names=["name"], also=["industry", "contact_name"])
    rows = access.employers_visible_to(person).filter(match.condition).annotate(search_rank=match.rank)
    return [
        SearchResult(
            "Employer",
            employer.name,
            reverse("clients:employer_detail", args=[employer.pk]),
            " · ".join(part for part in (employer.industry, employer.program.name) if part),
            employer.search_rank,
            EMPLOYER_ORDER,
        )
        for employer in rows.select_related("program").order_by("search_rank", "name", "pk")[:limit]
    ]
