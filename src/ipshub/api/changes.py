"""The change feed (`GET /api/v1/changes/`): what changed, in order, that a person may see now.

Its source is the audit trail: every service that writes records one `AuditEvent` in the same
transaction, so the trail already holds every change, in order, with its time. The feed shows only
writes, named in one reviewed map (`KINDS`): an action that is not in it (a read, an export, a sign-in, a
change of a record kind not yet in the feed) never appears. Each entry says which record (`kind`, `id`),
what was done (`action`, the trail's own name for it) and when; for a client record's kinds also the
`enrollment` it belongs to, so a system can read that record again. Nothing else of a client: no names,
no summaries.

Who sees an entry is decided now, by the areas' access layers: a client record's change by the
enrollment it belongs to (`clients.access.enrollments_visible_to`, or for a DVR office the DVR view of
a client who consented, for the kinds that view shows); any other change by the record itself (a
program's reports by `outcomes.access.reports_visible_to`, and so on). A person who can no longer see a
record no longer sees its history. A program record that was deleted can't say who may see it, so its
removal is shown by what it belonged to (a meeting's series, a goal's program: `DELETION_KINDS`).

One page is one query, whatever the size of the trail: the events after the cursor whose
(action, object) matches one of the kinds' visibility conditions, each condition an `IN (subquery)` of
the access layer's own queryset.

Cursors are signed positions in the trail (`django.core.signing`, their own salt): a client can't forge
or alter one, and the same cursor always resumes at the same place. An event is listed only once it is
`IPSHUB_CHANGES_SETTLE_SECONDS` old, so that a transaction that took its event's number earlier but
committed later is listed before any cursor has passed it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import CharField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from ipshub.audit.models import AuditEvent
from ipshub.clients import access as client_access
from ipshub.clients.models import Enrollment
from ipshub.collaboration import access as collaboration_access
from ipshub.dvr import access as dvr_access
from ipshub.dvr.models import DeliverableReport
from ipshub.fidelity import access as fidelity_access
from ipshub.implementation import access as implementation_access
from ipshub.implementation.models import PartnershipItem, ReadinessAssessment, SteeringMember, StrategyProgress
from ipshub.outcomes import access as outcome_access
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person

CURSOR_SALT = "ipshub.api.changes"


@dataclass(frozen=True)
class ClientKind:
    """Changes to one kind of a client's records, seen by whoever may read the client's record."""

    name: str
    object_type: str
    actions: tuple[str, ...]
    # Shown to a DVR office under the client's consent: the DVR view shows the enrollment's status,
    # the consents, the jobs and the DVR case (api/area_serializers.py, DvrEnrollmentSerializer).
    in_dvr_view: bool = False


@dataclass(frozen=True)
class RecordKind:
    """Changes to one kind of program-level record, seen by whoever the area's access layer lets see it."""

    name: str
    object_type: str
    actions: tuple[str, ...]
    visible: Callable[[Person], QuerySet[Any]]


def _deliverable_reports_visible_to(person: Person) -> QuerySet[DeliverableReport]:
    return DeliverableReport.objects.filter(authorization__in=dvr_access.authorizations_visible_to(person))


# The reviewed map of what the feed shows (docs/api.md, "The change feed", lists it for integrators: keep
# the two in step). Left out on purpose: reads and disclosures (`*.view`, `client.list*`, exports,
# downloads), sign-ins and account changes (tokens, second factors, reminder settings), consent drafts (not
# yet a consent), a fidelity review's working steps (scores and consensus drafts, agenda, invitees: the
# review's milestones are in), uploads checked but not committed, the state's benchmarks and DVR catalog
# (read them again when a program's reports change), a library resource's and a training completion's
# removal (nothing is left to decide who may see them; see DELETION_KINDS for the removals that are in).
CLIENT_KINDS = (
    ClientKind(
        "enrollment",
        "clients.enrollment",
        ("client.refer", "client.assign", "client.transfer", "client.status", "client.close", "client.reopen"),
        in_dvr_view=True,
    ),
    ClientKind(
        "consent",
        "clients.consent",
        ("client.consent_add", "client.consent_sign", "client.consent_revoke"),
        in_dvr_view=True,
    ),
    ClientKind(
        "job",
        "clients.job",
        ("client.job_start", "client.job_change", "client.job_end", "client.next_job_help"),
        in_dvr_view=True,
    ),
    ClientKind("dvr_case", "clients.dvrcase", ("client.dvr_case",), in_dvr_view=True),
    ClientKind("career_profile", "clients.careerprofile", ("client.profile",)),
    ClientKind("benefits_planning", "clients.benefitsplanning", ("client.benefits",)),
    ClientKind("job_search_plan", "clients.jobsearchplan", ("client.job_search_plan",)),
    ClientKind("employer_contact", "clients.employercontact", ("client.employer_contact",)),
    ClientKind("education", "clients.education", ("client.education",)),
    ClientKind("support_contact", "clients.supportcontact", ("client.support_contact",)),
    ClientKind("note", "clients.progressnote", ("client.note_write", "client.note_correct", "client.note_addendum")),
    ClientKind("document", "clients.clientdocument", ("client.document_upload", "client.document_remove")),
    ClientKind("billable_unit", "dvr.billableunit", ("dvr.billable_unit",)),
)
RECORD_KINDS = (
    RecordKind(
        "program",
        "tenancy.program",
        (
            "program.create",
            "program.update",
            "program.phase_change",
            "implementation.kickoff_set",
            # The program's roles matrix was created or brought up to date: read its assignments again.
            "implementation.assignments_create",
            "implementation.assignments_reconcile",
        ),
        tenancy_access.programs_visible_to,
    ),
    RecordKind(
        "assignment",
        "implementation.assignment",
        ("implementation.assignment_update",),
        implementation_access.assignments_visible_to,
    ),
    RecordKind(
        "quarterly_report",
        "outcomes.quarterlyreport",
        tuple(f"outcome_report.{verb}" for verb in ("create", "update", "submit", "return", "accept", "correct")),
        outcome_access.reports_visible_to,
    ),
    RecordKind("goal", "outcomes.goal", ("outcome_goal.set",), outcome_access.goals_visible_to),
    RecordKind(
        "review",
        "fidelity.review",
        tuple(
            f"fidelity.{step}"
            for step in (
                "review_schedule",
                "review_plan",
                "review_set_team",
                "review_cancel",
                "consensus_complete",
                "report_edit",
                "report_deliver",
                "actions_from_recommendations",
            )
        ),
        fidelity_access.reviews_visible_to,
    ),
    RecordKind(
        "action_item",
        "fidelity.actionitem",
        ("fidelity.action_create", "fidelity.action_update"),
        fidelity_access.actions_visible_to,
    ),
    # A program's fidelity self-assessment (issue #26, branch fidself).
    RecordKind(
        "self_assessment",
        "fidelity.selfassessment",
        ("fidelity.self_assessment_create", "fidelity.self_assessment_update"),
        fidelity_access.self_assessments_visible_to,
    ),
    RecordKind(
        "meeting_series",
        "collaboration.meetingseries",
        ("meeting_series.create",),
        collaboration_access.series_visible_to,
    ),
    RecordKind(
        "meeting",
        "collaboration.meeting",
        ("meeting.record", "meeting.update"),
        collaboration_access.meetings_visible_to,
    ),
    RecordKind(
        "authorization",
        "dvr.authorization",
        ("dvr.authorize", "dvr.extend"),
        dvr_access.authorizations_visible_to,
    ),
    RecordKind(
        "deliverable_report",
        "dvr.deliverablereport",
        ("dvr.report_submit", "dvr.report_return", "dvr.report_accept"),
        _deliverable_reports_visible_to,
    ),
    RecordKind("milestone", "dvr.milestone", ("dvr.paid",), dvr_access.milestones_visible_to),
    # A program's implementation records (its pages under /implementation/programs/<id>/).
    RecordKind(
        "strategy_progress",
        "implementation.strategyprogress",
        ("implementation.strategy_update",),
        lambda person: implementation_access.program_records_visible_to(person, StrategyProgress),
    ),
    RecordKind(
        "partnership_item",
        "implementation.partnershipitem",
        ("implementation.partnership_update",),
        lambda person: implementation_access.program_records_visible_to(person, PartnershipItem),
    ),
    RecordKind(
        "readiness_assessment",
        "implementation.readinessassessment",
        ("implementation.readiness_record",),
        lambda person: implementation_access.program_records_visible_to(person, ReadinessAssessment),
    ),
    RecordKind(
        "steering_member",
        "implementation.steeringmember",
        ("implementation.steering_add",),
        lambda person: implementation_access.program_records_visible_to(person, SteeringMember),
    ),
    RecordKind(
        "evidence",
        "implementation.evidence",
        ("implementation.evidence_add",),
        implementation_access.evidence_visible_to,
    ),
    RecordKind(
        "outreach",
        "implementation.outreachactivity",
        ("implementation.outreach_record",),
        implementation_access.outreach_visible_to,
    ),
    RecordKind(
        "material_distribution",
        "implementation.materialdistribution",
        ("implementation.material_distribution_record",),
        implementation_access.distributions_visible_to,
    ),
    RecordKind(
        "resource_share",
        "implementation.resourceshare",
        ("implementation.resource_send",),
        implementation_access.shares_visible_to,
    ),
    RecordKind(
        "data_request",
        "implementation.datarequest",
        ("implementation.data_request_create", "implementation.data_request_answer"),
        implementation_access.data_requests_visible_to,
    ),
    RecordKind(
        "resource",
        "implementation.resource",
        ("implementation.resource_create",),
        implementation_access.resources_visible_to,
    ),
    # Meetings' outcomes, training, mentoring and technical assistance.
    RecordKind(
        "decision", "collaboration.decision", ("meeting.decision_add",), collaboration_access.decisions_visible_to
    ),
    RecordKind(
        "follow_up",
        "collaboration.followup",
        ("follow_up.add", "follow_up.status", "follow_up.convert"),
        collaboration_access.follow_ups_visible_to,
    ),
    RecordKind(
        "training_completion",
        "collaboration.trainingcompletion",
        ("training.record",),
        collaboration_access.completions_visible_to,
    ),
    RecordKind(
        "mentoring_session",
        "collaboration.mentoringsession",
        ("mentoring.log",),
        collaboration_access.mentoring_visible_to,
    ),
    RecordKind("technical_assistance", "collaboration.taactivity", ("ta.log",), collaboration_access.ta_visible_to),
    # The directory.
    RecordKind(
        "organization",
        "tenancy.organization",
        ("organization.create", "organization.update"),
        tenancy_access.organizations_visible_to,
    ),
    RecordKind("person", "tenancy.person", ("person.create", "person.update"), tenancy_access.people_visible_to),
    RecordKind(
        "membership", "tenancy.membership", ("membership.add", "membership.end"), tenancy_access.memberships_visible_to
    ),
)


@dataclass(frozen=True)
class DeletionKind:
    """The removal of a program record: the record is gone, so who may see its removal is decided by what it
    belonged to (`parent`, as the service recorded it in the event's detail), through that one's access layer."""

    name: str
    object_type: str
    action: str
    parent: str
    visible_parents: Callable[[Person], QuerySet[Any]]


DELETION_KINDS = (
    DeletionKind(
        "meeting", "collaboration.meeting", "meeting.delete", "series", collaboration_access.series_visible_to
    ),
    DeletionKind("goal", "outcomes.goal", "outcome_goal.delete", "program", tenancy_access.programs_visible_to),
    DeletionKind(
        "action_item", "fidelity.actionitem", "fidelity.action_delete", "review_id", fidelity_access.reviews_visible_to
    ),
    DeletionKind(
        "steering_member",
        "implementation.steeringmember",
        "implementation.steering_remove",
        "program",
        tenancy_access.programs_visible_to,
    ),
    DeletionKind(
        "outreach",
        "implementation.outreachactivity",
        "implementation.outreach_delete",
        "program",
        tenancy_access.programs_visible_to,
    ),
    DeletionKind(
        "material_distribution",
        "implementation.materialdistribution",
        "implementation.material_distribution_delete",
        "program",
        tenancy_access.programs_visible_to,
    ),
    DeletionKind(
        "resource_share",
        "implementation.resourceshare",
        "implementation.resource_share_delete",
        "program",
        tenancy_access.programs_visible_to,
    ),
    DeletionKind(
        "data_request",
        "implementation.datarequest",
        "implementation.data_request_delete",
        "program",
        tenancy_access.programs_visible_to,
    ),
    DeletionKind(
        "data_request_answer",
        "implementation.datarequestanswer",
        "implementation.data_request_answer_delete",
        "program",
        tenancy_access.programs_visible_to,
    ),
)
KIND_OF: dict[tuple[str, str], str] = {
    (kind.object_type, action): kind.name for kind in (*CLIENT_KINDS, *RECORD_KINDS) for action in kind.actions
}
KIND_OF.update({(kind.object_type, kind.action): kind.name for kind in DELETION_KINDS})
DELETION_PARENTS = sorted({kind.parent for kind in DELETION_KINDS})
CLIENT_KIND_NAMES = frozenset(kind.name for kind in CLIENT_KINDS)


# --- Cursors --------------------------------------------------------------------------------------


class BadCursor(ValueError):
    """A cursor this server did not give out, or one altered since."""


def cursor_for(position: int) -> str:
    """The same position always gives the same cursor (no time in it, unlike `signing.dumps`)."""
    return signing.Signer(salt=CURSOR_SALT).sign_object(position)


def position_of(cursor: str) -> int:
    try:
        position = signing.Signer(salt=CURSOR_SALT).unsign_object(cursor)
    except (signing.BadSignature, ValueError):
        try:  # a cursor given out before cursors were timeless (they carried the time they were made)
            position = signing.loads(cursor, salt=CURSOR_SALT)
        except (signing.BadSignature, ValueError):
            raise BadCursor(cursor) from None
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise BadCursor(cursor)
    return position


# --- Selection ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    cursor: str
    kind: str
    id: int
    action: str
    at: datetime.datetime
    enrollment: int | None


def _as_text(ids: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset's primary keys as text, to compare with the trail's `object_id` (a text column)."""
    as_text: QuerySet[Any] = ids.order_by().annotate(id_text=Cast("pk", CharField())).values("id_text")
    return as_text


def _kinds_q(kinds: tuple[ClientKind, ...] | tuple[RecordKind, ...]) -> Q:
    q = Q(pk__in=[])
    for kind in kinds:
        q |= Q(object_type=kind.object_type, action__in=kind.actions)
    return q


def _visible_q(person: Person) -> Q:
    """Events of the feed's kinds about records the person may see now: a fixed number of conditions,
    each an `IN (subquery)` of an access layer's queryset."""
    whole_record: QuerySet[Enrollment] = client_access.enrollments_visible_to(person)
    dvr_view = client_access.dvr_enrollments_visible_to(person)
    q = _kinds_q(CLIENT_KINDS) & Q(enrollment_ref__in=_as_text(whole_record))
    q |= _kinds_q(tuple(k for k in CLIENT_KINDS if k.in_dvr_view)) & Q(enrollment_ref__in=_as_text(dvr_view))
    for kind in RECORD_KINDS:
        q |= _kinds_q((kind,)) & Q(object_id__in=_as_text(kind.visible(person)))
    for deletion in DELETION_KINDS:
        parent_ref = f"{deletion.parent}_ref"
        q |= Q(object_type=deletion.object_type, action=deletion.action) & Q(
            **{f"{parent_ref}__in": _as_text(deletion.visible_parents(person))}
        )
    return q


def changes_after(person: Person, position: int, limit: int) -> tuple[list[Change], bool]:
    """Up to `limit` changes after `position`, oldest first, and whether more are waiting now."""
    settled = timezone.now() - datetime.timedelta(seconds=settings.IPSHUB_CHANGES_SETTLE_SECONDS)
    rows = list(
        AuditEvent.objects.filter(pk__gt=position, at__lte=settled)
        # The client record an event belongs to, as the clients area's services record it.
        .annotate(enrollment_ref=Cast(KeyTextTransform("enrollment", "detail"), CharField()))
        # What a deleted record belonged to (DELETION_KINDS).
        .annotate(
            **{f"{parent}_ref": Cast(KeyTextTransform(parent, "detail"), CharField()) for parent in DELETION_PARENTS}
        )
        .filter(_visible_q(person))
        .order_by("pk")
        .values_list("pk", "at", "action", "object_type", "object_id", "enrollment_ref")[: limit + 1]
    )
    changes = []
    for pk, at, action, object_type, object_id, enrollment_ref in rows[:limit]:
        kind = KIND_OF[(object_type, action)]  # the conditions above match only the map's pairs
        enrollment = int(enrollment_ref) if kind in CLIENT_KIND_NAMES and enrollment_ref else None
        changes.append(Change(cursor_for(pk), kind, int(object_id), action, at, enrollment))
    return changes, len(rows) > limit
