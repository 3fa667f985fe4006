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

The release exists in English and in Spanish (RELEASE_LANGUAGES), each with its own default, its own versions
and its own required words. A release is prepared in the client's preferred language when there is a release
in it (else English, or whichever the staff person chooses), and the client reads it, signs it and gets its
PDF in that language, whatever the staff person's interface speaks.
"""

import base64
import binascii
import datetime
import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    element: str | Promise  # the required element it carries, in the words of the error message
    required: bool = True


PLACEHOLDERS = (
    Placeholder("client_name", gettext_lazy("whose information it is (the client's name)")),
    Placeholder("agency", gettext_lazy("who shares the information (the agency)")),
    Placeholder("recipient", gettext_lazy("who receives it (the organization)")),
    Placeholder("scope", gettext_lazy("what information may be shared")),
    Placeholder("purpose", gettext_lazy("why it is shared (the purpose)")),
    Placeholder("end", gettext_lazy("until when (the end date or event)")),
    Placeholder("start", gettext_lazy("when it starts"), required=False),
)
PLACEHOLDER_NAMES = {p.name for p in PLACEHOLDERS}
# Elements the wording itself must carry (the product cannot fill them): the word, in the release's language,
# that shows each is there.
REQUIRED_WORDS: dict[str, tuple[tuple[str, str | Promise], ...]] = {
    "en": (
        ("revoke", gettext_lazy("that the client may revoke (take back) the permission, and how")),
        ("treatment", gettext_lazy("that the client's treatment does not depend on signing")),
    ),
    "es": (
        ("revocar", gettext_lazy("that the client may revoke (take back) the permission, and how")),
        ("tratamiento", gettext_lazy("that the client's treatment does not depend on signing")),
    ),
}
PLACEHOLDER_PATTERN = re.compile(r"\{([A-Za-z_]+)\}")
TEMPLATE_MAX_CHARS = 10_000

DEFAULT_RELEASE_EN = """\
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
SCOPE_WORDS_EN: dict[str, str] = {
    Consent.Scope.EMPLOYMENT: "my work goals and job search, the jobs I get and how they are going, and my "
    "eligibility for vocational rehabilitation services",
    Consent.Scope.FULL: "my work goals and job search, the jobs I get and how they are going, my eligibility "
    "for vocational rehabilitation services, and what my treatment team needs to know to coordinate my care "
    "with my employment services",
}

DEFAULT_RELEASE_ES = """\
Permiso para compartir mi información

Yo, {client_name}, permito que {agency} comparta información sobre mí con {recipient}.

Lo que se puede compartir: {scope}.

Por qué se comparte: {purpose}.

Este permiso empieza el {start} y termina {end}.

Puedo revocar (retirar) este permiso en cualquier momento. Para revocarlo, se lo digo a cualquier persona del \
personal de {agency}, por escrito o de palabra. Se deja de compartir en cuanto lo revoco. La información que ya \
se compartió antes de que lo revoque no se puede recuperar.

Mi tratamiento, el pago, mi inscripción y mi elegibilidad para los servicios de {agency} no dependen de que \
firme este formulario. Puedo negarme a firmarlo.

La ley federal (42 CFR Parte 2) protege la información sobre el tratamiento por uso de sustancias: {recipient} \
no puede volver a compartirla a menos que yo lo autorice por escrito o que la ley lo permita. Otra información \
compartida con este formulario puede ser compartida de nuevo por quien la recibe y entonces puede dejar de \
estar protegida por la ley federal de privacidad (HIPAA).

Tengo derecho a una copia de este formulario.
"""

SCOPE_WORDS_ES: dict[str, str] = {
    Consent.Scope.EMPLOYMENT: "mis metas de trabajo y mi búsqueda de empleo, los trabajos que consigo y cómo me "
    "va en ellos, y mi elegibilidad para los servicios de rehabilitación vocacional",
    Consent.Scope.FULL: "mis metas de trabajo y mi búsqueda de empleo, los trabajos que consigo y cómo me va en "
    "ellos, mi elegibilidad para los servicios de rehabilitación vocacional, y lo que mi equipo de tratamiento "
    "necesita saber para coordinar mi atención con mis servicios de empleo",
}

# The release's own words, per language: written here like the release itself (not through the interface's
# catalogue), so the text a client signs is reviewed as one document and never changes with a .po edit.
DEFAULT_RELEASES = {"en": DEFAULT_RELEASE_EN, "es": DEFAULT_RELEASE_ES}
DEFAULT_RELEASE = DEFAULT_RELEASE_EN
SCOPE_WORDS = {"en": SCOPE_WORDS_EN, "es": SCOPE_WORDS_ES}
DEFAULT_PURPOSES = {
    "en": "to plan and coordinate my employment services, including vocational rehabilitation",
    "es": "para planificar y coordinar mis servicios de empleo, incluida la rehabilitación vocacional",
}
DEFAULT_PURPOSE = DEFAULT_PURPOSES["en"]
RELEASE_LANGUAGES = tuple(DEFAULT_RELEASES)
# How the end of the permission reads: a date, an event, or the first of both.
END_WORDS = {
    "en": ("on {date}", "on {date} or {event}, whichever comes first"),
    "es": ("el {date}", "el {date} o {event}, lo que ocurra primero"),
}


def release_language_for(preferred: str) -> str:
    """The release a client reads: in their preferred language when there is one in it, else English."""
    return preferred if preferred in RELEASE_LANGUAGES else "en"


def language_name(code: str) -> str:
    """The language named in itself ("Español"), as the interface's language menu names it."""
    return dict(settings.LANGUAGES).get(code, code)


def purpose_in(language: str, purpose: str) -> str:
    """The default purpose follows the release's language (a form pre-filled in one language, then switched)."""
    if purpose.strip() in DEFAULT_PURPOSES.values():
        return DEFAULT_PURPOSES[language]
    return purpose


SIGNATURE_MAX_BYTES = 512 * 1024  # a drawn signature is a few kilobytes; this leaves room for a big screen
SIGNATURE_MAX_SIDE = 4000  # pixels: a pad on the largest screen, never a picture to decode at any size


# --- The template ---------------------------------------------------------------------------------


def template_problems(body: str, language: str = "en") -> list[str]:
    """What the template lacks, one message per missing element (empty when it is complete)."""
    text = body.strip()
    if not text:
        return [_("Write the release: it can't be empty.")]
    problems = []
    if len(body) > TEMPLATE_MAX_CHARS:
        problems.append(
            _("The release is %(count)s characters; keep it under %(most)s.")
            % {"count": f"{len(body):,}", "most": f"{TEMPLATE_MAX_CHARS:,}"}
        )
    used = set(PLACEHOLDER_PATTERN.findall(body))
    for unknown in sorted(used - PLACEHOLDER_NAMES):
        known = ", ".join("{" + p.name + "}" for p in PLACEHOLDERS)
        problems.append(
            _("%(unknown)s is not a placeholder IPS Hub fills: use only %(known)s.")
            % {"unknown": "{" + unknown + "}", "known": known}
        )
    for placeholder in PLACEHOLDERS:
        if placeholder.required and placeholder.name not in used:
            problems.append(
                _("The release must say %(element)s: keep the placeholder %(placeholder)s.")
                % {"element": placeholder.element, "placeholder": "{" + placeholder.name + "}"}
            )
    lowered = text.lower()
    for word, element in REQUIRED_WORDS[language]:
        if word not in lowered:
            problems.append(
                _("The release must tell the client %(element)s (use the word '%(word)s').")
                % {"element": element, "word": word}
            )
    return problems


def current_template(state: State, language: str = "en") -> ReleaseTemplate | None:
    return ReleaseTemplate.objects.filter(state=state, language=language).order_by("-version").first()


def template_or_default(state: State, language: str = "en") -> ReleaseTemplate:
    """The state's latest version, or (not saved) the built-in default that becomes its version 1."""
    return current_template(state, language) or ReleaseTemplate(
        state=state, language=language, version=1, body=DEFAULT_RELEASES[language]
    )


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


def _stored_template(state: State, language: str = "en") -> ReleaseTemplate:
    """The latest version, storing the default as version 1 the first time one is needed."""
    _lock_state(state)
    found = current_template(state, language)
    if found is not None:
        return found
    return ReleaseTemplate.objects.create(
        state=state, language=language, version=1, body=DEFAULT_RELEASES[language], change_note="IPS Hub default"
    )


@transaction.atomic
def release_template_save(
    *,
    actor: Person,
    state: State,
    body: str,
    change_note: str = "",
    expected_version: int | None = None,
    language: str = "en",
) -> ReleaseTemplate:
    """A new version of the state's release in one language. Consents signed before keep theirs.
    expected_version: the version the edit was based on (0: the built-in default, none saved yet); if
    someone saved a newer one meanwhile, EditConflict."""
    if not can_edit_template(actor, state.pk):
        raise PermissionDenied(_("Only the state IPS team's leads and administrators can change the release."))
    if language not in RELEASE_LANGUAGES:
        raise ValidationError({"language": _("Choose the release's language: English or Spanish.")})
    problems = template_problems(body, language)
    if problems:
        raise ValidationError({"body": problems})
    if len(change_note) > 200:
        raise ValidationError({"change_note": _("Say what changed in 200 characters or fewer.")})
    _lock_state(state)
    check_version(current_template(state, language), expected_version, ("body", "change_note"))
    latest = ReleaseTemplate.objects.filter(state=state, language=language).aggregate(v=Max("version"))["v"] or 0
    template = ReleaseTemplate.objects.create(
        state=state,
        language=language,
        version=latest + 1,
        body=body.strip() + "\n",
        change_note=change_note.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="clients.release_template_save",
        obj=template,
        state_id=state.pk,
        summary=f"Release template of state {state.pk} ({language}), version {template.version}",
        detail={"version": template.version, "language": language},
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
    language: str = "en"  # the release's language (RELEASE_LANGUAGES)


def end_words(expires_on: datetime.date | None, expires_event: str, language: str = "en") -> str:
    event = expires_event.strip().rstrip(".")
    on_date, first_of_both = END_WORDS[language]
    if expires_on and event:
        return first_of_both.format(date=long_date(expires_on), event=event)
    if expires_on:
        return on_date.format(date=long_date(expires_on))
    return event


def fill(template: ReleaseTemplate, enrollment: Enrollment, terms: ReleaseTerms) -> str:
    """The release in the client's words: every placeholder replaced, nothing else touched. Its dates are
    written in the release's language, whatever language the staff person's interface speaks."""
    with translation.override(template.language):
        return _fill(template, enrollment, terms)


def _fill(template: ReleaseTemplate, enrollment: Enrollment, terms: ReleaseTerms) -> str:
    values = {
        "client_name": enrollment.client.full_name,
        "agency": enrollment.client.agency.name,
        "recipient": terms.organization.name,
        "scope": SCOPE_WORDS[template.language].get(terms.scope, terms.scope),
        "purpose": terms.purpose.strip().rstrip("."),
        "start": long_date(terms.starts_on),
        "end": end_words(terms.expires_on, terms.expires_event, template.language),
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
    language: str | None = None,
) -> Problems:
    """Every problem with the terms at once (the form shows them with its own)."""
    problems = Problems()
    if language is not None and language not in RELEASE_LANGUAGES:
        problems.add("language", _("Choose the release's language: English or Spanish."))
    check_date(problems, "starts_on", starts_on, "start date", days_ahead=CONSENT_MOST_DAYS_AHEAD)
    check_date(problems, "expires_on", expires_on, "end date", days_ahead=CONSENT_MOST_DAYS_AHEAD)
    if starts_on and expires_on and "expires_on" not in problems and expires_on < starts_on:
        problems.add(
            "expires_on", _("The consent can't end before it starts: choose an end date on or after the start.")
        )
    if expires_on is None and not (expires_event or "").strip():
        problems.add(
            "expires_on",
            _("Say until when the client agrees: an end date, or an event (e.g. 'when my DVR case is closed')."),
        )
    if organization is not None and (
        organization.kind not in (OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER)
        or organization.state_id != enrollment.program.state_id
    ):
        problems.add("organization", _("Choose a DVR office or employment service provider in the program's state."))
    if scope is not None and scope not in Consent.Scope.values:
        problems.add("scope", _("Choose what may be shared."))
    if purpose is not None and not purpose.strip():
        problems.add("purpose", _("Say why the information is shared, in words the client understands."))
    return problems


@transaction.atomic
def consent_draft_prepare(*, actor: Person, enrollment: Enrollment, terms: ReleaseTerms) -> ConsentDraft:
    """The release for one client, ready to hand over: the terms and the template version shown."""
    _require(actor, enrollment, access.CONSENT)
    terms_problems(enrollment=enrollment, **_term_values(terms)).raise_if_any()
    template = _stored_template(enrollment.program.state, terms.language)
    draft = ConsentDraft.objects.create(
        enrollment=enrollment,
        organization=terms.organization,
        scope=terms.scope,
        purpose=terms.purpose.strip(),
        starts_on=terms.starts_on,
        expires_on=terms.expires_on,
        expires_event=terms.expires_event.strip(),
        template=template,
        language=terms.language,
        release_text=fill(template, enrollment, terms),
        prepared_by=actor,
    )
    _audit(
        actor, "client.consent_prepare", enrollment, draft, organization=terms.organization.pk, language=terms.language
    )
    return draft


def _term_values(terms: ReleaseTerms) -> dict[str, Any]:
    return {
        "organization": terms.organization,
        "scope": terms.scope,
        "purpose": terms.purpose,
        "starts_on": terms.starts_on,
        "expires_on": terms.expires_on,
        "expires_event": terms.expires_event,
        "language": terms.language,
    }


def draft_terms(draft: ConsentDraft) -> ReleaseTerms:
    return ReleaseTerms(
        organization=draft.organization,
        scope=draft.scope,
        purpose=draft.purpose,
        starts_on=draft.starts_on,
        expires_on=draft.expires_on,
        expires_event=draft.expires_event,
        language=draft.language,
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
        raise ValidationError({field: _("The drawn signature must be a PNG image (a data:image/png;base64 URL).")})
    try:
        png = base64.b64decode(data_url[len(PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: _("The drawn signature could not be read: draw it again.")}) from None
    if len(png) > SIGNATURE_MAX_BYTES:
        raise ValidationError(
            {field: _("The drawn signature is larger than %(size)s KB.") % {"size": SIGNATURE_MAX_BYTES // 1024}}
        )
    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG":
                raise ValidationError({field: _("The drawn signature must be a PNG image.")})
            width, height = image.size
            if width > SIGNATURE_MAX_SIDE or height > SIGNATURE_MAX_SIDE:
                raise ValidationError(
                    {
                        field: _("The drawn signature is larger than %(side)s pixels on a side.")
                        % {"side": SIGNATURE_MAX_SIDE}
                    }
                )
            inked = image.convert("RGBA").getchannel("A").getbbox()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: _("The drawn signature could not be read: draw it again.")}) from None
    if inked is None:
        raise ValidationError(
            {field: _("The signature box is empty: the client signs in the box, or types their name.")}
        )
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
            problems.add("typed_name", _("Type your full name to sign."))
        elif len(typed_name.strip()) > 200:
            problems.add("typed_name", _("Type your name in 200 characters or fewer."))
        if not confirmed:
            problems.add("confirmed", _("Check the box to confirm that typing your name is your signature."))
        problems.raise_if_any()
        return Signature(Consent.SignedBy.TYPED, typed_name=" ".join(typed_name.split()))
    if method == Consent.SignedBy.DRAWN:
        if not drawing:
            raise ValidationError(
                {"signature": _("The signature box is empty: the client signs in the box, or types their name.")}
            )
        return Signature(Consent.SignedBy.DRAWN, png=drawing_bytes(drawing))
    raise ValidationError({"method": _("Choose how the client signs: by drawing or by typing their name.")})


def drawing_bytes(drawing: str) -> bytes:
    return drawn_signature(drawing, field="signature")


# --- Signing and the PDF --------------------------------------------------------------------------


def release_pdf(consent: Consent, enrollment: Enrollment, *, png: bytes = b"") -> bytes:
    """The signed release as a PDF: every element's text, the signature (image or typed name) and the date."""
    printer = weasyprint()
    with translation.override(consent.language):  # the release's language (see fill), not the staff person's
        html = render_to_string(
            "clients/consent_pdf.html",
            {
                "consent": consent,
                "language_name": language_name(consent.language),
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
        raise PermissionDenied(_("That release was prepared for another client."))
    used = (
        template
        or (draft.template if draft is not None else None)
        or _stored_template(enrollment.program.state, terms.language)
    )
    # The text the client read: the draft's as prepared (older drafts kept none: filled again).
    text = draft.release_text if draft is not None and draft.release_text else fill(used, enrollment, terms)
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
        release_text=text,
        language=used.language,
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
        language=used.language,
        signed_by=signature.method,
    )
    return consent


def record_download(*, actor: Person, enrollment: Enrollment, consent: Consent) -> None:
    """Every download of a consent's document is an audit event (who, which consent, which client)."""
    _audit(actor, "client.consent_download", enrollment, consent, organization=consent.organization_id)
