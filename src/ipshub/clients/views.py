"""Client services pages. Each view: one access call, one service call, render or redirect.

Client ids (never names) are in URLs; every read of a client record and every list showing client
names leaves an audit event (services.record_view / record_list)."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.clients import access, caseload, caseload_forms, forms, selectors, services, signing_forms, weeks
from ipshub.clients.access import client_view
from ipshub.clients.models import Employer, Enrollment, Status
from ipshub.clients.sections import record_url
from ipshub.lib.concurrency import EditConflict, show_conflict
from ipshub.lib.forms import apply_service_errors
from ipshub.lib.pagination import paginate
from ipshub.lib.searches import remembered_search, search_redirect
from ipshub.lib.signed_in import person_of
from ipshub.tenancy.models import Organization, Person, Program
from ipshub.tenancy.roles import OrgKind


def _record_url(enrollment_id: int, anchor: str = "") -> str:
    return record_url(enrollment_id, anchor)  # the section of the record that shows `anchor`


def _client_form(
    request: HttpRequest,
    found: access.ClientAccess,
    *,
    cap: str,
    form: django_forms.Form,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    anchor: str = "",
    intro: str = "",
    prompts: list[str] | None = None,
) -> HttpResponse:
    """The shared shape of every form on a client record: check, validate, call the service.

    A form with a `version` field edits a record in place: the version it was loaded at goes to the
    service as expected_version, and a save that crossed someone else's is shown both versions (409)."""
    found.require(cap)
    status = 200
    conflict = None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            if "version" in form.fields:
                data["expected_version"] = data.pop("version")
            try:
                save(data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except EditConflict as exc:
                conflict = show_conflict(form, exc)
            else:
                messages.success(request, done)
                return redirect(_record_url(found.enrollment.pk, anchor))
        status = 409 if conflict is not None else 400
    return render(
        request,
        "clients/client_form.html",
        {
            "form": form,
            "title": title,
            "enrollment": found.enrollment,
            "intro": intro,
            "prompts": prompts or [],
            "cancel_url": _record_url(found.enrollment.pk, anchor),
            "conflict": conflict,
        },
        status=status,
    )


# --- The caseload and the client page -------------------------------------------------------------


@client_view
def shared(request: HttpRequest) -> HttpResponse:
    """Clients shared with the person's DVR office under an active consent (DVR view fields only)."""
    person = person_of(request)
    access.require_client_roles(person)
    if request.method == "POST":
        return search_redirect(request, "clients:shared")
    query = remembered_search(request)
    rows = selectors.search(access.dvr_enrollments_visible_to(person), query)
    page, prefix = paginate(
        request,
        rows.select_related("program", "specialist")
        .only(
            "id",
            "status",
            "referral_date",
            "client__first_name",
            "client__last_name",
            "program__name",
            "specialist__first_name",
            "specialist__last_name",
            "specialist__username",
        )
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "id"),
    )
    services.record_list(actor=person, action="client.list_shared", enrollment_ids=[e.pk for e in page])
    return render(request, "clients/shared.html", {"page_obj": page, "query_prefix": prefix, "q": query})


@client_view
def refer(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    access.require_client_roles(person)
    programs = Program.objects.filter(id__in=access.referring_program_ids(person)).order_by("name")
    form = forms.ReferralForm(request.POST or None, programs=programs)
    status = 200
    duplicates: list[Enrollment] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                enrollment = services.referral_create(actor=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                duplicates = _duplicates_to_link(person, form)
            else:
                messages.success(request, _("The referral was recorded. The IPS supervisor assigns a specialist."))
                if access.client_access(person, enrollment):
                    return redirect(_record_url(enrollment.pk))
                return redirect("clients:caseload")
        status = 400
    return render(
        request,
        "clients/referral_form.html",
        {"form": form, "has_programs": programs.exists(), "duplicates": duplicates},
        status=status,
    )


def _duplicates_to_link(person: Person, form: forms.ReferralForm) -> list[Enrollment]:
    """The likely duplicates the referral form links, when it was refused for one: only those the person may
    open (services.duplicate_message words the refusal for the others); showing them is a read, recorded."""
    if not form.has_error("not_duplicate"):
        return []
    data = form.cleaned_data
    found = services.visible_duplicates(
        person, data["program"], data["first_name"], data["last_name"], data["birth_date"]
    )
    if found:
        services.record_list(actor=person, action="client.list_duplicates", enrollment_ids=[e.pk for e in found])
    return found


# --- Enrollment steps -----------------------------------------------------------------------------


@client_view
def advance(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.AdvanceForm(request.POST or None, enrollment=found.enrollment),
        title=_("Record the next step"),
        save=lambda d: services.enrollment_advance(actor=person, enrollment=found.enrollment, **d),
        done=_("The referral's status was updated."),
    )


@client_view
def assign(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    current = found.enrollment.specialist
    # Each specialist with their open caseload; a transfer asks why (caseload_forms.AssignForm).
    every = caseload.specialist_loads(access.enrollments_visible_to(person), [found.enrollment.program])
    loads = [load for load in every if current is None or load.person.pk != current.pk]
    now = next((load.label for load in every if current is not None and load.person.pk == current.pk), str(current))
    initial: dict[str, Any] = {"version": found.enrollment.version}
    if len(loads) == 1:
        initial["specialist"] = loads[0].person  # the one choice, chosen
    return _client_form(
        request,
        found,
        cap=access.ASSIGN,
        form=caseload_forms.AssignForm(
            request.POST or None,
            initial=initial,
            loads=loads,
            transfer=current is not None,
        ),
        title=_("Transfer to another specialist") if current else _("Assign a specialist"),
        intro=_("Now with %(person)s.") % {"person": now} if current else "",
        save=lambda d: services.enrollment_assign(actor=person, enrollment=found.enrollment, **d),
        done=_("The client was transferred.") if current else _("The specialist was assigned."),
    )


@client_view
def close(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    return _client_form(
        request,
        found,
        cap=access.ASSIGN,
        form=forms.CloseForm(request.POST or None, enrollment=found.enrollment),
        title=_("Close the enrollment"),
        intro=_(
            "IPS supports are time-unlimited: close only when the person chooses to stop, not for missed appointments."
        ),
        save=lambda d: services.enrollment_close(actor=person, enrollment=found.enrollment, **d),
        done=_("The enrollment was closed. It can be re-opened at any time."),
    )


@client_view
def reopen(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    return _client_form(
        request,
        found,
        cap=access.ASSIGN,
        form=forms.ReopenForm(request.POST or None, enrollment=found.enrollment),
        title=_("Re-open the enrollment"),
        save=lambda d: services.enrollment_reopen(actor=person, enrollment=found.enrollment, **d),
        done=_("The enrollment was re-opened."),
    )


# --- Consent and DVR ------------------------------------------------------------------------------


@client_view
def consent_add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    program = found.enrollment.program
    organizations = Organization.objects.filter(
        state_id=program.state_id, kind__in=(OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER), is_active=True
    ).order_by("kind", "name")
    return _client_form(
        request,
        found,
        cap=access.CONSENT,
        form=forms.ConsentForm(request.POST or None, request.FILES or None, organizations=organizations),
        title=_("Record a consent signed on paper"),
        intro=_(
            "A release of information the client signed on paper; attach the scan if you have it. A DVR "
            "office sees the client's employment and eligibility information only while the consent is active."
        ),
        save=lambda d: services.consent_create(actor=person, enrollment=found.enrollment, **d),
        done=_("The consent was recorded."),
        anchor="consents",
    )


@client_view
def consent_revoke(request: HttpRequest, enrollment_id: int, consent_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    consent = access.get_consent_in(found, consent_id)
    found.require(access.CONSENT)
    form = signing_forms.RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_revoke(
                actor=person, enrollment=found.enrollment, consent=consent, how=form.cleaned_data["how"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The consent to share with {consent.organization} was revoked.")
        return redirect(_record_url(found.enrollment.pk, "consents"))
    return render(
        request,
        "clients/consent_revoke.html",
        {"enrollment": found.enrollment, "consent": consent, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@client_view
def dvr_case(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    offices, counselors = selectors.dvr_case_choices(found.enrollment)
    case = getattr(found.enrollment, "dvr_case", None) if hasattr(found.enrollment, "dvr_case") else None
    initial = {f: getattr(case, f) for f in services.DVR_CASE_FIELDS} if case else {}
    initial["version"] = case.version if case else 0
    return _client_form(
        request,
        found,
        cap=access.DVR_CASE,
        form=forms.DvrCaseForm(request.POST or None, initial=initial, offices=offices, counselors=counselors),
        title=_("DVR case"),
        save=lambda d: services.dvr_case_save(actor=person, enrollment=found.enrollment, **d),
        done=_("The DVR case was saved."),
        anchor="dvr",
    )


# --- Career profile, benefits, job search ---------------------------------------------------------


@client_view
def profile(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    latest = found.enrollment.profiles.order_by("-version").first()
    initial: dict[str, Any] = {f: getattr(latest, f) for f in services.PROFILE_FIELDS} if latest else {}
    initial["version"] = latest.version if latest else 0
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.CareerProfileForm(request.POST or None, initial=initial),
        title=_("Update the career profile"),
        intro=_("Saving writes a new version; earlier versions are kept. Update the profile after every job."),
        save=lambda d: services.career_profile_write(actor=person, enrollment=found.enrollment, **d),
        done=_("A new version of the career profile was saved."),
        anchor="profile",
    )


@client_view
def benefits(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.BenefitsForm(request.POST or None),
        title=_("Record benefits planning"),
        save=lambda d: services.benefits_planning_record(actor=person, enrollment=found.enrollment, **d),
        done=_("Benefits planning was recorded."),
        anchor="benefits",
    )


@client_view
def job_search_plan(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    plan = getattr(found.enrollment, "job_search_plan", None) if hasattr(found.enrollment, "job_search_plan") else None
    initial: dict[str, Any] = (
        {"goal": plan.goal, "target_employers": plan.target_employers, "steps": plan.steps} if plan else {}
    )
    initial["version"] = plan.version if plan else 0
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.JobSearchPlanForm(request.POST or None, initial=initial),
        title=_("Job search plan"),
        save=lambda d: services.job_search_plan_save(actor=person, enrollment=found.enrollment, **d),
        done=_("The job search plan was saved."),
        anchor="job-search",
    )


# --- Jobs, education, follow-along ----------------------------------------------------------------


@client_view
def job_start(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    enrollment = found.enrollment
    employers = Employer.objects.filter(program=enrollment.program).order_by("name")
    plans = list(enrollment.benefits_plans.all())
    prompts = selectors.benefits_prompts(enrollment, [], [], plans, timezone.localdate())
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.JobStartForm(request.POST or None, employers=employers, enrollment=enrollment),
        title=_("Record a job start"),
        prompts=prompts,
        save=lambda d: services.job_start(actor=person, enrollment=enrollment, **d),
        done=_("The job start was recorded. Plan follow-along support within the first week."),
        anchor="jobs",
    )


@client_view
def job_change(request: HttpRequest, enrollment_id: int, job_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    job = access.get_job_in(found, job_id)
    initial = {
        "title": job.title,
        "hours_per_week": job.hours_per_week,
        "hourly_wage": job.hourly_wage,
        "is_competitive": job.is_competitive,
        "version": job.version,
    }
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.JobChangeForm(request.POST or None, initial=initial, job=job),
        title=_("Change of hours or pay: %(job)s at %(employer)s") % {"job": job.title, "employer": job.employer},
        intro=_("A change of hours or pay can affect benefits: offer benefits planning again."),
        save=lambda d: services.job_change(actor=person, job=job, **d),
        done=_("The change was recorded. Offer benefits planning: hours or pay changed."),
        anchor="jobs",
    )


@client_view
def job_end(request: HttpRequest, enrollment_id: int, job_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    job = access.get_job_in(found, job_id)
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.JobEndForm(request.POST or None, job=job),
        title=_("Job ending: %(job)s at %(employer)s") % {"job": job.title, "employer": job.employer},
        intro=_(
            "Every job is a learning experience. After recording the ending, offer help toward the "
            "next job within 3 days and update the career profile."
        ),
        save=lambda d: services.job_end(actor=person, job=job, **d),
        done=_(
            "The job ending was recorded. Offer help toward the next job within 3 days, and update the career profile."
        ),
        anchor="jobs",
    )


@client_view
def job_next_help(request: HttpRequest, enrollment_id: int, job_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    job = access.get_job_in(found, job_id)
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.NextJobHelpForm(request.POST or None, job=job),
        title=_("Help toward the next job after %(job)s") % {"job": job.title},
        save=lambda d: services.job_next_help_record(actor=person, job=job, **d),
        done=_("Recorded: help toward the next job was offered."),
        anchor="jobs",
    )


@client_view
def education_add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.EducationForm(request.POST or None),
        title=_("Add an education enrollment"),
        save=lambda d: services.education_add(actor=person, enrollment=found.enrollment, **d),
        done=_("The education enrollment was added."),
        anchor="education",
    )


@client_view
def support_add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.SupportContactForm(request.POST or None, enrollment=found.enrollment),
        title=_("Log a support contact"),
        save=lambda d: services.support_contact_log(actor=person, enrollment=found.enrollment, **d),
        done=_("The support contact was logged."),
        anchor="supports",
    )


@client_view
def language_edit(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    client = found.enrollment.client
    initial = {"preferred_language": client.preferred_language, "interpreter_needed": client.interpreter_needed}
    return _client_form(
        request,
        found,
        cap=access.SERVICES,
        form=forms.ClientLanguageForm(request.POST or None, initial=initial),
        title=_("Preferred language"),
        save=lambda d: services.client_language_set(actor=person, enrollment=found.enrollment, **d),
        done=_("The client's language was saved."),
        anchor="referral-heading",
    )


# --- Employers and the employer contact log -------------------------------------------------------


@client_view
def employer_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    query = request.GET.get("q", "").strip()
    employers = access.employers_visible_to(person).select_related("program")
    if query:
        employers = employers.filter(name__icontains=query) | employers.filter(industry__icontains=query)
    page, prefix = paginate(request, employers.order_by("name", "id"))
    return render(
        request,
        "clients/employer_list.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "q": query,
            "can_add": access.job_developer_programs(person).exists(),
        },
    )


@client_view
def employer_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    programs = access.job_developer_programs(person)
    access.require_client_roles(person)
    form = forms.EmployerForm(request.POST or None, programs=programs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                employer = services.employer_create(actor=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("%(employer)s was added to the employer registry.") % {"employer": employer}
                )
                return redirect("clients:employer_detail", employer_id=employer.pk)
        status = 400
    return render(
        request,
        "clients/form_page.html",
        {"form": form, "title": _("Add an employer"), "cancel_url": reverse("clients:employer_list")},
        status=status,
    )


@client_view
def employer_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    person = person_of(request)
    employer = access.get_employer_for(person, employer_id)
    contacts = employer.contacts.select_related("specialist").order_by("-contacted_on", "-id")
    page, prefix = paginate(request, contacts)
    return render(
        request,
        "clients/employer_detail.html",
        {"employer": employer, "page_obj": page, "query_prefix": prefix},
    )


@client_view
def contact_log(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    today = timezone.localdate()
    contacts = access.employer_contacts_visible_to(person)
    mine = request.GET.get("mine", "") == "1"
    if mine:
        contacts = contacts.filter(specialist=person)
    page, prefix = paginate(
        request,
        contacts.select_related("employer", "specialist", "enrollment__client").order_by("-contacted_on", "-id"),
        keys_first=True,
    )
    shown = [c.enrollment_id for c in page if c.enrollment_id]
    visible = set(access.enrollments_visible_to(person).filter(pk__in=shown).values_list("id", flat=True))
    if visible:
        services.record_list(actor=person, action="client.list_contacts", enrollment_ids=sorted(visible))
    can_log = access.job_developer_programs(person).exists()
    own = access.employer_contacts_visible_to(person).filter(specialist=person)
    return render(
        request,
        "clients/contact_log.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "visible": visible,
            "weekly": selectors.weekly_counts(access.employer_contacts_visible_to(person), today),
            "standard": selectors.WEEKLY_CONTACT_STANDARD,
            "this_week": weeks.week_of(today),
            "own_weeks": weeks.history_of(own, today) if can_log else None,
            "mine": mine,
            "can_log": can_log,
        },
    )


@client_view
def contact_add(request: HttpRequest) -> HttpResponse:
    """Log an employer contact: built to take a few taps on a phone."""
    person = person_of(request)
    programs = list(access.job_developer_programs(person))
    access.require_client_roles(person)
    if not programs:
        return render(request, "clients/withheld.html", {"reason": "job_development"}, status=403)
    wanted = request.GET.get("program") or request.POST.get("program") or selectors.main_program_id(person)
    program = next((p for p in programs if str(p.pk) == str(wanted)), programs[0])
    seekers_qs = access.enrollments_visible_to(person).filter(program=program).exclude(status=Status.CLOSED)
    seekers = [(e.pk, e.client.full_name) for e in seekers_qs.select_related("client").order_by("client__last_name")]
    initial = {}
    if (e := request.GET.get("enrollment", "")).isdigit():
        initial["enrollment"] = int(e)
    form = forms.EmployerContactForm(
        request.POST or None,
        initial=initial,
        employers=Employer.objects.filter(program=program).order_by("name"),
        job_seekers=seekers,
        program=program,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            enrollment_id = data.pop("enrollment")
            enrollment = Enrollment.objects.filter(pk=enrollment_id, program=program).first() if enrollment_id else None
            try:
                services.employer_contact_log(actor=person, program=program, enrollment=enrollment, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                # Where the person's week stands now against the standard of 6 face-to-face contacts.
                confirmation = selectors.contact_confirmation(person, data["contacted_on"], timezone.localdate())
                messages.success(request, confirmation)
                if enrollment is not None and request.GET.get("back") == "client":
                    return redirect(_record_url(enrollment.pk, "employer-contacts"))
                return redirect("clients:contact_log")
        status = 400
    return render(
        request,
        "clients/contact_form.html",
        {"form": form, "program": program, "programs": programs},
        status=status,
    )
