"""Fidelity review pages. Each view makes one access call and at most one service call."""

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ipshub.fidelity import (
    access,
    comparison,
    evidence_records,
    forms,
    pdf,
    preparation,
    selectors,
    self_assessment_services,
    services,
    statewide,
)
from ipshub.fidelity.models import FidelityItem, Review, ReviewTeamMember, SelfAssessment
from ipshub.fidelity.report import report_context
from ipshub.fidelity.scales import current_scale
from ipshub.lib import tables
from ipshub.lib.forms import apply_service_errors, saved
from ipshub.lib.pagination import paginate
from ipshub.lib.replica import reads_from_replica
from ipshub.lib.signed_in import person_of
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.access import scoped_view
from ipshub.tenancy.models import Person

# --- Lists and scheduling -------------------------------------------------------------------------


@scoped_view
def review_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    today = timezone.localdate()
    reviews = (
        access.reviews_visible_to(person)
        .select_related("program")
        .prefetch_related(Prefetch("team", queryset=ReviewTeamMember.objects.select_related("person")))
    )
    due, query = request.GET.get("due", "open"), request.GET.get("q", "").strip()
    if due == "delivered":
        reviews = reviews.filter(status=Review.Status.DELIVERED).order_by("-report_date", "-pk")
    else:
        due = due if due in ("overdue", "soon", "open") else "open"
        reviews = selectors.due_filter(reviews, today, due).order_by("due_on", "pk")
    if query:
        reviews = reviews.filter(program__name__icontains=query)
    page, prefix = paginate(request, reviews)
    manages = bool(tenancy_access.state_ids_with_roles(person, ("state_lead", "administrator")))
    return render(
        request,
        "fidelity/review_list.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "due": due,
            "q": query,
            "today": today,
            "can_schedule": manages or tenancy_access.is_platform_admin(person),
        },
    )


@scoped_view
def review_schedule(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    programs = tenancy_access.programs_visible_to(person).filter(
        state_id__in=tenancy_access.state_ids_with_roles(person, ("state_lead", "administrator"))
    )
    form = forms.ScheduleForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_schedule(actor=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The %(kind)s review was scheduled.") % {"kind": review.get_kind_display().lower()}
            )
            return redirect("fidelity:review_detail", review_id=review.pk)
    return render(
        request,
        "fidelity/form_page.html",
        {"form": form, "title": _("Schedule a fidelity review"), "back": "/fidelity/"},
        status=400 if form.errors else 200,
    )


# --- One review -----------------------------------------------------------------------------------


def _review_context(person: Person, review: Review) -> dict[str, Any]:
    team = selectors.team_of(review)
    member = next((m for m in team if m.person_id == person.pk), None)
    return {
        "review": review,
        "team": team,
        "member": member,
        "can_manage": access.can_manage_reviews(person, review.program.state_id),
        "can_plan": access.can_plan(person, review),
        "can_read_report": access.can_read_report(person, review),
        "is_lead": member is not None and member.is_lead,
    }


def _review_evidence(person: Person, review: Review) -> evidence_records.Estimate:
    """The records' evidence for the six months before the visit, with the review's scale's cut points."""
    first, last = evidence_records.review_period(review.visit_day_1, timezone.localdate())
    return evidence_records.program_estimate(review.program, first, last, review.scale)


def _detail_page(
    request: HttpRequest, review: Review, invitee_form: forms.InviteeForm | None = None, status: int = 200
) -> HttpResponse:
    person = person_of(request)
    context = _review_context(person, review)
    can_invite = access.can_edit_invitees(person, review) and review.status != Review.Status.CANCELLED
    context.update(
        agenda=list(review.agenda.all()),
        date_changes=list(review.date_changes.select_related("changed_by")),
        total=selectors.review_total(review) if review.status in ("reporting", "delivered") else None,
        deliveries=list(review.deliveries.select_related("organization")),
        today=timezone.localdate(),
        can_see_estimate=access.can_see_estimate(person, review.program),
        invitees=list(review.invitees.all()),
        can_invite=can_invite,
        invitee_form=(invitee_form or forms.InviteeForm(auto_id="inv_%s")) if can_invite else None,
        answers=forms.ANSWERS,
    )
    context.update(preparation.page_context(person, review))  # the timeline and checklist (issue #26)
    return render(request, "fidelity/review_detail.html", context, status=status)


@scoped_view
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.get_review_for(person_of(request), review_id)
    return _detail_page(request, review)


@require_POST
@scoped_view
def invitee_add(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_invitee_editor(person, review)
    form = forms.InviteeForm(request.POST, auto_id="inv_%s")
    if form.is_valid() and saved(form, lambda: services.invitee_add(actor=person, review=review, **form.cleaned_data)):
        messages.success(request, _("The invitation was recorded."))
        return redirect(f"{_review_url(review)}#invitees")
    return _detail_page(request, review, invitee_form=form, status=400)


@require_POST
@scoped_view
def invitee_answer(request: HttpRequest, invitee_id: int) -> HttpResponse:
    person = person_of(request)
    invitee = access.get_invitee_for(person, invitee_id)
    form = forms.InviteeAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose accepted, declined or no answer yet."))
        services.invitee_answer(actor=person, invitee=invitee, accepted=form.cleaned_data["accepted"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The answer was saved."))
    return redirect(f"{_review_url(invitee.review)}#invitees")


@require_POST
@scoped_view
def invitee_delete(request: HttpRequest, invitee_id: int) -> HttpResponse:
    person = person_of(request)
    invitee = access.get_invitee_for(person, invitee_id)
    try:
        services.invitee_delete(actor=person, invitee=invitee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation was removed."))
    return redirect(f"{_review_url(invitee.review)}#invitees")


def _review_url(review: Review) -> str:
    return reverse("fidelity:review_detail", kwargs={"review_id": review.pk})


@scoped_view
def review_reschedule(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_review_manager(person, review)
    form = forms.RescheduleForm(request.POST or None, initial={"due_on": review.due_on})
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.review_reschedule(actor=person, review=review, **form.cleaned_data))
    ):
        messages.success(request, _("The review's due date was moved."))
        return redirect("fidelity:review_detail", review_id=review.pk)
    return render(
        request,
        "fidelity/form_page.html",
        {
            "form": form,
            "title": _("Move the date of the %(review)s") % {"review": review},
            "back": f"/fidelity/reviews/{review.pk}/",
        },
        status=400 if form.errors else 200,
    )


@scoped_view
def review_cancel(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_review_manager(person, review)
    form = forms.CancelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.review_cancel(actor=person, review=review, reason=form.cleaned_data["reason"]))
    ):
        messages.success(request, _("The review was cancelled."))
        return redirect("fidelity:review_detail", review_id=review.pk)
    return render(
        request,
        "fidelity/form_page.html",
        {
            "form": form,
            "title": _("Cancel the %(review)s") % {"review": review},
            "back": f"/fidelity/reviews/{review.pk}/",
        },
        status=400 if form.errors else 200,
    )


@scoped_view
def review_team(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_review_manager(person, review)
    team = selectors.team_of(review)
    initial = {
        "lead": next((m.person for m in team if m.is_lead), None),
        "second": next((m.person for m in team if not m.is_lead), None),
    }
    form = forms.TeamForm(request.POST or None, initial=initial, reviewers=selectors.eligible_reviewers(review.program))
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.review_set_team(actor=person, review=review, **form.cleaned_data))
    ):
        messages.success(request, _("The review team was saved."))
        return redirect("fidelity:review_plan", review_id=review.pk)
    return render(
        request,
        "fidelity/form_page.html",
        {
            "form": form,
            "title": _("Review team for %(program)s") % {"program": review.program},
            "intro": _(
                "Two fidelity reviewers from the state IPS team; the lead records consensus and writes the report."
            ),
            "back": f"/fidelity/reviews/{review.pk}/",
        },
        status=400 if form.errors else 200,
    )


def _plan_page(
    request: HttpRequest,
    review: Review,
    form: forms.PlanForm | None = None,
    slot_form: forms.AgendaSlotForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {
        name: getattr(review, name)
        for name in (
            "visit_day_1",
            "visit_day_2",
            "window_opens",
            "window_closes",
            "contact_name",
            "contact_email",
            "contact_phone",
            "documents_requested",
        )
    }
    if not review.documents_requested:
        initial["documents_requested"] = str(services.STANDARD_DOCUMENTS)
    context = _review_context(person_of(request), review)
    context.update(
        form=form or forms.PlanForm(initial=initial),
        slot_form=slot_form or forms.AgendaSlotForm(auto_id="slot_%s"),
        agenda=list(review.agenda.all()),
    )
    return render(request, "fidelity/review_plan.html", context, status=status)


@scoped_view
def review_plan(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_planner(person, review)
    if request.method != "POST":
        return _plan_page(request, review)
    form = forms.PlanForm(request.POST)
    if form.is_valid() and saved(form, lambda: services.review_plan(actor=person, review=review, **form.cleaned_data)):
        messages.success(request, _("The plan was saved."))
        return redirect("fidelity:review_plan", review_id=review.pk)
    return _plan_page(request, review, form=form, status=400)


@require_POST
@scoped_view
def agenda_standard(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    try:
        services.agenda_use_standard(actor=person, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The standard two-day agenda was added."))
    return redirect("fidelity:review_plan", review_id=review.pk)


@require_POST
@scoped_view
def agenda_add(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_planner(person, review)
    form = forms.AgendaSlotForm(request.POST, auto_id="slot_%s")
    if form.is_valid() and saved(
        form, lambda: services.agenda_slot_add(actor=person, review=review, **form.cleaned_data)
    ):
        messages.success(request, _("The agenda slot was added."))
        return redirect("fidelity:review_plan", review_id=review.pk)
    return _plan_page(request, review, slot_form=form, status=400)


# --- Scoring and consensus ------------------------------------------------------------------------


@scoped_view
def review_score(request: HttpRequest, review_id: int) -> HttpResponse:
    """A reviewer's own scores. Nobody sees another reviewer's scores here."""
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    context = _review_context(person, review)
    member = context["member"]
    form = None
    if member is not None:
        existing = selectors.own_scores(review, person)
        form = forms.ItemScoresForm(request.POST or None, items=selectors.items_of(review), existing=existing)
        if request.method == "POST":
            access.require_team_member(person, review)
            if form.is_valid():
                try:
                    saved = services.scores_save(actor=person, review=review, entries=form.entries())
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, _("Your scores were saved (%(count)s items).") % {"count": saved})
                    return redirect("fidelity:review_score", review_id=review.pk)
        context.update(scored=len(existing), item_count=len(form.items), sections=_score_sections(form.items, existing))
        for item in form.items:
            cast(Any, item).own_score = existing.get(item.pk)  # for the item's "Saved 10:42" line
        estimate = _review_evidence(person, review)
        evidence_records.attach(form.items, estimate.rows)
        context["estimate"] = estimate
    elif request.method == "POST":
        access.require_team_member(person, review)
    context.update(form=form, editable=member is not None and member.scores_submitted_at is None)
    return render(request, "fidelity/review_score.html", context, status=400 if form and form.errors else 200)


@dataclass(frozen=True)
class ScoreSection:
    """A section of the scale (staffing, organization, services) in the score page's navigation."""

    name: str
    anchor: str
    scored: int
    total: int


def _score_sections(items: list[FidelityItem], existing: dict[int, Any]) -> list[ScoreSection]:
    """`existing` is keyed by item id (the reviewer's scores); _self_sections passes item numbers."""
    return _sections_scored(items, lambda item: item.pk in existing)


def _sections_scored(items: list[FidelityItem], is_scored: Any) -> list[ScoreSection]:
    sections: dict[str, list[FidelityItem]] = {}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    return [
        # The anchor stays the English section's, as the page's headings' ids; the name is the reader's language.
        ScoreSection(
            group[0].local("section"), f"section-{slugify(name)}", sum(1 for i in group if is_scored(i)), len(group)
        )
        for name, group in sections.items()
    ]


@require_POST
@scoped_view
def score_item_save(request: HttpRequest, review_id: int, item_number: int) -> HttpResponse:
    """One item's score and notes, saved as the reviewer scores it: the score page's script sends each item
    here (without the script, the page's button saves every item through the same service). Answers JSON:
    when the item was saved and how many items are scored, or the errors that keep it from saving."""
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_team_member(person, review)
    items = selectors.items_of(review)
    item = next((i for i in items if i.number == item_number), None)
    if item is None:
        raise Http404("No such item on this review's scale.")
    form = forms.ItemScoresForm(request.POST, items=[item], existing={})
    errors: list[str] = []
    if not form.is_valid():
        errors = [
            _("Item %(number)s: %(message)s") % {"number": item_number, "message": message}
            for messages_ in form.errors.values()
            for message in messages_
        ]
    elif not form.cleaned_data.get(f"score_{item_number}"):
        errors = [
            _("Item %(number)s: choose a score (or 'cannot rate' with a reason) to save it.") % {"number": item_number}
        ]
    else:
        try:
            services.scores_save(actor=person, review=review, entries=form.entries())
        except ValidationError as exc:
            errors = exc.messages
    if errors:
        return JsonResponse({"item": item_number, "saved": False, "errors": errors}, status=400)
    own = selectors.own_scores(review, person)
    saved_at = timezone.localtime(own[item.pk].updated_at)
    return JsonResponse(
        {
            "item": item_number,
            "saved": True,
            "saved_at": saved_at.isoformat(),
            "saved_at_text": saved_at.strftime("%H:%M"),
            "scored": len(own),
            "item_count": len(items),
        }
    )


@require_POST
@scoped_view
def scores_submit(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    try:
        services.scores_submit(actor=person, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your scores were submitted."))
    return redirect("fidelity:review_score", review_id=review.pk)


@scoped_view
def review_consensus(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    context = _review_context(person, review)
    visible = access.can_see_team_scores(person, review)
    form = None
    if context["is_lead"] and review.status in (Review.Status.CONSENSUS, Review.Status.REPORTING):
        existing = {c.item_id: c for c in review.consensus_scores.all()}
        form = forms.ItemScoresForm(
            request.POST or None, items=selectors.items_of(review), existing=existing, consensus=True
        )
    if request.method == "POST":
        access.require_lead_reviewer(person, review)
        if (
            form is not None
            and form.is_valid()
            and saved(form, lambda: services.consensus_save(actor=person, review=review, entries=form.entries()))
        ):
            messages.success(request, _("The consensus scores were saved."))
            return redirect("fidelity:review_consensus", review_id=review.pk)
        elif form is None:
            messages.error(request, _("Consensus can be recorded once both reviewers have submitted."))
            return redirect("fidelity:review_consensus", review_id=review.pk)
    rows = selectors.consensus_rows(review, context["team"]) if visible else []
    if form is not None:
        by_item = {item.pk: fields for item, fields in form.groups()}
        for row in rows:
            row.fields = by_item[row.item.pk]
    estimate = _review_evidence(person, review) if visible else None
    if estimate is not None:
        evidence_records.attach([row.item for row in rows], estimate.rows)
    context.update(visible=visible, rows=rows, form=form, total=selectors.review_total(review), estimate=estimate)
    return render(request, "fidelity/review_consensus.html", context, status=400 if form and form.errors else 200)


@require_POST
@scoped_view
def consensus_complete(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    try:
        services.consensus_complete(actor=person, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("fidelity:review_consensus", review_id=review.pk)
    messages.success(request, _("Consensus is complete. Write the report's overall strengths and recommendations."))
    return redirect("fidelity:review_report", review_id=review.pk)


# --- Report ---------------------------------------------------------------------------------------


def _report_page(
    request: HttpRequest,
    review: Review,
    overall_form: forms.OverallForm | None = None,
    deliver_form: forms.DeliverForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    context = _review_context(person, review)
    if context["can_read_report"] and review.status in (Review.Status.REPORTING, Review.Status.DELIVERED):
        context.update(report_context(review))
    drafting = review.status == Review.Status.REPORTING
    context.update(
        overall_form=overall_form
        or forms.OverallForm(
            initial={"strengths": review.overall_strengths, "recommendations": review.overall_recommendations}
        ),
        deliver_form=deliver_form or forms.DeliverForm(initial={"delivered_on": timezone.localdate()}),
        show_overall_form=drafting and context["is_lead"],
        show_deliver_form=drafting and access.can_deliver(person, review),
        deliveries=list(review.deliveries.select_related("organization")),
    )
    return render(request, "fidelity/review_report.html", context, status=status)


@scoped_view
def review_report(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.get_review_for(person_of(request), review_id)
    return _report_page(request, review)


@require_POST
@scoped_view
def report_overall(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_lead_reviewer(person, review)
    form = forms.OverallForm(request.POST)
    if form.is_valid() and saved(
        form, lambda: services.report_save_overall(actor=person, review=review, **form.cleaned_data)
    ):
        messages.success(request, _("The report's overall sections were saved."))
        return redirect("fidelity:review_report", review_id=review.pk)
    return _report_page(request, review, overall_form=form, status=400)


@require_POST
@scoped_view
def report_deliver(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    form = forms.DeliverForm(request.POST)
    if form.is_valid() and saved(
        form, lambda: services.report_deliver(actor=person, review=review, **form.cleaned_data)
    ):
        messages.success(request, _("The report was delivered to the program's partners."))
        return redirect("fidelity:review_actions", review_id=review.pk)
    return _report_page(request, review, deliver_form=form, status=400)


@scoped_view
def review_report_pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    if not access.can_read_report(person, review) or review.status not in ("reporting", "delivered"):
        return _report_page(request, review)
    content = pdf.render_report_pdf(review, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fidelity-review-{review.pk}.pdf"'
    return response


# --- Action plan ----------------------------------------------------------------------------------


def _actions_page(
    request: HttpRequest,
    review: Review,
    form: forms.ActionForm | None = None,
    from_form: forms.FromRecommendationsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    owners = selectors.possible_owners(review)
    context = _review_context(person, review)
    context.update(
        actions=list(review.actions.select_related("owner").prefetch_related("items", "notes")),
        form=form or forms.ActionForm(review=review, owners=owners),
        from_form=from_form or forms.FromRecommendationsForm(owners=owners, auto_id="rec_%s"),
        can_edit=access.can_edit_actions(person, review) and review.status == Review.Status.DELIVERED,
        today=timezone.localdate(),
    )
    return render(request, "fidelity/review_actions.html", context, status=status)


@scoped_view
def review_actions(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    if request.method != "POST":
        return _actions_page(request, review)
    access.require_action_editor(person, review)
    form = forms.ActionForm(request.POST, review=review, owners=selectors.possible_owners(review))
    if form.is_valid() and saved(
        form, lambda: services.action_create(actor=person, review=review, **form.cleaned_data)
    ):
        messages.success(request, _("The action was added."))
        return redirect("fidelity:review_actions", review_id=review.pk)
    return _actions_page(request, review, form=form, status=400)


@require_POST
@scoped_view
def actions_from_recommendations(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_review_for(person, review_id)
    access.require_action_editor(person, review)
    form = forms.FromRecommendationsForm(request.POST, owners=selectors.possible_owners(review), auto_id="rec_%s")
    if form.is_valid():
        try:
            created = services.actions_from_recommendations(actor=person, review=review, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s action was added from the recommendations.",
                    "%(count)s actions were added from the recommendations.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("fidelity:review_actions", review_id=review.pk)
    return _actions_page(request, review, from_form=form, status=400)


@scoped_view
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    person = person_of(request)
    action = access.get_action_for(person, action_id)
    review = action.review
    can_update = access.can_update_action(person, action)
    form = forms.ActionUpdateForm(
        request.POST or None,
        owners=selectors.possible_owners(review),
        initial={
            "status": action.status,
            "owner": action.owner,
            "due_on": action.due_on,
            "steering_reviewed_on": action.steering_reviewed_on,
        },
    )
    if request.method == "POST":
        access.require_action_updater(person, action)
        if form.is_valid():
            try:
                services.action_update(actor=person, action=action, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The action was updated."))
                return redirect("fidelity:action_detail", action_id=action.pk)
    return render(
        request,
        "fidelity/action_detail.html",
        {
            "action": action,
            "review": review,
            "notes": list(action.notes.select_related("author")),
            "items": list(action.items.all()),
            "form": form if can_update else None,
            "can_delete": access.can_edit_actions(person, review),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@scoped_view
def action_delete(request: HttpRequest, action_id: int) -> HttpResponse:
    person = person_of(request)
    action = access.get_action_for(person, action_id)
    review = action.review
    services.action_delete(actor=person, action=action)
    messages.success(request, _("The action was removed from the plan."))
    return redirect("fidelity:review_actions", review_id=review.pk)


# --- Running fidelity estimate ----------------------------------------------------------------------


@scoped_view
def program_estimate(request: HttpRequest, program_id: int) -> HttpResponse:
    """The measurable items' indicators and implied scores from the program's records, for a period."""
    person = person_of(request)
    program = access.get_estimate_program_for(person, program_id)
    first, last = evidence_records.default_period(timezone.localdate())
    form = forms.EstimatePeriodForm(request.GET or None, initial={"first_day": first, "last_day": last})
    status = 200
    if request.GET:
        if form.is_valid():
            first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
        else:
            status = 400
    estimate = evidence_records.program_estimate(program, first, last, current_scale()) if status == 200 else None
    context = {"program": program, "form": form, "estimate": estimate}
    return render(request, "fidelity/program_estimate.html", context, status=status)


@scoped_view
def specialist_time(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's specialists' FTE and share of time on employment services (estimate items 1 and 2)."""
    person = person_of(request)
    program = access.get_estimate_program_for(person, program_id)
    can_edit = access.can_edit_specialist_time(person, program)
    if request.method == "POST":
        access.require_specialist_time_editor(person, program)
    rows = selectors.specialist_time_rows(program)
    choices = [(r.specialist.pk, r.specialist.get_full_name() or r.specialist.username) for r in rows]
    form = forms.SpecialistTimeForm(request.POST or None, specialists=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            specialist = next(r.specialist for r in rows if r.specialist.pk == data["specialist"])
            try:
                services.specialist_time_set(
                    actor=person,
                    program=program,
                    specialist=specialist,
                    fte=data["fte"],
                    employment_share=data["employment_share"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s's time is saved.") % {"name": specialist.get_full_name()})
                return redirect("fidelity:specialist_time", program_id=program.pk)
        status = 400
    context = {"program": program, "rows": rows, "form": form, "can_edit": can_edit}
    return render(request, "fidelity/specialist_time.html", context, status=status)


# --- Self-assessment (issue #26, branch fidself) ------------------------------------------------------


@scoped_view
def self_assessment_index(request: HttpRequest) -> HttpResponse:
    """The programs whose self-assessments the person reads, each with its latest self-assessment."""
    person = person_of(request)
    latest = SelfAssessment.objects.filter(program=OuterRef("pk")).order_by("-assessed_on", "-pk")
    programs = (
        access.self_assessment_programs_for(person)
        .annotate(latest_on=Subquery(latest.values("assessed_on")[:1]), latest_id=Subquery(latest.values("pk")[:1]))
        .order_by("name", "pk")
    )
    page, prefix = paginate(request, programs)
    return render(request, "fidelity/self_assessment_index.html", {"page_obj": page, "query_prefix": prefix})


@scoped_view
def self_assessment_list(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_self_assessment_program_for(person, program_id)
    page, prefix = paginate(request, comparison.assessments_of(program))
    assessments = list(page.object_list)
    totals = comparison.totals_of(assessments)
    return render(
        request,
        "fidelity/self_assessment_list.html",
        {
            "program": program,
            "page_obj": page,
            "query_prefix": prefix,
            "assessments": [(a, totals[a.pk]) for a in assessments],
            "can_write": access.can_write_self_assessments(person, program),
            "can_see_estimate": access.can_see_estimate(person, program),
        },
    )


def _self_assessment_page(
    request: HttpRequest,
    program: Any,
    form: forms.SelfAssessmentForm,
    assessment: SelfAssessment | None,
    editable: bool,
    latest: SelfAssessment | None = None,
    copied: bool = False,
    saved_numbers: frozenset[int] = frozenset(),
) -> HttpResponse:
    # The score bar (sections, progress) counts what is saved, not what a failed submit typed.
    for item in form.items:
        cast(Any, item).self_saved = item.number in saved_numbers  # the item's "saved" line and data-scored
    return render(
        request,
        "fidelity/self_assessment_form.html",
        {
            "program": program,
            "form": form,
            "assessment": assessment,
            "editable": editable,
            "latest": latest,
            "copied": copied,
            "scored": len(saved_numbers),
            "item_count": len(form.items),
            "sections": _sections_scored(form.items, lambda item: item.number in saved_numbers),
        },
        status=400 if form.errors else 200,
    )


@scoped_view
def self_assessment_new(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_self_assessment_program_for(person, program_id)
    access.require_self_assessor(person, program)
    scale = current_scale()
    latest = comparison.assessments_of(program).filter(scale=scale).first()
    # "Start from the latest": the team re-scores what changed instead of all 25 items again.
    copied = latest is not None and request.method != "POST" and request.GET.get("from") == "latest"
    form = forms.SelfAssessmentForm(
        request.POST or None,
        items=list(scale.items.all()),
        scale_id=scale.pk,
        existing=comparison.with_scores(latest) if copied and latest is not None else None,
        initial={"assessed_on": timezone.localdate(), "participants": latest.participants if copied and latest else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = self_assessment_services.self_assessment_create(
                actor=person, program=program, **form.saved_fields()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The self-assessment was saved. Here is how it compares."))
            url = reverse("fidelity:fidelity_comparison", kwargs={"program_id": program.pk})
            return redirect(f"{url}#a-{assessment.pk}")
    return _self_assessment_page(request, program, form, None, editable=True, latest=latest, copied=copied)


@scoped_view
def self_assessment_detail(request: HttpRequest, self_assessment_id: int) -> HttpResponse:
    """One self-assessment: its form for the program's own people, read only for the state team."""
    person = person_of(request)
    assessment = access.get_self_assessment_for(person, self_assessment_id)
    editable = access.can_write_self_assessments(person, assessment.program)
    if request.method == "POST":
        access.require_self_assessor(person, assessment.program)
    existing = comparison.with_scores(assessment)
    form = forms.SelfAssessmentForm(
        request.POST or None,
        items=list(assessment.scale.items.all()),
        scale_id=assessment.scale_id,
        existing=existing,
        initial={
            "assessed_on": assessment.assessed_on,
            "participants": assessment.participants,
            "note": assessment.note,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(
            form,
            lambda: self_assessment_services.self_assessment_update(
                actor=person, assessment=assessment, **form.saved_fields()
            ),
        )
    ):
        # As after a new one: the whole form saved, the team sees how it compares (its items saved one by one
        # as they were scored, a new self-assessment's button posts here, see fidelity/scoring.js).
        messages.success(request, _("The self-assessment was saved. Here is how it compares."))
        url = reverse("fidelity:fidelity_comparison", kwargs={"program_id": assessment.program_id})
        return redirect(f"{url}#a-{assessment.pk}")
    return _self_assessment_page(
        request, assessment.program, form, assessment, editable=editable, saved_numbers=frozenset(existing)
    )


@scoped_view
def fidelity_comparison(request: HttpRequest, program_id: int) -> HttpResponse:
    """The latest self-assessment beside the estimate from the records and the last delivered review."""
    person = person_of(request)
    program = access.get_self_assessment_program_for(person, program_id)
    order_form = forms.ComparisonOrderForm(request.GET or None)
    by_difference = order_form.is_valid() and order_form.cleaned_data.get("order") == "difference"
    result = comparison.comparison_for(program, timezone.localdate())
    rows = result.rows
    if by_difference:
        rows = sorted(rows, key=lambda r: (-(r.spread if r.spread is not None else -1), r.item.number))
    return render(
        request,
        "fidelity/self_assessment_comparison.html",
        {
            "program": program,
            "comparison": result,
            "rows": rows,
            "order_form": order_form,
            "can_write": access.can_write_self_assessments(person, program),
            "can_see_estimate": access.can_see_estimate(person, program),
        },
        status=400 if order_form.errors else 200,
    )


# --- Issue 23: the fidelity schedule across the state's programs ----------------------------------


@scoped_view
@reads_from_replica
def statewide_schedule(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    tenancy_access.require_statewide(person)
    today = timezone.localdate()
    show = request.GET.get("show", "all")
    show = show if show in statewide.FILTERS else "all"
    programs = statewide.filtered(tenancy_access.statewide_programs(person), show, today).order_by("name")
    page, prefix = paginate(request, programs)
    return render(
        request,
        "fidelity/statewide_schedule.html",
        {
            "rows": statewide.schedule(person, list(page.object_list), today),
            "page_obj": page,
            "query_prefix": prefix,
            "show": show,
        },
    )


@scoped_view
@reads_from_replica
def statewide_schedule_csv(request: HttpRequest) -> HttpResponse:
    """Every program of the person's states, one row each (four queries whatever their number)."""
    person = person_of(request)
    tenancy_access.require_statewide(person)
    today = timezone.localdate()
    programs = list(tenancy_access.statewide_programs(person).order_by("name"))
    rows = (
        (
            row.program.name,
            row.program.get_phase_display(),
            row.last.report_date if row.last else None,
            row.total.estimate if row.total else None,
            row.total.band if row.total else "",
            row.upcoming.get_kind_display() if row.upcoming else "",
            row.upcoming.due_on if row.upcoming else None,
            row.upcoming.get_status_display() if row.upcoming else "",
            "yes" if row.overdue else "no",
        )
        for row in statewide.schedule(person, programs, today)
    )
    header = ("program", "phase", "last_report", "last_total", "last_band", "next_kind", "next_due", "next_status")
    return tables.csv_response("fidelity-schedule.csv", (*header, "overdue"), rows)


def _self_item_of(items: list[FidelityItem], item_number: int) -> FidelityItem:
    item = next((i for i in items if i.number == item_number), None)
    if item is None:
        raise Http404("No such item on this scale.")
    return item


def _self_item_errors(form: forms.SelfAssessmentForm, item_number: int) -> list[str]:
    """The item's own fields' errors (the form's date and whole-form checks are not this request's)."""
    names = (f"score_{item_number}", f"note_{item_number}")
    messages_ = [message for name in names for message in form.errors.get(name, [])]
    prefix = _("Item %(number)s") % {"number": item_number}
    return [
        str(m)
        if str(m).startswith(prefix)
        else _("Item %(number)s: %(message)s") % {"number": item_number, "message": m}
        for m in messages_
    ]


def _self_item_answer(
    assessment: SelfAssessment, item_number: int, *, scored: int, item_count: int, item_scored: bool
) -> JsonResponse:
    saved_at = timezone.localtime(assessment.updated_at)
    return JsonResponse(
        {
            "item": item_number,
            "saved": True,
            "item_scored": item_scored,
            "saved_at": saved_at.isoformat(),
            "saved_at_text": saved_at.strftime("%H:%M"),
            "scored": scored,
            "item_count": item_count,
            "self_assessment_url": reverse(
                "fidelity:self_assessment_detail", kwargs={"self_assessment_id": assessment.pk}
            ),
            "save_url_template": reverse(
                "fidelity:self_assessment_item_save",
                kwargs={"self_assessment_id": assessment.pk, "item_number": 0},
            ).replace("/0/", "/{item}/"),
        }
    )


def _self_item_refused(item_number: int, errors: list[str]) -> JsonResponse:
    return JsonResponse({"item": item_number, "saved": False, "errors": errors}, status=400)


@require_POST
@scoped_view
def self_assessment_item_save(request: HttpRequest, self_assessment_id: int, item_number: int) -> HttpResponse:
    """One item's score and note, saved as the team scores it (the form's script, fidelity/scoring.js, sends
    each item here; without the script the page's button saves the whole form). A blank score unscores it."""
    person = person_of(request)
    assessment = access.get_self_assessment_for(person, self_assessment_id)
    access.require_self_assessor(person, assessment.program)
    item = _self_item_of(list(assessment.scale.items.all()), item_number)
    form = forms.SelfAssessmentForm(request.POST, items=[item], scale_id=assessment.scale_id)
    form.is_valid()
    if errors := _self_item_errors(form, item_number):
        return _self_item_refused(item_number, errors)
    try:
        result = self_assessment_services.self_assessment_item_save(
            actor=person,
            assessment=assessment,
            item=item,
            score=form.cleaned_data.get(f"score_{item_number}", ""),
            note=form.cleaned_data.get(f"note_{item_number}", ""),
        )
    except ValidationError as exc:
        return _self_item_refused(item_number, exc.messages)
    return _self_item_answer(
        assessment,
        item_number,
        scored=result.scored,
        item_count=result.item_count,
        item_scored=result.score is not None,
    )


@require_POST
@scoped_view
def self_assessment_first_item(request: HttpRequest, program_id: int, item_number: int) -> HttpResponse:
    """The first item scored on a new self-assessment's page creates it (dated today; the page's button saves
    another day). The answer names the new self-assessment's URLs, where the script sends the next items."""
    person = person_of(request)
    program = access.get_self_assessment_program_for(person, program_id)
    access.require_self_assessor(person, program)
    scale = current_scale()
    item = _self_item_of(list(scale.items.all()), item_number)
    form = forms.SelfAssessmentForm(request.POST, items=[item], scale_id=scale.pk)
    form.is_valid()
    if errors := _self_item_errors(form, item_number):
        return _self_item_refused(item_number, errors)
    score = form.cleaned_data.get(f"score_{item_number}", "")
    if not score:
        return _self_item_refused(
            item_number, [_("Item %(number)s: choose a score to start the self-assessment.") % {"number": item_number}]
        )
    entry = self_assessment_services.SelfScoreEntry(
        item=item, score=score, note=form.cleaned_data.get(f"note_{item_number}", "")
    )
    try:
        assessment = self_assessment_services.self_assessment_create(
            actor=person, program=program, assessed_on=timezone.localdate(), entries=[entry]
        )
    except ValidationError as exc:
        return _self_item_refused(item_number, exc.messages)
    return _self_item_answer(assessment, item_number, scored=1, item_count=scale.items.count(), item_scored=True)
