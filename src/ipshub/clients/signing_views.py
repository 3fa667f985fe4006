"""Pages of the consent the client signs (clients/signing.py): the staff person prepares the release,
hands the device to the client who reads and signs it, and the signed copy is offered to print or
download. Also the state team's release template. Each view: one access call, one service call."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshub.clients import access, services, signing, signing_forms
from ipshub.clients.access import client_view
from ipshub.clients.models import Consent, ConsentDraft, ReleaseTemplate
from ipshub.clients.sections import record_url
from ipshub.lib.concurrency import EditConflict, show_conflict
from ipshub.lib.downloads import attachment
from ipshub.lib.forms import apply_service_errors
from ipshub.lib.signed_in import person_of
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Organization, State
from ipshub.tenancy.roles import OrgKind


def _recipients(found: access.ClientAccess) -> Any:
    """Who a release can name: the DVR offices and employment providers of the program's state, the
    program's own DVR office first."""
    program = found.enrollment.program
    return Organization.objects.filter(
        state_id=program.state_id, kind__in=(OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER), is_active=True
    ).order_by("kind", "name")


def _get_draft_in(found: access.ClientAccess, draft_id: int) -> ConsentDraft:
    try:
        return ConsentDraft.objects.select_related("organization", "template").get(
            pk=draft_id, enrollment_id=found.enrollment.pk
        )
    except ConsentDraft.DoesNotExist:
        raise Http404("No such release.") from None


def _client_language(release_language: str) -> str:
    """The language of the page the client reads: the release's, when the staff person's interface speaks a
    language with a release of its own (English or Spanish); otherwise (a third interface language before its
    release is written, the tests' pseudo-locale) the interface's own, around the release in its language."""
    active = translation.get_language() or "en"
    return release_language if active in signing.RELEASE_LANGUAGES else active


@client_view
def consent_prepare(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Step 1, the staff person: to whom, what, why, from and until when."""
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    found.require(access.CONSENT)
    form = signing_forms.ReleaseTermsForm(
        request.POST if request.method == "POST" else None,
        enrollment=found.enrollment,
        organizations=_recipients(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = signing.consent_draft_prepare(actor=person, enrollment=found.enrollment, terms=form.terms())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("clients:consent_sign", enrollment_id=found.enrollment.pk, draft_id=draft.pk)
    services.record_view(actor=person, enrollment=found.enrollment, view="full", section="consent_prepare")
    return render(
        request,
        "clients/consent_prepare.html",
        {"form": form, "enrollment": found.enrollment, "cancel_url": record_url(found.enrollment.pk, "consents")},
        status=400 if request.method == "POST" else 200,
    )


@client_view
def consent_sign(request: HttpRequest, enrollment_id: int, draft_id: int) -> HttpResponse:
    """Step 2, the client on the staff person's device: the release in plain words, then the signature."""
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    found.require(access.CONSENT)
    draft = _get_draft_in(found, draft_id)
    signed_message = _("The release is signed. Offer the client a copy to print or download.")  # for the staff
    with translation.override(_client_language(draft.language)):
        return _consent_sign_page(request, person, found, draft, signed_message)


def _consent_sign_page(
    request: HttpRequest, person: Any, found: access.ClientAccess, draft: ConsentDraft, signed_message: str
) -> HttpResponse:
    terms = signing.draft_terms(draft)
    form = signing_forms.SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and "signed" in form.cleaned_data:
        try:
            consent = signing.consent_sign(
                actor=person,
                enrollment=found.enrollment,
                terms=terms,
                signature=form.cleaned_data["signed"],
                draft=draft,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, signed_message)
            return redirect("clients:consent_detail", enrollment_id=found.enrollment.pk, consent_id=consent.pk)
    services.record_view(actor=person, enrollment=found.enrollment, view="full", section="consent_sign")
    text = draft.release_text or signing.fill(draft.template, found.enrollment, terms)
    return render(
        request,
        "clients/consent_sign.html",
        {
            "form": form,
            "enrollment": found.enrollment,
            "draft": draft,
            "paragraphs": signing.paragraphs(text),
            "release_language": draft.language,
            "today": timezone.localdate(),
            "cancel_url": record_url(found.enrollment.pk, "consents"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@client_view
def consent_draft_discard(request: HttpRequest, enrollment_id: int, draft_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    found.require(access.CONSENT)
    draft = _get_draft_in(found, draft_id)
    signing.consent_draft_discard(actor=person, enrollment=found.enrollment, draft=draft)
    messages.success(request, _("The unsigned release was discarded; nothing is shared."))
    return redirect(record_url(found.enrollment.pk, "consents"))


@client_view
def consent_detail(request: HttpRequest, enrollment_id: int, consent_id: int) -> HttpResponse:
    """One consent: its terms, the release as signed, how and when it was signed or revoked, the copy."""
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    found.require(access.READ)
    consent = _get_consent(found, consent_id)
    services.record_view(actor=person, enrollment=found.enrollment, view="full", section="consent")
    return render(
        request,
        "clients/consent_detail.html",
        {
            "consent": consent,
            "enrollment": found.enrollment,
            "paragraphs": signing.paragraphs(consent.release_text),
            "language_name": signing.language_name(consent.language),
            "active": consent.is_active(timezone.localdate()),
            "access": found,
            "back_url": record_url(found.enrollment.pk, "consents"),
        },
    )


def _get_consent(found: access.ClientAccess, consent_id: int) -> Consent:
    try:
        return Consent.objects.select_related("organization", "template", "recorded_by", "revoked_by").get(
            pk=consent_id, client_id=found.enrollment.client_id
        )
    except Consent.DoesNotExist:
        raise Http404("No such consent.") from None


@client_view
def consent_document(request: HttpRequest, enrollment_id: int, consent_id: int) -> HttpResponseBase:
    """The signed release's PDF (or a paper consent's scan), as an attachment; every download audited."""
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    found.require(access.READ)
    consent = access.get_consent_in(found, consent_id)
    if not consent.document:
        raise Http404("This consent has no document.")
    return attachment(
        consent.document,
        filename=consent.document_name or "consent",
        content_type=consent.document_type,
        record=lambda: signing.record_download(actor=person, enrollment=found.enrollment, consent=consent),
    )


# --- The state team's release template ------------------------------------------------------------


def _get_template_state(person: Any, state_id: int) -> State:
    """The state whose release the person keeps; 404 for anyone else (as for any state-team page)."""
    if not signing.can_edit_template(person, state_id):
        raise Http404("No such state.")
    try:
        return State.objects.get(pk=state_id)
    except State.DoesNotExist:
        raise Http404("No such state.") from None


@tenancy.scoped_view
def release_template(request: HttpRequest, state_id: int) -> HttpResponse:
    person = person_of(request)
    state = _get_template_state(person, state_id)
    language = request.GET.get("language", "en")
    if language not in signing.RELEASE_LANGUAGES:
        raise Http404("No release in that language.")
    current = signing.template_or_default(state, language)
    form = signing_forms.ReleaseTemplateForm(
        request.POST if request.method == "POST" else None,
        initial={"body": current.body, "version": current.version if current.pk is not None else 0},
        language=language,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = signing.release_template_save(
                actor=person,
                state=state,
                body=form.cleaned_data["body"],
                change_note=form.cleaned_data["change_note"],
                expected_version=form.cleaned_data["version"],
                language=language,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except EditConflict as exc:
            conflict = show_conflict(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s of the release is saved; consents signed before keep theirs.")
                % {"version": saved.version},
            )
            return redirect(_template_url(state.pk, language))
    versions = list(
        ReleaseTemplate.objects.filter(state=state, language=language)
        .select_related("created_by")
        .order_by("-version")[:20]
    )
    return render(
        request,
        "clients/release_template.html",
        {
            "state": state,
            "form": form,
            "current": current,
            "versions": versions,
            "placeholders": signing.PLACEHOLDERS,
            "required_words": signing.REQUIRED_WORDS[language],
            "stored": current.pk is not None,
            "language": language,
            "language_name": signing.language_name(language),
            "languages": [
                (code, signing.language_name(code), _template_url(state.pk, code)) for code in signing.RELEASE_LANGUAGES
            ],
            "self_url": _template_url(state.pk, language),
            "conflict": conflict,
        },
        status=(409 if conflict is not None else 400) if request.method == "POST" else 200,
    )


def _template_url(state_id: int, language: str) -> str:
    url = reverse("clients:release_template", kwargs={"state_id": state_id})
    return url if language == "en" else f"{url}?language={language}"
