"""Consent the client signs: the state's release template, the release prepared for one client, the
signature (drawn or typed) and the signed PDF.

The release must carry what 42 CFR 2.31 and HIPAA 45 CFR 164.508 require of an authorization: who
discloses, to whom, what information, for what purpose, until when (a date or an event), the right to
revoke and how, that treatment does not depend on signing, and the signature and date. The template holds
the wording; the product fills the placeholders (who, to whom, what, why, until when) and adds the
signature and date itself, so a template that drops a placeholder, or the words about revoking and about
treatment, is refused with the element it lacks.

The template is kept per state and versioned: a save is a new version, a consent keeps the version (and
the filled text) it was signed on. A state that never edited its template signs on the built-in default,
stored as its version 1 the first time someone prepares a release (no data migration: states are created
after migrations, by people and by the demo).
"""

import base64
import binascii
import datetime
import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from PIL import Image, UnidentifiedImageError

from ipshub.audit.services import audit_record
from ipshub.clients import access
from ipshub.clients.checks import Problems, check_date
from ipshub.clients.models import Consent, ConsentDraft, Enrollment, ReleaseTemplate

# The record's writes share services' permission check and audit shape (one rule for every client write).
from ipshub.clients.services import CONSENT_MOST_DAYS_AHEAD, _audit, _require
from ipshub.lib.concurrency import check_version
from ipshub.lib.pdf import weasyprint
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Organization, Person, State
from ipshub.tenancy.roles import OrgKind, Role
from ipshub.tenancy.wages import long_date


@dataclass(frozen=True)
class Placeholder:
    name: str
    element: str  # the required element it carries, in the words of the error message
    required: bool = True


PLACEHOLDERS = (
    Placeholder("client_name", "whose information it is (the client's name)"),
    Placeholder("agency", "who shares the information (the agency)"),
    Placeholder("recipient", "who receives it (the organization)"),
    Placeholder("scope", "what information may be shared"),
    Placeholder("purpose", "why it is shared (the purpose)"),
    Placeholder("end", "until when (the end date or event)"),
    Placeholder("start", "when it starts", required=False),
)
PLACEHOLDER_NAMES = {p.name for p in PLACEHOLDERS}
# Elements the wording itself must carry (the product cannot fill them): the word that shows each is there.
REQUIRED_WORDS = (
    ("revoke", "that the client may revoke (take back) the permission, and how (use the word 'revoke')"),
    ("treatment", "that the client's treatment does not depend on signing (use the word 'treatment')"),
)
PLACEHOLDER_PATTERN = re.compile(r"\{([A-Za-z_]+)\}")
TEMPLATE_MAX_CHARS = 10_000

DEFAULT_RELEASE = """\
Permission to share my information

I, {client_name}, allow {agency} to share information about me with {recipient}.

What may be shared: {scope}.

Why it is shared: {purpose}.

This permission starts on {start} and ends {end}.

I may revoke (take back) this permission at any time. To revoke it, I tell any staff member at {agency}, \
in writing or by talking with them. Sharing stops as soon as I revoke. Information already shared before \
I revoke cannot be taken back.

My treatment, payment, enrollment and eligibility for services at {agency} do not depend on signing this \
form. I may refuse to sign it.

Federal law (42 CFR Part 2) protects information about substance use treatment: {recipient} may not share \
it again unless I agree in writing or the law allows it. Other information shared under this form may be \
shared again by the person who receives it and may then no longer be protected by federal privacy law \
(HIPAA).

I have the right to a copy of this form.
"""

# What a DVR office or provider may see, said to the client in plain words (Consent.Scope's values).
SCOPE_WORDS: dict[str, str] = {
    Consent.Scope.EMPLOYMENT: "my work goals and job search, the jobs I get and how they are going, and my "
    "eligibility for vocational rehabilitation services",
    Consent.Scope.FULL: "my work goals and job search, the jobs I get and how they are going, my eligibility "
    "for vocational rehabilitation services, and what my treatment team needs to know to coordinate my care "
    "with my employment services",
}
DEFAULT_PURPOSE = "to plan and coordinate my employment services, including vocational rehabilitation"
SIGNATURE_MAX_BYTES = 512 * 1024  # a drawn signature is a few kilobytes; this leaves room for a big screen
SIGNATURE_MAX_SIDE = 4000  # pixels: a pad on the largest screen, never a picture to decode at any size


# --- The template ---------------------------------------------------------------------------------


def template_problems(body: str) -> list[str]:
    """What the template lacks, one message per missing element (empty when it is complete)."""
    text = body.strip()
    if not text:
        return ["Write the release: it can't be empty."]
    problems = []
    if len(body) > TEMPLATE_MAX_CHARS:
        problems.append(f"The release is {len(body):,} characters; keep it under {TEMPLATE_MAX_CHARS:,}.")
    used = set(PLACEHOLDER_PATTERN.findall(body))
    for unknown in sorted(used - PLACEHOLDER_NAMES):
        known = ", ".join("{" + p.name + "}" for p in PLACEHOLDERS)
        problems.append(f"{{{unknown}}} is not a placeholder IPS Hub fills: use only {known}.")
    for placeholder in PLACEHOLDERS:
        if placeholder.required and placeholder.name not in used:
            problems.append(f"The release must say {placeholder.element}: keep the placeholder {{{placeholder.name}}}.")
    lowered = text.lower()
    for word, element in REQUIRED_WORDS:
        if word not in lowered:
            problems.append(f"The release must tell the client {element}.")
    return problems


def current_template(state: State) -> ReleaseTemplate | None:
    return ReleaseTemplate.objects.filter(state=state).order_by("-version").first()


def template_or_default(state: State) -> ReleaseTemplate:
    """The state's latest version, or (not saved) the built-in default that becomes its version 1."""
    return current_template(state) or ReleaseTemplate(state=state, version=1, body=DEFAULT_RELEASE)


def can_edit_template(person: Person, state_id: int) -> bool:
    """The state IPS team's leads and administrators keep their state's release (as they keep programs)."""
    return tenancy.is_platform_admin(person) or state_id in tenancy.state_ids_with_roles(
        person, (Role.STATE_LEAD, Role.ADMINISTRATOR)
    )


def template_states_for(person: Person) -> set[int]:
    return tenancy.state_ids_with_roles(person, (Role.STATE_LEAD, Role.ADMINISTRATOR))


def _lock_state(state: State) -> None:
    """Serialize writers of the state's next template version (the unique constraint is the backstop)."""
    State.objects.select_for_update().filter(pk=state.pk).values_list("pk", flat=True).first()


def _stored_template(state: State) -> ReleaseTemplate:
    """The latest version, storing the default as version 1 the first time one is needed."""
    _lock_state(state)
    found = current_template(state)
    if found is not None:
        return found
    return ReleaseTemplate.objects.create(state=state, version=1, body=DEFAULT_RELEASE, change_note="IPS Hub default")


@transaction.atomic
def release_template_save(
    *, actor: Person, state: State, body: str, change_note: str = "", expected_version: int | None = None
) -> ReleaseTemplate:
    """A new version of the state's release. Consents signed before keep theirs. expected_version: the
    version the edit was based on (0: the built-in default, none saved yet); if someone saved a newer one
    meanwhile, EditConflict."""
    if not can_edit_template(actor, state.pk):
        raise PermissionDenied("Only the state IPS team's leads and administrators can change the release.")
    problems = template_problems(body)
    if problems:
        raise ValidationError({"body": problems})
    if len(change_note) > 200:
        raise ValidationError({"change_note": "Say what changed in 200 characters or fewer."})
    _lock_state(state)
    check_version(current_template(state), expected_version, ("body", "change_note"))
    latest = ReleaseTemplate.objects.filter(state=state).aggregate(v=Max("version"))["v"] or 0
    template = ReleaseTemplate.objects.create(
        state=state, version=latest + 1, body=body.strip() + "\n", change_note=change_note.strip(), created_by=actor
    )
    audit_record(
        actor=actor,
        action="clients.release_template_save",
        obj=template,
        state_id=state.pk,
        summary=f"Release template of state {state.pk}, version {template.version}",
        detail={"version": template.version},
    )
    return template


# --- Filling the release --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseTerms:
    """What the staff person chose: the values the placeholders take (besides the client and agency)."""

    organization: Organization
    scope: str
    purpose: str
    starts_on: datetime.date
    expires_on: datetime.date | None
    expires_event: str


def end_words(expires_on: datetime.date | None, expires_event: str) -> str:
    event = expires_event.strip().rstrip(".")
    if expires_on and event:
        return f"on {long_date(expires_on)} or {event}, whichever comes first"
    if expires_on:
        return f"on {long_date(expires_on)}"
    return event


def fill(template: ReleaseTemplate, enrollment: Enrollment, terms: ReleaseTerms) -> str:
    """The release in the client's words: every placeholder replaced, nothing else touched. The release is
    written in English (a Spanish version is future work, docs/translations.md), so its dates are too, whatever
    language the staff person's interface speaks."""
    with translation.override("en"):
        return _fill(template, enrollment, terms)


def _fill(template: ReleaseTemplate, enrollment: Enrollment, terms: ReleaseTerms) -> str:
    values = {
        "client_name": enrollment.client.full_name,
        "agency": enrollment.client.agency.name,
        "recipient": terms.organization.name,
        "scope": SCOPE_WORDS.get(terms.scope, terms.scope),
        "purpose": terms.purpose.strip().rstrip("."),
        "start": long_date(terms.starts_on),
        "end": end_words(terms.expires_on, terms.expires_event),
    }
    return PLACEHOLDER_PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), template.body)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def terms_problems(
    *,
    enrollment: Enrollment,
    organization: Organization | None,
    scope: str | None,
    purpose: str | None,
    starts_on: datetime.date | None,
    expires_on: datetime.date | None,
    expires_event: str | None,
) -> Problems:
    """Every problem with the terms at once (the form shows them with its own)."""
    problems = Problems()
    check_date(problems, "starts_on", starts_on, "start date", days_ahead=CONSENT_MOST_DAYS_AHEAD)
    check_date(problems, "expires_on", expires_on, "end date", days_ahead=CONSENT_MOST_DAYS_AHEAD)
    if starts_on and expires_on and "expires_on" not in problems and expires_on < starts_on:
        problems.add("expires_on", "The consent can't end before it starts: choose an end date on or after the start.")
    if expires_on is None and not (expires_event or "").strip():
        problems.add(
            "expires_on",
            "Say until when the client agrees: an end date, or an event (e.g. 'when my DVR case is closed').",
        )
    if organization is not None and (
        organization.kind not in (OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER)
        or organization.state_id != enrollment.program.state_id
    ):
        problems.add("organization", "Choose a DVR office or employment service provider in the program's state.")
    if scope is not None and scope not in Consent.Scope.values:
        problems.add("scope", "Choose what may be shared.")
    if purpose is not None and not purpose.strip():
        problems.add("purpose", "Say why the information is shared, in words the client understands.")
    return problems


@transaction.atomic
def consent_draft_prepare(*, actor: Person, enrollment: Enrollment, terms: ReleaseTerms) -> ConsentDraft:
    """The release for one client, ready to hand over: the terms and the template version shown."""
    _require(actor, enrollment, access.CONSENT)
    terms_problems(enrollment=enrollment, **_term_values(terms)).raise_if_any()
    template = _stored_template(enrollment.program.state)
    draft = ConsentDraft.objects.create(
        enrollment=enrollment,
        organization=terms.organization,
        scope=terms.scope,
        purpose=terms.purpose.strip(),
        starts_on=terms.starts_on,
        expires_on=terms.expires_on,
        expires_event=terms.expires_event.strip(),
        template=template,
        prepared_by=actor,
    )
    _audit(actor, "client.consent_prepare", enrollment, draft, organization=terms.organization.pk)
    return draft


def _term_values(terms: ReleaseTerms) -> dict[str, Any]:
    return {
        "organization": terms.organization,
        "scope": terms.scope,
        "purpose": terms.purpose,
        "starts_on": terms.starts_on,
        "expires_on": terms.expires_on,
        "expires_event": terms.expires_event,
    }


def draft_terms(draft: ConsentDraft) -> ReleaseTerms:
    return ReleaseTerms(
        organization=draft.organization,
        scope=draft.scope,
        purpose=draft.purpose,
        starts_on=draft.starts_on,
        expires_on=draft.expires_on,
        expires_event=draft.expires_event,
    )


@transaction.atomic
def consent_draft_discard(*, actor: Person, enrollment: Enrollment, draft: ConsentDraft) -> None:
    _require(actor, enrollment, access.CONSENT)
    _audit(actor, "client.consent_discard", enrollment, draft)
    draft.delete()


# --- The signature --------------------------------------------------------------------------------

PNG_DATA_URL = "data:image/png;base64,"


def drawn_signature(data_url: str, field: str = "signature") -> bytes:
    """The PNG bytes of a drawn signature, checked: a PNG data URL, not too big, with ink on it."""
    if not data_url.startswith(PNG_DATA_URL):
        raise ValidationError({field: "The drawn signature must be a PNG image (a data:image/png;base64 URL)."})
    try:
        png = base64.b64decode(data_url[len(PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: "The drawn signature could not be read: draw it again."}) from None
    if len(png) > SIGNATURE_MAX_BYTES:
        raise ValidationError({field: f"The drawn signature is larger than {SIGNATURE_MAX_BYTES // 1024} KB."})
    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG":
                raise ValidationError({field: "The drawn signature must be a PNG image."})
            width, height = image.size
            if width > SIGNATURE_MAX_SIDE or height > SIGNATURE_MAX_SIDE:
                raise ValidationError(
                    {field: f"The drawn signature is larger than {SIGNATURE_MAX_SIDE} pixels on a side."}
                )
            inked = image.convert("RGBA").getchannel("A").getbbox()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: "The drawn signature could not be read: draw it again."}) from None
    if inked is None:
        raise ValidationError({field: "The signature box is empty: the client signs in the box, or types their name."})
    return png


@dataclass(frozen=True)
class Signature:
    method: str  # Consent.SignedBy.DRAWN or TYPED
    typed_name: str = ""
    png: bytes = b""


def signature_from(*, method: str, typed_name: str, confirmed: bool, drawing: str) -> Signature:
    """The client's signature from what the signing page (or the API) sent; every problem at once."""
    problems = Problems()
    if method == Consent.SignedBy.TYPED:
        if not typed_name.strip():
            problems.add("typed_name", "Type your full name to sign.")
        elif len(typed_name.strip()) > 200:
            problems.add("typed_name", "Type your name in 200 characters or fewer.")
        if not confirmed:
            problems.add("confirmed", "Check the box to confirm that typing your name is your signature.")
        problems.raise_if_any()
        return Signature(Consent.SignedBy.TYPED, typed_name=" ".join(typed_name.split()))
    if method == Consent.SignedBy.DRAWN:
        if not drawing:
            raise ValidationError(
                {"signature": "The signature box is empty: the client signs in the box, or types their name."}
            )
        return Signature(Consent.SignedBy.DRAWN, png=drawing_bytes(drawing))
    raise ValidationError({"method": "Choose how the client signs: by drawing or by typing their name."})


def drawing_bytes(drawing: str) -> bytes:
    return drawn_signature(drawing, field="signature")


# --- Signing and the PDF --------------------------------------------------------------------------


def release_pdf(consent: Consent, enrollment: Enrollment, *, png: bytes = b"") -> bytes:
    """The signed release as a PDF: every element's text, the signature (image or typed name) and the date."""
    printer = weasyprint()
    with translation.override("en"):  # the release's language (see fill), not the staff person's
        html = render_to_string(
            "clients/consent_pdf.html",
            {
                "consent": consent,
                "client": enrollment.client,
                "paragraphs": paragraphs(consent.release_text),
                "signature_src": ("data:image/png;base64," + base64.b64encode(png).decode()) if png else "",
                "signed_on": timezone.localtime(consent.signed_at).date() if consent.signed_at else None,
            },
        )
    pdf: bytes = printer.HTML(string=html, base_url="/").write_pdf()  # WeasyPrint ships no types
    return pdf


@transaction.atomic
def consent_sign(
    *,
    actor: Person,
    enrollment: Enrollment,
    terms: ReleaseTerms,
    signature: Signature,
    template: ReleaseTemplate | None = None,
    draft: ConsentDraft | None = None,
) -> Consent:
    """The client signed the release on the staff person's device: the consent, its text, its signature
    and its PDF, in one transaction (a draft it came from is deleted). Sharing starts on the start date."""
    _require(actor, enrollment, access.CONSENT)
    terms_problems(enrollment=enrollment, **_term_values(terms)).raise_if_any()
    if draft is not None and draft.enrollment_id != enrollment.pk:
        raise PermissionDenied("That release was prepared for another client.")
    used = template or (draft.template if draft is not None else None) or _stored_template(enrollment.program.state)
    now = timezone.now()
    consent = Consent(
        client=enrollment.client,
        organization=terms.organization,
        scope=terms.scope,
        purpose=terms.purpose.strip(),
        starts_on=terms.starts_on,
        expires_on=terms.expires_on,
        expires_event=terms.expires_event.strip(),
        template=used,
        release_text=fill(used, enrollment, terms),
        signed_by=signature.method,
        signed_name=signature.typed_name,
        signed_at=now,
        recorded_by=actor,
    )
    try:
        if signature.png:
            consent.signature_image.save(f"{uuid.uuid4().hex}.png", ContentFile(signature.png), save=False)
        pdf = release_pdf(consent, enrollment, png=signature.png)
        consent.document.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
        consent.document_name = f"release-{terms.organization.name[:60].replace(' ', '-').lower()}-{now:%Y-%m-%d}.pdf"
        consent.document_type = "application/pdf"
        consent.save()
        if draft is not None:
            draft.delete()
    except Exception:
        # The transaction rolls the rows back; the files written for them go too, so none is left unowned.
        for stored in (consent.signature_image, consent.document):
            if stored:
                stored.delete(save=False)
        raise
    _audit(
        actor,
        "client.consent_sign",
        enrollment,
        consent,
        organization=terms.organization.pk,
        template_version=used.version,
        signed_by=signature.method,
    )
    return consent


def record_download(*, actor: Person, enrollment: Enrollment, consent: Consent) -> None:
    """Every download of a consent's document is an audit event (who, which consent, which client)."""
    _audit(actor, "client.consent_download", enrollment, consent, organization=consent.organization_id)
