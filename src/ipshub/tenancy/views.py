"""Directory pages: organizations, people, memberships and programs.

Each view makes one access call (tenancy/access.py) and at most one service call (tenancy/services.py).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshub.lib.concurrency import EditConflict, FieldDifference, show_conflict
from ipshub.lib.forms import apply_service_errors, saved
from ipshub.lib.pagination import paginate
from ipshub.lib.signed_in import person_of
from ipshub.tenancy import access, forms, selectors, services
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import OrgKind

# --- Organizations --------------------------------------------------------------------------------


@access.scoped_view
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = access.organizations_visible_to(person_of(request)).select_related("state")
    kind, query = request.GET.get("kind", ""), request.GET.get("q", "").strip()
    if kind in OrgKind.values:
        organizations = organizations.filter(kind=kind)
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(region__icontains=query))
    page, prefix = paginate(request, organizations.order_by("name"))
    return render(
        request,
        "tenancy/organization_list.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "kinds": OrgKind.choices,
            "kind": kind,
            "q": query,
            "can_manage": access.can_manage_directory(person_of(request)),
        },
    )


@access.scoped_view
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = access.get_organization_for(person_of(request), organization_id)
    return render(
        request,
        "tenancy/organization_detail.html",
        {
            "organization": organization,
            "memberships": selectors.organization_members(organization),
            "programs": selectors.organization_programs(organization),
            "can_manage": access.can_manage_directory(person_of(request), organization.state_id),
        },
    )


@access.scoped_view
def organization_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    access.require_directory_admin(person)
    states = selectors.manageable_states(person)
    form = forms.OrganizationForm(request.POST or None, states=states)
    if request.method == "POST" and form.is_valid():
        try:
            form.cleaned_data.pop("version", None)
            organization = services.organization_create(actor=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(organization)s was added.") % {"organization": organization})
            return redirect("tenancy:organization_detail", organization_id=organization.pk)
    return render(
        request,
        "tenancy/form_page.html",
        {"form": form, "title": _("Add an organization"), "cancel_url": "tenancy:organization_list"},
    )


@access.scoped_view
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    person = person_of(request)
    organization = access.get_organization_for(person, organization_id)
    access.require_directory_admin(person, organization.state_id)
    fields = ("name", "is_tribal", "region", "county", "phone", "email", "version")
    initial = {f: getattr(organization, f) for f in fields}
    form = forms.OrganizationForm(
        request.POST or None, initial=initial, states=selectors.manageable_states(person), editing=True
    )
    form.existing_kind = organization.kind
    conflict: list[FieldDifference] | None = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.pop("version")
        try:
            services.organization_update(
                actor=person, organization=organization, expected_version=version, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except EditConflict as exc:
            conflict = show_conflict(form, exc)
        else:
            messages.success(request, _("%(organization)s was saved.") % {"organization": organization})
            return redirect("tenancy:organization_detail", organization_id=organization.pk)
    return render(
        request,
        "tenancy/form_page.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": organization},
            "cancel_url": "tenancy:organization_list",
            "conflict": conflict,
        },
        status=409 if conflict is not None else 200,
    )


def person_page(
    request: HttpRequest,
    actor: Person,
    subject: Person,
    form: forms.MembershipForm | None = None,
    status: int = 200,
    enrolment_code: str = "",
) -> HttpResponse:
    """A person's page, also re-shown with a failed role addition's errors or a just-issued enrolment code.

    Public because accounts issues the enrolment code (accounts.views.person_enrolment_code) and shows it here.
    """
    if form is None:
        form = forms.MembershipForm(organizations=selectors.manageable_organizations(actor))
    return render(
        request,
        "tenancy/person_detail.html",
        {
            "subject": subject,
            "memberships": selectors.person_memberships(subject),
            "membership_form": form,
            "can_manage": access.can_manage_directory(actor),
            "enrolment_code": enrolment_code,
        },
        status=status,
    )


# --- People ---------------------------------------------------------------------------------------


@access.scoped_view
def person_list(request: HttpRequest) -> HttpResponse:
    people = access.people_visible_to(person_of(request))
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
        )
    page, prefix = paginate(request, selectors.with_memberships(people))
    return render(
        request,
        "tenancy/person_list.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "q": query,
            "can_manage": access.can_manage_directory(person_of(request)),
        },
    )


@access.scoped_view
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = person_of(request)
    subject = access.get_person_for(actor, person_id)
    return person_page(request, actor, subject)


@access.scoped_view
def person_create(request: HttpRequest) -> HttpResponse:
    actor = person_of(request)
    access.require_directory_admin(actor)
    form = forms.PersonCreateForm(request.POST or None, organizations=selectors.manageable_organizations(actor))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(person)s was added.") % {"person": person})
            return redirect("tenancy:person_detail", person_id=person.pk)
    return render(
        request,
        "tenancy/form_page.html",
        {"form": form, "title": _("Add a person"), "cancel_url": "tenancy:person_list"},
    )


@access.scoped_view
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = person_of(request)
    subject = access.get_person_for(actor, person_id)
    access.require_directory_admin(actor)
    initial = {f: getattr(subject, f) for f in ("first_name", "last_name", "email", "title", "phone", "is_active")}
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.person_update(actor=actor, person=subject, **form.cleaned_data))
    ):
        messages.success(request, _("%(subject)s was saved.") % {"subject": subject})
        return redirect("tenancy:person_detail", person_id=subject.pk)
    return render(
        request,
        "tenancy/form_page.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": subject}, "cancel_url": "tenancy:person_list"},
    )


@require_POST
@access.scoped_view
def membership_add(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = person_of(request)
    subject = access.get_person_for(actor, person_id)
    form = forms.MembershipForm(request.POST, organizations=selectors.manageable_organizations(actor))
    if form.is_valid() and saved(
        form, lambda: services.membership_add(actor=actor, person=subject, **form.cleaned_data)
    ):
        messages.success(request, _("The role was added."))
        return redirect("tenancy:person_detail", person_id=subject.pk)
    return person_page(request, actor, subject, form, status=400)


@require_POST
@access.scoped_view
def membership_end(request: HttpRequest, person_id: int, membership_id: int) -> HttpResponse:
    actor = person_of(request)
    subject = access.get_person_for(actor, person_id)
    membership = get_object_or_404(subject.memberships.select_related("organization", "person"), pk=membership_id)
    try:
        services.membership_end(actor=actor, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(role)s at %(organization)s was ended.")
            % {"role": membership.get_role_display(), "organization": membership.organization},
        )
    return redirect("tenancy:person_detail", person_id=subject.pk)


# --- Programs -------------------------------------------------------------------------------------


@access.scoped_view
def program_list(request: HttpRequest) -> HttpResponse:
    programs = access.programs_visible_to(person_of(request)).select_related(
        "mh_agency", "employment_provider", "trainer"
    )
    phase, query = request.GET.get("phase", ""), request.GET.get("q", "").strip()
    if phase:
        programs = programs.filter(phase=phase)
    if query:
        programs = programs.filter(Q(name__icontains=query) | Q(region__icontains=query))
    page, prefix = paginate(request, programs.order_by("name"))
    person = person_of(request)
    return render(
        request,
        "tenancy/program_list.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "q": query,
            "phase": phase,
            "phases": selectors.PHASE_CHOICES,
            "can_create": bool(selectors.program_manager_states(person).exists()),
        },
    )


def _program_form(
    request: HttpRequest, person: Person, *, initial: dict[str, Any] | None = None, editing: bool = False
) -> forms.ProgramForm:
    states = selectors.program_manager_states(person)
    return forms.ProgramForm(
        request.POST or None,
        initial=initial,
        states=states,
        editing=editing,
        organizations=selectors.organizations_in(states),
        trainers=selectors.trainers_in(states),
    )


@access.scoped_view
def program_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not selectors.program_manager_states(person).exists():
        access.require_program_manager(person, state_id=-1)
    form = _program_form(request, person)
    if request.method == "POST" and form.is_valid():
        try:
            form.cleaned_data.pop("version", None)
            program = services.program_create(actor=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(program)s was opened in the 'prior to implementation' phase.") % {"program": program}
            )
            return redirect("tenancy:program_detail", program_id=program.pk)
    return render(
        request,
        "tenancy/form_page.html",
        {"form": form, "title": _("Open a program"), "cancel_url": "tenancy:program_list"},
    )


@access.scoped_view
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    access.require_program_manager(person, program.state_id)
    initial = {
        "name": program.name,
        "mh_agency": program.mh_agency,
        "employment_provider": program.employment_provider,
        "dvr_offices": list(program.dvr_offices.all()),
        "trainer": program.trainer,
        "region": program.region,
        "funding_source": program.funding_source,
        "version": program.version,
    }
    form = _program_form(request, person, initial=initial, editing=True)
    conflict: list[FieldDifference] | None = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.pop("version")
        try:
            services.program_update(actor=person, program=program, expected_version=version, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except EditConflict as exc:
            conflict = show_conflict(form, exc)
        else:
            messages.success(request, _("%(program)s was saved.") % {"program": program})
            return redirect("tenancy:program_detail", program_id=program.pk)
    return render(
        request,
        "tenancy/form_page.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": program},
            "cancel_url": "tenancy:program_list",
            "conflict": conflict,
        },
        status=409 if conflict is not None else 200,
    )
