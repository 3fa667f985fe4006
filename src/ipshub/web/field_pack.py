"""The offline pack (issue #25, docs/field-work.md): what a specialist's or supervisor's device keeps for field work.

One function for both places that hand it out: the /field/ page inlines it (web/field.py: a first visit is usable
in one response) and GET /api/v1/offline/pack/ answers it (api/offline.py). Read through the clients and
collaboration access layers and recorded as a disclosure of the client records it names."""

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from ipshub.clients import access as client_access
from ipshub.clients import services as client_services
from ipshub.clients.models import ContactPurpose, NoteKind, SupportContact
from ipshub.collaboration import access as collab_access
from ipshub.collaboration.models import MentoringActivity
from ipshub.lib.concurrency import VersionedModel
from ipshub.tenancy.models import Person


def version_of(enrollment: VersionedModel) -> str:
    return f"enrollment-{enrollment.pk}-v{enrollment.version}"


def _name(person: Person) -> str:
    return person.get_full_name() or person.get_username()


def _wipe_after(signed_in_at: float | None, now: datetime.datetime) -> datetime.datetime:
    """The session's absolute limit (accounts/middleware.py): after it the session ends and the device wipes.
    Without a session (a token): the same length from now."""
    limit = settings.IPSHUB_SESSION_MAX_SECONDS
    if signed_in_at is None:
        return now + datetime.timedelta(seconds=limit)
    return datetime.datetime.fromtimestamp(float(signed_in_at) + limit, tz=datetime.UTC)


def offline_pack(person: Person, signed_in_at: float | None) -> dict[str, Any]:
    """`signed_in_at`: when the session began (its SIGNED_IN_AT), None for a token."""
    now = timezone.now()
    programs = list(client_access.job_developer_programs(person))
    mentoring = [p for p in programs if collab_access.can_log_mentoring(person, p)]
    caseload = list(
        client_access.service_enrollments(person)
        .select_related("client")
        .only("id", "program_id", "status", "version", "client__first_name", "client__last_name", "client__agency_id")
        .order_by("client__last_name", "client__first_name", "pk")
    )
    program_ids = [p.pk for p in programs]
    employers = client_access.employers_visible_to(person).filter(program_id__in=program_ids).order_by("name", "pk")
    specialists = [
        {"id": s.pk, "program": p.pk, "name": _name(s)}
        for p in mentoring
        for s in collab_access.program_specialists(p).exclude(pk=person.pk).order_by("last_name", "first_name")
    ]
    if caseload:
        client_services.record_list(actor=person, action="client.offline_pack", enrollment_ids=[e.pk for e in caseload])
    return {
        "person": {"id": person.pk, "name": _name(person)},
        "generated_at": now,
        "wipe_after": _wipe_after(signed_in_at, now),
        "programs": [
            {
                "id": p.pk,
                "name": p.name,
                "may_log_employer_contacts": True,  # job_developer_programs: the program's IPS unit
                "may_log_mentoring": p in mentoring,
            }
            for p in programs
        ],
        "caseload": [
            {
                "enrollment": e.pk,
                "program": e.program_id,
                "name": e.client.full_name,
                "status": e.status,
                "version": version_of(e),
            }
            for e in caseload
        ],
        "employers": [{"id": e.pk, "program": e.program_id, "name": e.name} for e in employers],
        "specialists": specialists,
        "choices": {
            "employer_contact_purpose": ContactPurpose.choices,
            "support_kind": SupportContact.Kind.choices,
            "support_setting": SupportContact.Setting.choices,
            "mentoring_activity": MentoringActivity.choices,
            "note_kind": NoteKind.choices,
        },
    }
