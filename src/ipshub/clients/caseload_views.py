"""The caseload pages: the list (sorted, filtered, what needs attention), its CSV/XLSX export, and the
supervisor's transfer of several clients at once. Names never go in URLs: the name search is a POST
remembered under a random key (lib/searches.py); the filters, the sort and client ids are in the URL."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ipshub.clients import access, caseload, selectors, services, transfers
from ipshub.clients.access import client_view
from ipshub.clients.caseload_forms import TransferForm, versions_of
from ipshub.clients.models import Status
from ipshub.lib import tables
from ipshub.lib.forms import apply_service_errors
from ipshub.lib.pagination import paginate
from ipshub.lib.searches import remembered_search, search_redirect
from ipshub.lib.signed_in import person_of
from ipshub.tenancy.models import Program

_SEARCH_KEY = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_ORDER = ("client__last_name", "client__first_name", "pk")


def _search_key(params: QueryDict) -> str:
    key = params.get("s", "")
    return key if _SEARCH_KEY.match(key) else ""


def _caseload_url(filters: caseload.Filters, search_key: str = "") -> str:
    params = filters.as_params() | ({"s": search_key} if search_key else {})
    url = reverse("clients:caseload")
    return f"{url}?{urlencode(params)}" if params else url


@client_view
def caseload_page(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    access.require_client_roles(person)
    if request.method == "POST":
        return search_redirect(request, "clients:caseload", keep=caseload.Filters.KEYS)
    today = timezone.localdate()
    visible = access.enrollments_visible_to(person)
    query, search_key = remembered_search(request), _search_key(request.GET)
    filters = caseload.Filters.from_query(request.GET)
    page, prefix = paginate(request, filters.apply(caseload.annotated(selectors.search(visible, query), today), today))
    rows = caseload.rows_of(page.object_list, today)
    sizes = selectors.caseload_sizes(visible)
    several_programs = visible.order_by().values("program_id").distinct().count() > 1
    several_specialists = len(sizes) > 1
    transfer_programs = set(access.supervised_program_ids(person))
    services.record_list(actor=person, action="client.list", enrollment_ids=[r.enrollment.pk for r in rows])
    columns = ["name", "status"]
    columns += ["specialist"] if several_specialists else []
    columns += ["program"] if several_programs else []
    columns += ["working", "contact", "attention"]
    export_params = filters.as_params() | ({"s": search_key} if search_key else {})
    return render(
        request,
        "clients/caseload.html",
        {
            "page_obj": page,
            "rows": rows,
            "query_prefix": prefix,
            "q": query,
            "filters": filters,
            "headers": caseload.headers(filters, search_key, columns),
            "statuses": caseload.STATUSES,
            "buckets": [(k, v[0]) for k, v in caseload.CONTACT_BUCKETS.items()],
            "working_choices": list(caseload.WORKING.items()),
            "attention_choices": list(caseload.ATTENTION_FILTERS.items()),
            "sort_choices": caseload.sort_choices(),
            "unassigned": caseload.UNASSIGNED,
            "sizes": sizes,
            "several_specialists": several_specialists,
            "several_programs": several_programs,
            "limit": selectors.CASELOAD_LIMIT,
            "can_refer": access.referring_program_ids(person).exists(),
            "has_shared": access.dvr_enrollments_visible_to(person).exists(),
            "transfer_programs": transfer_programs,
            "back": urlencode(export_params),
            "export_query": urlencode(export_params),
            "filtered": bool(filters.as_params(sort="") or query),
        },
    )


@client_view
def caseload_export(request: HttpRequest) -> HttpResponse:
    """The caseload as the page shows it (same filters, sort and name search), every row, as CSV or XLSX."""
    person = person_of(request)
    access.require_client_roles(person)
    file_format = request.GET.get("format", "csv")
    if file_format not in caseload.FORMATS:
        raise Http404("No such export: the format is csv or xlsx.")
    today = timezone.localdate()
    visible = access.enrollments_visible_to(person)
    filters = caseload.Filters.from_query(request.GET)
    rows = list(filters.apply(caseload.annotated(selectors.search(visible, remembered_search(request)), today), today))
    caseload.record_export(actor=person, enrollment_ids=[e.pk for e in rows], file_format=file_format, filters=filters)
    return tables.table_response(f"caseload-{today:%Y-%m-%d}", caseload.export_table(rows, today), file_format)


@client_view
def transfer(request: HttpRequest) -> HttpResponse:
    """Move the clients chosen on the caseload to one specialist, with a reason (the program's supervisor)."""
    person = person_of(request)
    access.require_client_roles(person)
    supervised = list(Program.objects.filter(pk__in=access.supervised_program_ids(person)))
    if not supervised:
        raise PermissionDenied("Only a program's IPS supervisor can transfer clients.")
    source = request.POST if request.method == "POST" else request.GET
    # The clients offered on the page (ticked or not: unticking one and failing keeps it in the list).
    offered = source.getlist("offered") + source.getlist("clients")
    chosen = [int(v) for v in dict.fromkeys(offered) if v.isdigit()][: transfers.MOST_AT_ONCE + 1]
    enrollments = (
        caseload.transferable(person)
        .filter(pk__in=chosen)
        .select_related("client", "program", "specialist")
        .order_by(*_ORDER)
    )
    shown = list(enrollments)
    programs = {e.program for e in shown} or set(supervised)
    loads = caseload.specialist_loads(access.enrollments_visible_to(person), programs)
    back = QueryDict(source.get("back", ""))
    filters, search_key = caseload.Filters.from_query(back), _search_key(back)
    status = 200
    if request.method == "POST":
        form = TransferForm(request.POST, enrollments=enrollments, loads=loads)
        if form.is_valid():
            specialist = form.cleaned_data["specialist"]
            try:
                moved = transfers.enrollments_transfer(
                    actor=person,
                    enrollments=list(form.cleaned_data["clients"]),
                    specialist=specialist,
                    reason=form.cleaned_data["reason"],
                    expected_versions=form.expected_versions(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
                # The page now shows what is saved, so saving again is on purpose.
                data = request.POST.copy()
                data["versions"] = versions_of(shown)
                form.data = data
            else:
                now = access.enrollments_visible_to(person).filter(specialist=specialist).exclude(status=Status.CLOSED)
                messages.success(
                    request,
                    f"{len(moved)} client{'' if len(moved) == 1 else 's'} transferred to {specialist}, "
                    f"who now has {now.count()} open clients.",
                )
                return redirect(_caseload_url(filters, search_key))
        status = 400
    else:
        form = TransferForm(
            initial={"clients": shown, "versions": versions_of(shown)}, enrollments=enrollments, loads=loads
        )
    if shown:
        # The page names the clients: a list read, like the caseload's.
        services.record_list(actor=person, action="client.list_transfer", enrollment_ids=[e.pk for e in shown])
    return render(
        request,
        "clients/transfer.html",
        {
            "form": form,
            "chosen": shown,
            "show_form": bool(shown) or request.method == "POST",
            "loads": loads,
            "limit": selectors.CASELOAD_LIMIT,
            "back": urlencode(filters.as_params() | ({"s": search_key} if search_key else {})),
            "cancel_url": _caseload_url(filters, search_key),
        },
        status=status,
    )
