"""Implementation pages: the state board, each program's roadmap, responsibilities, partnership set-up,
readiness, steering committee and timeline, and the resource library.

Each view makes one access call and at most one service call.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ipshub.catalog import selectors as catalog
from ipshub.catalog.models import Strategy
from ipshub.implementation import access as impl_access
from ipshub.implementation import exports, forms, fulfilment, selectors, services
from ipshub.implementation.models import Assignment, ItemStatus, Resource, SteeringMember
from ipshub.lib.downloads import attachment
from ipshub.lib.forms import apply_service_errors, saved
from ipshub.lib.pagination import paginate
from ipshub.lib.replica import reads_from_replica
from ipshub.lib.signed_in import person_of
from ipshub.lib.uploads import ALLOWED_TEXT
from ipshub.tenancy import access
from ipshub.tenancy import selectors as tenancy_selectors
from ipshub.tenancy.models import Person, Phase, Program


def _upload_hint() -> str:
    limit = settings.UPLOAD_MAX_BYTES
    size = f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"{ALLOWED_TEXT}; at most {size}."


def _program_context(person: Person, program: Program, **extra: Any) -> dict[str, Any]:
    return {
        "program": program,
        "can_lead": impl_access.can_lead(person, program),
        "upload_hint": _upload_hint(),
        **extra,
    }


# --- The state board ------------------------------------------------------------------------------


def _board(request: HttpRequest) -> selectors.Board:
    person = person_of(request)
    if not impl_access.sees_board(person):
        raise Http404("The state board is for the state IPS team.")
    stage = request.GET.get("stage", "")
    return selectors.board(
        impl_access.board_programs(person),
        timezone.localdate(),
        phase=request.GET.get("phase", "") if request.GET.get("phase") in Phase.values else "",
        stage=int(stage) if stage.isdigit() else None,
        overdue_only=request.GET.get("overdue") == "1",
        q=request.GET.get("q", "").strip(),
    )


@access.scoped_view
@reads_from_replica
def board(request: HttpRequest) -> HttpResponse:
    data = _board(request)
    page, prefix = paginate(request, data.rows, per_page=50)
    return render(
        request,
        "implementation/board.html",
        {
            "board": data,
            "page_obj": page,
            "query_prefix": prefix,
            "phase": request.GET.get("phase", ""),
            "stage": request.GET.get("stage", ""),
            "overdue": request.GET.get("overdue", ""),
            "q": request.GET.get("q", ""),
            "can_open": tenancy_selectors.program_manager_states(person_of(request)).exists(),
            "today": timezone.localdate(),
        },
    )


@access.scoped_view
@reads_from_replica
def board_csv(request: HttpRequest) -> HttpResponse:
    return exports.board_csv(_board(request).rows, timezone.localdate())


@access.scoped_view
@reads_from_replica
def board_pdf(request: HttpRequest) -> HttpResponse:
    data = _board(request)
    today = timezone.localdate()
    return exports.pdf_response(
        request, "implementation/board_pdf.html", {"board": data, "today": today}, f"state-board-{today}.pdf"
    )


# --- One program ----------------------------------------------------------------------------------


@access.scoped_view
def program_overview(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    return _render_overview(request, person, program)


def _render_overview(
    request: HttpRequest,
    person: Person,
    program: Program,
    *,
    kickoff_form: forms.KickoffForm | None = None,
    phase_form: forms.PhaseOverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    can_manage = access.can_manage_programs(person, program.state_id)
    gate = selectors.unmet_partnership_items(program) if program.phase == Phase.PRIOR else []
    stages = selectors.roadmap(program)
    totals = [(row.stage.number, row.stage.local("short_name"), len(row.strategies)) for row in stages]
    closed = {row.stage.number: row.closed for row in stages}
    return render(
        request,
        "implementation/program.html",
        _program_context(
            person,
            program,
            stages=stages,
            current_stage=selectors.current_stage(totals, closed)[0] if totals else 0,
            gate=gate,
            counts=selectors.assignment_counts(program, today),
            dvr_offices=list(program.dvr_offices.all()),
            can_manage=can_manage,
            kickoff_form=kickoff_form or forms.KickoffForm(initial={"kickoff_date": program.kickoff_date}),
            phase_form=phase_form or (forms.PhaseOverrideForm(initial={"effective_on": today}) if can_manage else None),
        ),
        status=status,
    )


@require_POST
@access.scoped_view
def kickoff_set(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    impl_access.require_leader(person, program)
    form = forms.KickoffForm(request.POST)
    if form.is_valid():
        try:
            change = services.program_kickoff_set(actor=person, program=program, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if change:
                messages.success(
                    request, _("Kick-off recorded. %(program)s is now in implementation.") % {"program": program}
                )
            elif program.phase == Phase.PRIOR and program.kickoff_date and program.kickoff_date <= timezone.localdate():
                messages.warning(
                    request,
                    _(
                        "Kick-off recorded, but the program stays prior to implementation until the partnership "
                        "set-up is complete (see below)."
                    ),
                )
            else:
                messages.success(request, _("Kick-off date saved."))
            return redirect("implementation:program", program_id=program.pk)
    return _render_overview(request, person, program, kickoff_form=form, status=400)


@require_POST
@access.scoped_view
def phase_override(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    access.require_program_manager(person, program.state_id)
    form = forms.PhaseOverrideForm(request.POST)
    if form.is_valid() and saved(
        form, lambda: services.program_phase_override(actor=person, program=program, **form.cleaned_data)
    ):
        messages.success(
            request,
            _("%(program)s is now in '%(phase)s' (override recorded).")
            % {"program": program, "phase": program.get_phase_display()},
        )
        return redirect("implementation:program", program_id=program.pk)
    return _render_overview(request, person, program, phase_form=form, status=400)


@access.scoped_view
def stage_detail(request: HttpRequest, program_id: int, stage_number: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    rows = [row for row in selectors.roadmap(program) if row.stage.number == stage_number]
    if not rows:
        raise Http404("No such stage.")
    return render(request, "implementation/stage.html", _program_context(person, program, row=rows[0]))


@access.scoped_view
def strategy_edit(request: HttpRequest, program_id: int, strategy_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    strategy = get_object_or_404(
        Strategy.objects.select_related("stage"), pk=strategy_id, stage__version__is_current=True
    )
    progress = program.strategy_progress.filter(strategy=strategy).first()
    initial = (
        {f: getattr(progress, f) for f in ("status", "reason", "notes", "started_on", "completed_on")}
        if progress
        else {}
    )
    form = forms.StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        impl_access.require_leader(person, program)
        if form.is_valid():
            try:
                services.strategy_progress_update(actor=person, program=program, strategy=strategy, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The strategy was saved."))
                return redirect("implementation:stage", program_id=program.pk, stage_number=strategy.stage.number)
    return render(
        request,
        "implementation/strategy.html",
        _program_context(
            person,
            program,
            strategy=strategy,
            form=form,
            status_label=progress.get_status_display() if progress else ItemStatus.NOT_STARTED.label,
            evidence=list(progress.evidence.all()) if progress else [],
            evidence_form=forms.EvidenceForm(),
        ),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@access.scoped_view
def strategy_evidence_add(request: HttpRequest, program_id: int, strategy_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    strategy = get_object_or_404(Strategy, pk=strategy_id, stage__version__is_current=True)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and saved(
        form, lambda: services.evidence_add(actor=person, program=program, strategy=strategy, **form.cleaned_data)
    ):
        messages.success(request, _("The evidence was added."))
        return redirect("implementation:strategy", program_id=program.pk, strategy_id=strategy.pk)
    progress = program.strategy_progress.filter(strategy=strategy).first()
    return render(
        request,
        "implementation/strategy.html",
        _program_context(
            person,
            program,
            strategy=strategy,
            form=forms.StrategyForm(initial={"status": progress.status if progress else ItemStatus.NOT_STARTED}),
            evidence=list(progress.evidence.all()) if progress else [],
            evidence_form=form,
        ),
        status=400,
    )


# --- Responsibilities -----------------------------------------------------------------------------


def _filtered_assignments(request: HttpRequest, program: Program) -> Any:
    items = selectors.program_assignments(program)
    phase, party, status = (request.GET.get(k, "") for k in ("phase", "party", "status"))
    if phase in selectors.CATALOG_PHASE_LABELS:
        items = items.filter(phase_key=phase)
    if party in selectors.PARTY_LABELS:
        items = items.filter(party_key=party)
    if status == "overdue":
        items = items.filter(selectors.open_overdue_q(timezone.localdate()))
    elif status in ItemStatus.values:
        items = items.filter(status=status)
    return items


@access.scoped_view
def assignment_list(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    return _assignment_list_page(request, person, program)


def _assignment_list_page(
    request: HttpRequest, person: Person, program: Program, bulk_form: forms.BulkForm | None = None, status: int = 200
) -> HttpResponse:
    page, prefix = paginate(request, _filtered_assignments(request, program), per_page=50)
    return render(
        request,
        "implementation/assignments.html",
        _program_context(
            person,
            program,
            page_obj=page,
            query_prefix=prefix,
            phases=selectors.CATALOG_PHASE_LABELS,
            parties=selectors.PARTY_LABELS,
            statuses=ItemStatus.choices,
            filters={k: request.GET.get(k, "") for k in ("phase", "party", "status")},
            no_provider=program.employment_provider_id is None,
            today=timezone.localdate(),
            counts=selectors.assignment_counts(program, timezone.localdate()),
            bulk_form=bulk_form or forms.BulkForm(),
            can_waive=impl_access.can_waive(person, program),
        ),
        status=status,
    )


@require_POST
@access.scoped_view
def assignment_bulk(request: HttpRequest, program_id: int) -> HttpResponse:
    """A state lead waives, retires or restores the chosen assignments of a program, with a reason."""
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    impl_access.require_waiver(person, program)
    form = forms.BulkForm(request.POST)
    chosen = list(
        selectors.program_assignments(program).filter(pk__in=[v for v in request.POST.getlist("chosen") if v.isdigit()])
    )
    if form.is_valid() and saved(
        form,
        lambda: services.assignments_bulk_set(
            actor=person, assignments=chosen, action=form.cleaned_data["action"], reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(
            request,
            ngettext("%(count)s responsibility updated.", "%(count)s responsibilities updated.", len(chosen))
            % {"count": len(chosen)},
        )
        return redirect(reverse("implementation:assignments", args=[program.pk]) + "?" + request.GET.urlencode())
    return _assignment_list_page(request, person, program, bulk_form=form, status=400)


@access.scoped_view
def assignment_csv(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access.get_program_for(person_of(request), program_id)
    items = _filtered_assignments(request, program).select_related("program")
    return exports.assignments_csv(f"responsibilities-{program.pk}.csv", items, timezone.localdate())


@access.scoped_view
def assignment_pdf(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access.get_program_for(person_of(request), program_id)
    items = _filtered_assignments(request, program).select_related("program")
    return exports.pdf_response(
        request,
        "implementation/assignments_pdf.html",
        {"title": f"{program.name}: responsibilities", "items": items, "today": timezone.localdate()},
        f"responsibilities-{program.pk}.pdf",
    )


def _org_people(assignment: Assignment) -> QuerySet[Person]:
    if assignment.organization_id is None:
        return Person.objects.none()
    return Person.objects.filter(
        memberships__organization_id=assignment.organization_id, memberships__is_active=True
    ).distinct()


def _assignment_page(
    request: HttpRequest,
    person: Person,
    assignment: Assignment,
    form: forms.AssignmentForm | None = None,
    evidence_form: forms.EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    people = _org_people(assignment)
    today = timezone.localdate()
    form = form or forms.AssignmentForm(
        initial={
            "status": assignment.status,
            "due_on": assignment.due_on,
            "owner": assignment.owner,
            "notes": assignment.notes,
        },
        people=people,
    )
    return render(
        request,
        "implementation/assignment.html",
        _program_context(
            person,
            assignment.program,
            assignment=assignment,
            form=form,
            can_update=impl_access.can_update_assignment(person, assignment),
            comments=assignment.comments.select_related("author"),
            evidence=selectors.evidence_for_assignment(assignment),
            evidence_form=evidence_form or forms.EvidenceForm(),
            party_label=selectors.PARTY_LABELS.get(assignment.party_key, ""),
            phase_label=selectors.CATALOG_PHASE_LABELS.get(assignment.phase_key, ""),
            no_provider=assignment.party_key == "employment_provider"
            and assignment.program.employment_provider_id is None,
            today=today,
            why=fulfilment.why(assignment, today),
            record_links=fulfilment.record_links(assignment) if assignment.is_open else [],
            period=fulfilment.period_label(assignment),
            rule=assignment.responsibility.fulfilment,
            is_confirmation=assignment.responsibility.fulfilment.get("kind") == "confirmation",
        ),
        status=status,
    )


@access.scoped_view
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    person = person_of(request)
    assignment = impl_access.get_assignment_for(person, assignment_id)
    if request.method != "POST":
        return _assignment_page(request, person, assignment)
    impl_access.require_assignment_updater(person, assignment)
    people = _org_people(assignment)
    form = forms.AssignmentForm(request.POST, people=people)
    if form.is_valid() and saved(
        form, lambda: services.assignment_update(actor=person, assignment=assignment, **form.cleaned_data)
    ):
        messages.success(request, _("The responsibility was saved."))
        return redirect("implementation:assignment", assignment_id=assignment.pk)
    assignment.refresh_from_db()
    return _assignment_page(request, person, assignment, form=form, status=400)


@require_POST
@access.scoped_view
def assignment_evidence_add(request: HttpRequest, assignment_id: int) -> HttpResponse:
    person = person_of(request)
    assignment = impl_access.get_assignment_for(person, assignment_id)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and saved(
        form,
        lambda: services.evidence_add(
            actor=person, program=assignment.program, assignment=assignment, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The evidence was added."))
        return redirect("implementation:assignment", assignment_id=assignment.pk)
    return _assignment_page(request, person, assignment, evidence_form=form, status=400)


@access.scoped_view
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    evidence = impl_access.get_evidence_for(person_of(request), evidence_id)
    if not evidence.file:
        return redirect(evidence.link)
    return attachment(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


# --- My responsibilities --------------------------------------------------------------------------


def _mine(request: HttpRequest) -> Any:
    person = person_of(request)
    items = selectors.my_assignments(person)
    show = request.GET.get("show", "open")
    if show == "open":
        items = items.filter(status__in=selectors.OPEN)
    elif show == "overdue":
        items = items.filter(selectors.open_overdue_q(timezone.localdate()))
    return items, show


@access.scoped_view
def my_responsibilities(request: HttpRequest) -> HttpResponse:
    items, show = _mine(request)
    page, prefix = paginate(request, items, per_page=50)
    return render(
        request,
        "implementation/mine.html",
        {"page_obj": page, "query_prefix": prefix, "show": show, "today": timezone.localdate()},
    )


@access.scoped_view
def my_responsibilities_csv(request: HttpRequest) -> HttpResponse:
    items, _mine_rest = _mine(request)
    return exports.assignments_csv("my-responsibilities.csv", items, timezone.localdate())


@access.scoped_view
def my_responsibilities_pdf(request: HttpRequest) -> HttpResponse:
    items, _mine_rest = _mine(request)
    return exports.pdf_response(
        request,
        "implementation/assignments_pdf.html",
        {"title": f"Responsibilities of {person_of(request)}", "items": items, "today": timezone.localdate()},
        "my-responsibilities.pdf",
    )


# --- Partnership set-up ---------------------------------------------------------------------------


@access.scoped_view
def partnership(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    return render(
        request,
        "implementation/partnership.html",
        _program_context(
            person,
            program,
            items=selectors.partnership_items(program),
            gate=selectors.unmet_partnership_items(program) if program.phase == Phase.PRIOR else [],
        ),
    )


def _partnership_item_page(
    request: HttpRequest,
    person: Person,
    program: Program,
    item: Any,
    form: Any,
    evidence_form: Any,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "implementation/partnership_item.html",
        _program_context(
            person,
            program,
            item=item,
            form=form,
            evidence=list(item.evidence.all()),
            evidence_form=evidence_form,
        ),
        status=status,
    )


@access.scoped_view
def partnership_item(request: HttpRequest, program_id: int, item_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    item = impl_access.get_partnership_item_for(person, program, item_id)
    initial = {f: getattr(item, f) for f in ("status", "parties", "agreed_on", "notes", "waiver_reason")}
    form = forms.PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST":
        impl_access.require_leader(person, program)
        if form.is_valid() and saved(
            form, lambda: services.partnership_item_update(actor=person, item=item, **form.cleaned_data)
        ):
            messages.success(request, _("'%(kind)s' was saved.") % {"kind": item.get_kind_display()})
            return redirect("implementation:partnership", program_id=program.pk)
        item.refresh_from_db()
    return _partnership_item_page(
        request, person, program, item, form, forms.EvidenceForm(), 400 if request.method == "POST" else 200
    )


@require_POST
@access.scoped_view
def partnership_evidence_add(request: HttpRequest, program_id: int, item_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    item = impl_access.get_partnership_item_for(person, program, item_id)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and saved(
        form, lambda: services.evidence_add(actor=person, program=program, partnership_item=item, **form.cleaned_data)
    ):
        messages.success(request, _("The evidence was added."))
        return redirect("implementation:partnership_item", program_id=program.pk, item_id=item.pk)
    initial = {f: getattr(item, f) for f in ("status", "parties", "agreed_on", "notes", "waiver_reason")}
    return _partnership_item_page(request, person, program, item, forms.PartnershipForm(initial=initial), form, 400)


# --- Readiness ------------------------------------------------------------------------------------


@access.scoped_view
def readiness_list(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    return render(
        request,
        "implementation/readiness_list.html",
        _program_context(person, program, assessments=program.readiness_assessments.select_related("recorded_by")),
    )


@access.scoped_view
def readiness_create(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    impl_access.require_leader(person, program)
    form = forms.ReadinessForm(request.POST or None, questions=catalog.questions())
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.readiness_record(actor=person, program=program, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The readiness assessment was recorded."))
            return redirect("implementation:readiness", program_id=program.pk, assessment_id=assessment.pk)
    return render(
        request,
        "implementation/readiness_form.html",
        _program_context(person, program, form=form),
        status=400 if request.method == "POST" else 200,
    )


@access.scoped_view
def readiness_detail(request: HttpRequest, program_id: int, assessment_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    assessment = impl_access.get_readiness_for(person, program, assessment_id)
    return render(
        request,
        "implementation/readiness_detail.html",
        _program_context(person, program, assessment=assessment, answers=selectors.readiness_answers(assessment)),
    )


@access.scoped_view
def readiness_pdf(request: HttpRequest, program_id: int, assessment_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    assessment = impl_access.get_readiness_for(person, program, assessment_id)
    return exports.pdf_response(
        request,
        "implementation/readiness_pdf.html",
        {"program": program, "assessment": assessment, "answers": selectors.readiness_answers(assessment)},
        f"readiness-{program.pk}-{assessment.held_on}.pdf",
    )


# --- Steering committee ---------------------------------------------------------------------------


@access.scoped_view
def team(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    form = forms.SteeringMemberForm(request.POST or None)
    if request.method == "POST":
        impl_access.require_leader(person, program)
        if form.is_valid():
            try:
                member = services.steering_member_add(actor=person, program=program, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s was added to the team.") % {"name": member.name})
                return redirect("implementation:team", program_id=program.pk)
    members = list(program.steering_members.all())
    return render(
        request,
        "implementation/team.html",
        _program_context(person, program, members=members, roles=selectors.steering_roles(members), form=form),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@access.scoped_view
def team_member_remove(request: HttpRequest, program_id: int, member_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    member: SteeringMember = impl_access.get_steering_member_for(person, program, member_id)
    services.steering_member_remove(actor=person, member=member)
    messages.success(request, _("%(name)s was removed from the team.") % {"name": member.name})
    return redirect("implementation:team", program_id=program.pk)


# --- Timeline -------------------------------------------------------------------------------------


@access.scoped_view
def timeline(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    return render(
        request,
        "implementation/timeline.html",
        _program_context(person, program, entries=selectors.timeline(program)),
    )


# --- Resource library -----------------------------------------------------------------------------


@access.scoped_view
def library(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    resources = impl_access.resources_visible_to(person)
    stage = request.GET.get("stage", "")
    if stage:
        resources = resources.filter(stage_key=stage)
    stages = list(catalog.stages())
    page, prefix = paginate(request, resources.order_by("stage_key", "title"))
    return render(
        request,
        "implementation/library.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "stages": stages,
            "stage_names": {s.key: f"{s.number}. {s.local('name')}" for s in stages},
            "stage": stage,
            "can_curate": impl_access.can_curate(person),
            "curated": impl_access.curated_state_team_ids(person),
            "first_program": access.programs_visible_to(person).order_by("pk").values_list("pk", flat=True).first(),
        },
    )


@access.scoped_view
def resource_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    impl_access.require_curator(person)
    stages = list(catalog.stages())
    form = forms.ResourceForm(request.POST or None, request.FILES or None, stages=stages)
    if request.method == "POST" and form.is_valid():
        organization_id = min(impl_access.curated_state_team_ids(person))
        try:
            services.resource_create(
                actor=person,
                organization=access.get_organization_for(person, organization_id),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The resource was added to the library."))
            return redirect("implementation:library")
    return render(
        request,
        "implementation/resource_form.html",
        {"form": form, "upload_hint": _upload_hint()},
        status=400 if request.method == "POST" else 200,
    )


def _curated_resource(person: Person, resource_id: int) -> Resource:
    resource = impl_access.get_resource_for(person, resource_id)
    if not impl_access.can_curate(person, resource):
        # Outside the state team, a resource is reached through one of the person's programs.
        raise Http404("No such resource.")
    return resource


@access.scoped_view
def resource_file(request: HttpRequest, resource_id: int) -> HttpResponseBase:
    resource = _curated_resource(person_of(request), resource_id)
    if not resource.file:
        return redirect(resource.link)
    return attachment(resource.file, filename=resource.original_name, content_type=resource.content_type)


@require_POST
@access.scoped_view
def resource_delete(request: HttpRequest, resource_id: int) -> HttpResponse:
    person = person_of(request)
    resource = _curated_resource(person, resource_id)
    services.resource_delete(actor=person, resource=resource)
    messages.success(request, _("'%(title)s' was removed from the library.") % {"title": resource.title})
    return redirect("implementation:library")


@access.scoped_view
def program_resource_file(request: HttpRequest, program_id: int, resource_id: int) -> HttpResponseBase:
    program = access.get_program_for(person_of(request), program_id)
    resource = get_object_or_404(Resource, pk=resource_id, organization__state_id=program.state_id)
    if not resource.file:
        return redirect(resource.link)
    return attachment(resource.file, filename=resource.original_name, content_type=resource.content_type)
