"""DVR pages. Each view: one access call, one service call, render or redirect."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipshub.clients import access as clients_access
from ipshub.clients import services as clients_services
from ipshub.clients.access import client_view
from ipshub.dvr import access, forms, rules, selectors, services
from ipshub.dvr.models import Authorization, BillableUnit, DeliverableReport
from ipshub.lib import tables
from ipshub.lib.concurrency import EditConflict, show_conflict
from ipshub.lib.forms import apply_service_errors, saved
from ipshub.lib.pagination import paginate
from ipshub.lib.searches import remembered_search, search_redirect
from ipshub.lib.signed_in import person_of
from ipshub.tenancy.access import can_manage_programs, scoped_view
from ipshub.tenancy.models import Organization


def _detail_url(authorization: Authorization) -> str:
    return reverse("dvr:authorization_detail", kwargs={"authorization_id": authorization.pk})


def _form_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


# --- Lists ---------------------------------------------------------------------------------------------


STATUS_FILTERS = {"open": gettext_lazy("Open"), "earned": gettext_lazy("Report accepted"), "all": gettext_lazy("All")}


@scoped_view
def authorization_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if request.method == "POST":
        return search_redirect(request, "dvr:authorization_list", keep=("status",))
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    items = access.authorizations_visible_to(person)
    if status != "all":
        items = items.filter(status=status)
    query = remembered_search(request)
    if query:
        items = items.filter(
            Q(enrollment__client__last_name__icontains=query)
            | Q(enrollment__client__first_name__icontains=query)
            | Q(service_name__icontains=query)
        )
    items = items.select_related("enrollment__client", "program", "dvr_office", "report", "milestone").order_by(
        "ends_on", "id"
    )
    page, prefix = paginate(request, items)
    rows = [(a, selectors.due_on(a)) for a in page.object_list]
    if rows:
        clients_services.record_list(
            actor=person, action="client.list_dvr_authorizations", enrollment_ids=[a.enrollment_id for a, _row in rows]
        )
    return render(
        request,
        "dvr/authorization_list.html",
        {
            "page": page,
            "prefix": prefix,
            "rows": rows,
            "status": status,
            "filters": STATUS_FILTERS,
            "q": query,
            "is_dvr": bool(access.dvr_office_ids(person)),
            "today": timezone.localdate(),
            "money_programs": access.money_programs(person).order_by("name")[:20],
            "billing_programs": access.billing_programs(person).order_by("name")[:20],
            "catalog_states": sorted(access.catalog_state_ids(person)),
        },
    )


@client_view
def shared_clients(request: HttpRequest) -> HttpResponse:
    """The clients a DVR person may authorize services for: an active consent to their office."""
    person = person_of(request)
    clients_access.require_client_roles(person)
    items = (
        clients_access.dvr_enrollments_visible_to(person)
        .exclude(status="closed")
        .select_related("client", "program")
        .order_by("client__last_name", "client__first_name", "id")
    )
    page, prefix = paginate(request, items)
    if page.object_list:
        clients_services.record_list(
            actor=person, action="client.list_dvr_authorize", enrollment_ids=[e.pk for e in page.object_list]
        )
    return render(request, "dvr/shared_clients.html", {"page": page, "prefix": prefix})


# --- Authorizations ------------------------------------------------------------------------------------


@client_view
def authorize(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_authorizable_for(person, enrollment_id)
    enrollment = found.enrollment
    office_ids = access.consented_offices(person, enrollment.client_id)
    offices = list(Organization.objects.filter(pk__in=office_ids).order_by("name").values_list("id", "name"))
    catalog = services.catalog_current(enrollment.program.state)
    services_list = catalog.data["services"]
    today = timezone.localdate()
    form = forms.AuthorizationForm(
        request.POST or None,
        services=services_list,
        offices=offices,
        initial={"starts_on": today, "ends_on": today + datetime.timedelta(days=120)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                authorization = services.authorization_create(
                    actor=person,
                    enrollment=enrollment,
                    dvr_office=Organization.objects.get(pk=data["dvr_office"]),
                    service_code=data["service_code"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    units=data["units"],
                    amount=data["amount"],
                    number=data["number"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("%(service_name)s authorized.") % {"service_name": authorization.service_name}
                )
                return redirect(_detail_url(authorization))
        status = 400
    described = [
        {**s, "payment_text": rules.describe_payment(s["payment"]), "kind": rules.REPORT_KINDS[s["report"]]}
        for s in services_list
    ]
    return _form_page(
        request,
        "dvr/authorize.html",
        {"form": form, "enrollment": enrollment, "services": described, "catalog": catalog},
        status,
    )


@scoped_view
def authorization_detail(request: HttpRequest, authorization_id: int) -> HttpResponse:
    person = person_of(request)
    authorization = access.get_authorization_for(person, authorization_id)
    clients_services.record_view(actor=person, enrollment=authorization.enrollment, view="dvr_authorization")
    report = DeliverableReport.objects.filter(authorization=authorization).first()
    reviews = list(report.reviews.select_related("by")) if report else []
    milestone = getattr(authorization, "milestone", None)
    is_dvr = access.is_dvr_for(person, authorization)
    is_provider = access.is_provider_for(person, authorization)
    return render(
        request,
        "dvr/authorization_detail.html",
        {
            "a": authorization,
            "report": report,
            "reviews": reviews,
            "milestone": milestone,
            "extensions": list(authorization.extensions.select_related("by")),
            "due_on": selectors.due_on(authorization),
            "payment_text": rules.describe_payment(authorization.payment_rule),
            "is_dvr": is_dvr,
            "is_provider": is_provider,
            "can_report": is_provider
            and authorization.status == Authorization.Status.OPEN
            and (report is None or report.status == DeliverableReport.Status.RETURNED),
            "can_review": is_dvr and report is not None and report.status == DeliverableReport.Status.SUBMITTED,
            "can_extend": is_dvr and authorization.status == Authorization.Status.OPEN,
            "can_pay": is_dvr and milestone is not None and milestone.paid_on is None,
            "paid_form": forms.PaidForm(),
            "expired": authorization.ends_on < timezone.localdate(),
        },
    )


@scoped_view
def authorization_extend(request: HttpRequest, authorization_id: int) -> HttpResponse:
    person = person_of(request)
    authorization = access.get_authorization_for(person, authorization_id)
    access.require_dvr_staff(person, authorization)
    form = forms.ExtensionForm(request.POST or None, initial={"ends_on": authorization.ends_on})
    status = 200
    if request.method == "POST":
        if form.is_valid() and saved(
            form, lambda: services.authorization_extend(actor=person, authorization=authorization, **form.cleaned_data)
        ):
            messages.success(request, _("Authorization extended."))
            return redirect(_detail_url(authorization))
        status = 400
    return _form_page(
        request,
        "dvr/form_page.html",
        {"form": form, "a": authorization, "title": _("Extend the authorization"), "submit": _("Extend")},
        status,
    )


# --- Reports -------------------------------------------------------------------------------------------


@scoped_view
def report_edit(request: HttpRequest, authorization_id: int) -> HttpResponse:
    person = person_of(request)
    authorization = access.get_authorization_for(person, authorization_id)
    access.require_provider_staff(person, authorization)
    today = timezone.localdate()
    form = forms.ReportForm(
        request.POST or None,
        report_kind=authorization.report_kind,
        initial=services.report_initial(authorization, today),
    )
    report = DeliverableReport.objects.filter(authorization=authorization).first()
    last_review = report.reviews.order_by("-created_at").first() if report else None
    status = 200
    if request.method == "POST":
        if form.is_valid() and saved(
            form,
            lambda: services.report_submit(
                actor=person, authorization=authorization, data=form.cleaned_data, today=today
            ),
        ):
            messages.success(request, _("Report submitted to the DVR counselor."))
            return redirect(_detail_url(authorization))
        status = 400
    return _form_page(
        request,
        "dvr/report_form.html",
        {
            "form": form,
            "a": authorization,
            "report": report,
            "last_review": last_review,
            "title": authorization.get_report_kind_display(),
            "prefilled": authorization.report_kind in ("hire", "retention") and report is None,
            "job_found": bool(form.initial.get("job")),
        },
        status,
    )


@scoped_view
def report_review(request: HttpRequest, authorization_id: int) -> HttpResponse:
    person = person_of(request)
    authorization = access.get_authorization_for(person, authorization_id)
    access.require_dvr_staff(person, authorization)
    report = DeliverableReport.objects.filter(authorization=authorization).first()
    form = forms.ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and saved(
            form,
            lambda: services.report_review(
                actor=person,
                authorization=authorization,
                accept=form.cleaned_data["decision"] == "accept",
                comments=form.cleaned_data["comments"],
            ),
        ):
            accepted = form.cleaned_data["decision"] == "accept"
            messages.success(
                request, _("Report accepted: the payment milestone is earned.") if accepted else _("Report returned.")
            )
            return redirect(_detail_url(authorization))
        status = 400
    return _form_page(
        request,
        "dvr/review_form.html",
        {
            "form": form,
            "a": authorization,
            "report": report,
            "payment_text": rules.describe_payment(authorization.payment_rule),
        },
        status,
    )


@require_POST
@scoped_view
def milestone_paid(request: HttpRequest, authorization_id: int) -> HttpResponse:
    person = person_of(request)
    authorization = access.get_authorization_for(person, authorization_id)
    access.require_dvr_staff(person, authorization)
    form = forms.PaidForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_mark_paid(
                actor=person, authorization=authorization, paid_on=form.cleaned_data["paid_on"]
            )
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("Marked as paid."))
    else:
        messages.error(request, _("Give the date the payment was made."))
    return redirect(_detail_url(authorization))


# --- Billable units ------------------------------------------------------------------------------------


@client_view
def billable_unit_create(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = clients_access.get_client_access(person, enrollment_id)
    found.require(clients_access.SERVICES)
    form = forms.BillableUnitForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and saved(
            form, lambda: services.billable_unit_create(actor=person, enrollment=found.enrollment, **form.cleaned_data)
        ):
            messages.success(request, _("Billable service logged."))
            return redirect(
                reverse("dvr:billing", kwargs={"program_id": found.enrollment.program_id})
                if access.billing_programs(person).filter(pk=found.enrollment.program_id).exists()
                else reverse("clients:detail", kwargs={"enrollment_id": found.enrollment.pk})
            )
        status = 400
    return _form_page(
        request,
        "dvr/unit_form.html",
        {"form": form, "enrollment": found.enrollment, "title": _("Log a billable service")},
        status,
    )


@scoped_view
def billing(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_billing_program_for(person, program_id)
    today = timezone.localdate()
    month = request.GET.get("month") or today.strftime("%Y-%m")
    bounds = selectors.month_bounds(month)
    error = ""
    if bounds is None:
        error = f"“{month}” is not a month; use the form YYYY-MM, e.g. {today:%Y-%m}."
        month = today.strftime("%Y-%m")
        bounds = selectors.month_bounds(month)
    assert bounds is not None
    units = BillableUnit.objects.filter(program=program, service_on__range=bounds)
    if request.GET.get("format") == "csv" and not error:
        rows = list(selectors.billing_rows(units))
        clients_services.record_list(
            actor=person, action="dvr.billing_export", enrollment_ids=sorted({u.enrollment_id for u in rows})
        )
        return tables.csv_response(
            f"billing-{program.pk}-{month}.csv", selectors.BILLING_HEADER, [selectors.billing_line(u) for u in rows]
        )
    page, prefix = paginate(request, selectors.billing_rows(units))
    if page.object_list:
        clients_services.record_list(
            actor=person, action="dvr.billing_list", enrollment_ids=sorted({u.enrollment_id for u in page.object_list})
        )
    return render(
        request,
        "dvr/billing.html",
        {
            "program": program,
            "month": month,
            "error": error,
            "page": page,
            "prefix": prefix,
            "mix": selectors.funding_mix(BillableUnit.objects.filter(program=program)),
            "month_mix": selectors.funding_mix(units),
        },
        status=400 if error else 200,
    )


# --- Money ---------------------------------------------------------------------------------------------


def _money_response(request: HttpRequest, title: str, slug: str, authorizations: Any, back: str) -> HttpResponse:
    rows, total = selectors.money(authorizations)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        table = tables.Table(_("DVR money"), selectors.money_header(), selectors.money_table(rows, total))
        return tables.table_response(f"dvr-money-{slug}", table, fmt)
    return render(request, "dvr/money.html", {"title": title, "rows": rows, "total": total, "back": back})


@scoped_view
def money_program(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access.get_money_program_for(person_of(request), program_id)
    return _money_response(
        request,
        _("DVR money: %(name)s") % {"name": program.name},
        f"program-{program.pk}",
        Authorization.objects.filter(program=program),
        program.name,
    )


@scoped_view
def money_state(request: HttpRequest, state_id: int) -> HttpResponse:
    state = access.get_money_state_for(person_of(request), state_id)
    return _money_response(
        request,
        _("DVR money: %(name)s") % {"name": state.name},
        f"state-{state.pk}",
        Authorization.objects.filter(program__state=state),
        state.name,
    )


# --- The service catalog -------------------------------------------------------------------------------


@scoped_view
def catalog(request: HttpRequest, state_id: int) -> HttpResponse:
    person = person_of(request)
    state = access.get_catalog_state_for(person, state_id)
    current = services.catalog_current(state)
    described = [
        {**s, "payment_text": rules.describe_payment(s["payment"]), "kind": rules.REPORT_KINDS[s["report"]]}
        for s in rules.with_translations(current.data["services"])
    ]
    return render(
        request,
        "dvr/catalog.html",
        {
            "state": state,
            "current": current,
            "services": described,
            "versions": list(state.dvr_catalogs.select_related("created_by")[:20]),
            "can_edit": can_manage_programs(person, state.pk),
        },
    )


@scoped_view
def catalog_edit(request: HttpRequest, state_id: int) -> HttpResponse:
    person = person_of(request)
    state = access.get_catalog_state_for(person, state_id)
    access.require_catalog_editor(person, state)
    current = services.catalog_current(state)
    form = forms.CatalogForm(
        request.POST or None, initial={"text": selectors.catalog_text(current), "version": current.version}
    )
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                version = services.catalog_update(
                    actor=person, state=state, expected_version=data.pop("version"), **data
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except EditConflict as exc:
                conflict = show_conflict(form, exc)
            else:
                messages.success(request, _("Catalog version %(version)s saved.") % {"version": version.version})
                return redirect(reverse("dvr:catalog", kwargs={"state_id": state.pk}))
        status = 409 if conflict is not None else 400
    return _form_page(
        request,
        "dvr/catalog_edit.html",
        {"form": form, "state": state, "current": current, "conflict": conflict},
        status,
    )
