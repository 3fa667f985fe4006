"""Review preparation pages (issue #26): the checklist and its answers, the timeline's steps, the chart-review
worksheet. Each view makes one access call and at most one service call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshub.fidelity import access, forms, preparation, selectors
from ipshub.fidelity.models import DocumentRequest, Review
from ipshub.lib.downloads import attachment
from ipshub.lib.forms import saved
from ipshub.lib.pdf import weasyprint
from ipshub.lib.signed_in import person_of
from ipshub.lib.tables import attachment as table_attachment
from ipshub.lib.tables import csv_response
from ipshub.tenancy.access import scoped_view


def _page(
    request: HttpRequest,
    review: Review,
    failed: DocumentRequest | None = None,
    form: forms.DocumentAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    team = selectors.team_of(review)
    member = next((m for m in team if m.person_id == person.pk), None)
    context = preparation.page_context(person, review)
    context.update(
        review=review,
        team=team,
        member=member,
        can_manage=access.can_manage_reviews(person, review.program.state_id),
        can_plan=access.can_plan(person, review),
        failed_id=failed.pk if failed else None,
        failed_form=form,
    )
    return render(request, "fidelity/review_preparation.html", context, status=status)


@scoped_view
def review_preparation(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.get_review_for(person_of(request), review_id)
    return _page(request, review)


@require_POST
@scoped_view
def document_answer(request: HttpRequest, document_request_id: int) -> HttpResponse:
    person = person_of(request)
    document = access.get_document_request_for(person, document_request_id)
    review = document.review
    access.require_checklist_answerer(person, review)
    form = forms.DocumentAnswerForm(request.POST, request.FILES, auto_id=f"answer-{document.pk}-%s")
    if form.is_valid() and saved(
        form,
        lambda: preparation.document_request_answer(
            actor=person,
            request=document,
            note=form.cleaned_data["note"],
            files=[form.cleaned_data["file"]] if form.cleaned_data["file"] else [],
        ),
    ):
        messages.success(request, _("“%(title)s” is answered.") % {"title": document.title})
        return redirect(f"{_url(review)}#request-{document.pk}")
    if form.errors:
        # A browser never keeps a chosen file after a refused submit: say so beside the file's field.
        form["file"].help_text = f"Choose the file again. {form['file'].help_text}"
    return _page(request, review, failed=document, form=form, status=400)


@scoped_view
def document_download(request: HttpRequest, document_upload_id: int) -> HttpResponseBase:
    person = person_of(request)
    upload = access.get_document_upload_for(person, document_upload_id)
    return attachment(
        upload.file,
        filename=upload.original_name,
        content_type=upload.content_type,
        record=lambda: preparation.document_downloaded(actor=person, upload=upload),
    )


@require_POST
@scoped_view
def document_remove(request: HttpRequest, document_upload_id: int) -> HttpResponse:
    person = person_of(request)
    upload = access.get_document_upload_for(person, document_upload_id)
    access.require_checklist_answerer(person, upload.request.review)
    document = preparation.document_upload_remove(actor=person, upload=upload)
    messages.success(request, _("“%(name)s” was removed.") % {"name": upload.original_name})
    return redirect(f"{_url(document.review)}#request-{document.pk}")


@require_POST
@scoped_view
def prep_task_mark(request: HttpRequest, task_id: int) -> HttpResponse:
    person = person_of(request)
    task = access.get_prep_task_for(person, task_id)
    form = forms.PrepTaskForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                " ".join(str(m) for messages_ in form.errors.values() for m in messages_)
                if "done" not in form.errors
                else _("Say whether the step is done or not.")
            )
        preparation.prep_task_mark(
            actor=person, task=task, done=form.cleaned_data["done"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (_("“%(title)s” is marked done.") if task.is_done else _("“%(title)s” is marked not done."))
            % {"title": task.title},
        )
    back = request.POST.get("back", "")
    target = _url(task.review) if back != "overview" else reverse("fidelity:review_detail", args=[task.review_id])
    return redirect(f"{target}#timeline")


def _url(review: Review) -> str:
    return reverse("fidelity:review_preparation", kwargs={"review_id": review.pk})


@scoped_view
def chart_worksheet(request: HttpRequest, review_id: int) -> HttpResponse:
    """The worksheet; its reviewers choose the sample's size here (a POST of the size form)."""
    person = person_of(request)
    review = access.get_worksheet_review_for(person, review_id)
    can_choose = access.can_choose_chart_sample(person, review)
    form = forms.ChartSampleForm(request.POST or None, initial={"sample_size": review.chart_sample_size})
    if request.method == "POST":
        access.require_chart_sample_chooser(person, review)
        if form.is_valid() and saved(
            form,
            lambda: preparation.chart_sample_size_set(
                actor=person, review=review, size=form.cleaned_data["sample_size"]
            ),
        ):
            messages.success(
                request, _("The sample is now at most %(size)s clients.") % {"size": review.chart_sample_size}
            )
            return redirect("fidelity:chart_worksheet", review_id=review.pk)
    rows = preparation.chart_worksheet(actor=person, review=review, how="view")
    context = {
        "review": review,
        "rows": rows,
        "sample_size": review.chart_sample_size,
        "sample_form": form if can_choose else None,
        "reference_day": preparation.sample_reference_day(review),
        "lookback_days": preparation.CHART_LOOKBACK_DAYS,
    }
    return render(request, "fidelity/chart_worksheet.html", context, status=400 if form.errors else 200)


@scoped_view
def chart_worksheet_csv(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_worksheet_review_for(person, review_id)
    rows = preparation.chart_worksheet(actor=person, review=review, how="csv")
    return csv_response(
        f"chart-review-worksheet-{review.pk}.csv",
        [str(title) for title in preparation.WORKSHEET_HEADER],
        preparation.worksheet_table(rows),
    )


@scoped_view
def chart_worksheet_pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    person = person_of(request)
    review = access.get_worksheet_review_for(person, review_id)
    rows = preparation.chart_worksheet(actor=person, review=review, how="pdf")
    html = render_to_string(
        "fidelity/chart_worksheet_pdf.html",
        {"review": review, "rows": rows, "printed_on": timezone.localdate()},
    )
    content: bytes = weasyprint().HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return table_attachment(content, "application/pdf", f"chart-review-worksheet-{review.pk}.pdf")
