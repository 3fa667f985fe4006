"""Implementation's own work sources (areakit/work.py): the records of this area, and the program facts of
tenancy, that fulfil duties of the roles matrix.

Each `find` reads every program it is given in a fixed number of queries and keeps its answer small (these
records are few per program: a committee, a handful of set-up items, a few entries a year).

    program.opened          the program exists                      on: its opening (first phase change)
    program.provider        it names an employment provider, or     on: the opening, or the IPS staff's start
                            its agency has IPS staff of its own
    program.trainer         it has an assigned state trainer       on: the last change of trainer in the
                                                                        audit trail, else the opening
    partnership.<kind>      that set-up item is done or waived      on: the date agreed, else the last update
    readiness.assessment    a readiness assessment                  on: the meeting's date
    steering.committee      at least 5 committee members            on: when the 5th joined
    steering.diverse        5 members of 4 roles, with a client     on: when the committee first was so
                            or a family member
    outreach.public         IPS shared in a public forum            on: its date
    materials.guide         the Practical Guide handed to staff     on: its date
    materials.handouts      handouts and posters displayed          on: its date
    resource.revenue        a revenue-sources resource sent         on: the day it was sent
    data_request            each request is an Ask, answered by     asked_on / due_on; answer on: the first
                            its first uploaded file                 upload's date
"""

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy

from ipshub.areakit.work import Ask, Work, WorkSource
from ipshub.audit.models import AuditEvent
from ipshub.implementation.models import (
    DataRequest,
    DataRequestAnswer,
    Material,
    MaterialDistribution,
    OutreachActivity,
    PartnershipItem,
    PartnershipKind,
    PartnershipStatus,
    ReadinessAssessment,
    ResourceShare,
    ResourceTopic,
    SteeringMember,
    SteeringRole,
)
from ipshub.tenancy.models import Membership, PhaseChange, Program
from ipshub.tenancy.roles import Role
from ipshub.tenancy.roles import lazy_label as _


def lazy_format(message: str, **values: Any) -> str:
    """A marked message with its values, translated when shown (these sources are made at import)."""
    return lazy(lambda: str(message) % values, str)()


COMMITTEE_SIZE = 5  # the roles document's steering committee: at least five members...
DIVERSE_ROLES = 4  # ...of at least four walks of life...
VOICE_OF_CLIENTS = (SteeringRole.CLIENT, SteeringRole.FAMILY)  # ...including a client or a family member
IPS_STAFF = (Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST)


def _day(value: datetime.date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def _url(name: str, *args: int) -> str:
    return reverse(f"implementation:{name}", args=args)


# --- Program facts ----------------------------------------------------------------------------------


def opened_on(program_ids: list[int]) -> dict[int, datetime.date]:
    """Each program's opening day (implementation.selectors.program_opened_on, for many programs): its first
    phase change, or the day it was created. Two queries."""
    first = dict(
        PhaseChange.objects.filter(program_id__in=program_ids)
        .values("program_id")
        .annotate(first=Min("effective_on"))
        .values_list("program_id", "first")
    )
    found: dict[int, datetime.date] = {}
    for pk, created, since in Program.objects.filter(pk__in=program_ids).values_list("pk", "created_at", "phase_since"):
        found[pk] = first.get(pk) or (timezone.localdate(created) if created else since)
    return found


def _program_opened(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    for pk, day in opened_on(program_ids).items():
        if day >= since:
            yield Work(pk, "program", pk, _url("program", pk), day, f"Program opened, {_day(day)}")


def _program_provider(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    opened = opened_on(program_ids)
    programs = list(
        Program.objects.filter(pk__in=program_ids).values_list(
            "pk", "mh_agency_id", "employment_provider_id", "employment_provider__name"
        )
    )
    own_staff: dict[int, tuple[int, datetime.date | None]] = {}  # agency → (a membership, its earliest start)
    for membership_id, org_id, started in (
        Membership.objects.filter(
            organization_id__in={mh for _pk, mh, provider, _other in programs if provider is None},
            role__in=IPS_STAFF,
            is_active=True,
        )
        .order_by("started_on", "pk")
        .values_list("pk", "organization_id", "started_on")
    ):
        own_staff.setdefault(org_id, (membership_id, started))
    for pk, mh_id, provider_id, provider_name in programs:
        if provider_id is not None:
            day = opened[pk]
            label = f"Employment service provider: {provider_name}"
            url = reverse("tenancy:program_detail", args=[pk])
            work = Work(pk, "employment_provider", provider_id, url, day, label)
        elif mh_id in own_staff:
            membership_id, started = own_staff[mh_id]
            day = max(started or opened[pk], opened[pk])
            label = "The mental health agency's own IPS staff"
            url = reverse("tenancy:organization_detail", args=[mh_id])
            work = Work(pk, "ips_staff", membership_id, url, day, label)
        else:
            continue
        if work.on >= since:
            yield work


def trainer_assigned_on(program_ids: list[int]) -> dict[int, datetime.date]:
    """When each program's current trainer was assigned: the last program change that changed the trainer
    (tenancy's `program.update` audit events name the fields they changed). A program opened with its trainer
    has no such event: its opening day stands. One query; programs are changed rarely."""
    found: dict[int, datetime.date] = {}
    events = AuditEvent.objects.filter(
        object_type=Program._meta.label_lower,
        object_id__in=[str(pk) for pk in program_ids],
        action="program.update",
    ).values_list("object_id", "at", "detail")
    for object_id, at, detail in events:
        if isinstance(detail, dict) and "trainer" in (detail.get("changed") or []):
            day = timezone.localdate(at)
            found[int(object_id)] = max(found.get(int(object_id), day), day)
    return found


def _program_trainer(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    with_trainer = list(
        Program.objects.filter(pk__in=program_ids, trainer__isnull=False).values_list(
            "pk", "trainer_id", "trainer__first_name", "trainer__last_name"
        )
    )
    if not with_trainer:
        return
    ids = [pk for pk, *_ in with_trainer]
    opened, changed = opened_on(ids), trainer_assigned_on(ids)
    for pk, trainer_id, first, last in with_trainer:
        day = max(changed.get(pk, opened[pk]), opened[pk])
        if day >= since:
            label = f"Assigned state trainer: {first} {last}".strip()
            yield Work(pk, "trainer", trainer_id, reverse("tenancy:program_detail", args=[pk]), day, label)


# --- Partnership set-up, readiness, steering committee ----------------------------------------------


def _partnership(kind: PartnershipKind) -> WorkSource:
    def find(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
        items = PartnershipItem.objects.filter(
            program_id__in=program_ids,
            kind=kind,
            status__in=(PartnershipStatus.DONE, PartnershipStatus.WAIVED),
        ).values_list("pk", "program_id", "status", "agreed_on", "updated_at", "waiver_reason")
        for pk, program_id, status, agreed_on, updated_at, reason in items:
            day = agreed_on or timezone.localdate(updated_at)
            if day < since:
                continue
            if status == PartnershipStatus.WAIVED:
                label = f"{kind.label}: waived: {reason}"
            else:
                label = f"{kind.label}: done, {_day(day)}"
            url = _url("partnership_item", program_id, pk)
            yield Work(program_id, "partnership_item", pk, url, day, label[:200])

    return WorkSource(
        key=f"partnership.{kind.value}",
        describe=lazy_format(
            _("The partnership set-up item '%(item)s' is done or waived with a reason."), item=kind.label
        ),
        missing=f"The partnership set-up item '{kind.label}' is no longer done or waived.",
        find=find,
        record_at=lambda program_id: reverse("implementation:partnership", args=[program_id]),
    )


def _readiness(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    for pk, program_id, held_on in ReadinessAssessment.objects.filter(
        program_id__in=program_ids, held_on__gte=since
    ).values_list("pk", "program_id", "held_on"):
        label = f"Readiness assessment, {_day(held_on)}"
        yield Work(program_id, "readiness_assessment", pk, _url("readiness", program_id, pk), held_on, label)


def _committees(program_ids: list[int]) -> dict[int, list[tuple[datetime.date, int, str]]]:
    """Each program's committee members as (joined, id, role), in the order they joined (a member without a
    joining date counts from the day they were added)."""
    members: dict[int, list[tuple[datetime.date, int, str]]] = {}
    for pk, program_id, role, joined_on, added_at in SteeringMember.objects.filter(
        program_id__in=program_ids
    ).values_list("pk", "program_id", "role", "joined_on", "added_at"):
        members.setdefault(program_id, []).append((joined_on or timezone.localdate(added_at), pk, role))
    for rows in members.values():
        rows.sort()
    return members


def _steering_committee(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    for program_id, rows in _committees(program_ids).items():
        if len(rows) < COMMITTEE_SIZE:
            continue
        day = rows[COMMITTEE_SIZE - 1][0]
        if day >= since:
            label = f"Steering committee of {len(rows)} members"
            yield Work(program_id, "steering_committee", program_id, _url("team", program_id), day, label)


def _steering_diverse(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    for program_id, rows in _committees(program_ids).items():
        roles: set[str] = set()
        for n, (joined, _member, role) in enumerate(rows, start=1):
            roles.add(role)
            diverse = len(roles) >= DIVERSE_ROLES and bool(roles & set(VOICE_OF_CLIENTS))
            if n >= COMMITTEE_SIZE and diverse:
                if joined >= since:
                    walks = len({r for _, _, r in rows})
                    label = f"Steering committee of {len(rows)} members from {walks} walks of life"
                    yield Work(program_id, "steering_committee", program_id, _url("team", program_id), joined, label)
                break


# --- Outreach, materials, resources sent -------------------------------------------------------------


def _outreach(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    for activity in OutreachActivity.objects.filter(program_id__in=program_ids, held_on__gte=since).only(
        "pk", "program_id", "held_on", "kind", "forum"
    ):
        label = f"{activity.get_kind_display()}: {activity.forum}, {_day(activity.held_on)}"
        url = _url("outreach", activity.program_id)
        yield Work(activity.program_id, "outreach", activity.pk, url, activity.held_on, label[:200])


def _materials(material: Material) -> WorkSource:
    def find(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
        for pk, program_id, day, recipients in MaterialDistribution.objects.filter(
            program_id__in=program_ids, material=material, distributed_on__gte=since
        ).values_list("pk", "program_id", "distributed_on", "recipients"):
            what = "Practical Guide" if material == Material.PRACTICAL_GUIDE else "Handouts and posters"
            label = f"{what}: {recipients}, {_day(day)}"
            yield Work(program_id, "material_distribution", pk, _url("materials", program_id), day, label[:200])

    if material == Material.PRACTICAL_GUIDE:
        return WorkSource(
            key="materials.guide",
            describe=_("The program logs that its IPS staff have the current Practical Guide."),
            missing="The log of the Practical Guide given to IPS staff was removed.",
            find=find,
            record_at=lambda program_id: reverse("implementation:materials", args=[program_id]),
        )
    return WorkSource(
        key="materials.handouts",
        describe=_("The program logs where IPS handouts and posters are displayed."),
        missing="The log of IPS handouts and posters displayed was removed.",
        find=find,
        record_at=lambda program_id: reverse("implementation:materials", args=[program_id]),
    )


def _revenue_sent(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    for pk, program_id, sent_on, title in ResourceShare.objects.filter(
        program_id__in=program_ids, resource__topic=ResourceTopic.REVENUE, sent_on__gte=since
    ).values_list("pk", "program_id", "sent_on", "resource__title"):
        label = f"Sent “{title}”, {_day(sent_on)}"
        yield Work(program_id, "resource_sent", pk, _url("shares", program_id), sent_on, label[:200])


# --- Data requests -------------------------------------------------------------------------------------


def _first_answers(request_ids: Iterable[int]) -> dict[int, tuple[int, datetime.date, str]]:
    """Each request's first answer: (answer id, day, file name)."""
    first: dict[int, tuple[int, datetime.date, str]] = {}
    for pk, request_id, day, name in (
        DataRequestAnswer.objects.filter(request_id__in=list(request_ids))
        .order_by("answered_on", "pk")
        .values_list("pk", "request_id", "answered_on", "original_name")
    ):
        first.setdefault(request_id, (pk, day, name))
    return first


def _answer_work(program_id: int, request_id: int, answer: tuple[int, datetime.date, str]) -> Work:
    pk, day, name = answer
    url = _url("data_request", program_id, request_id)
    return Work(program_id, "data_request_answer", pk, url, day, f"Data sent: {name}, {_day(day)}"[:200])


def _data_answers(program_ids: list[int], since: datetime.date) -> Iterator[Work]:
    requests = dict(
        DataRequest.objects.filter(program_id__in=program_ids, asked_on__gte=since).values_list("pk", "program_id")
    )
    for request_id, answer in _first_answers(requests).items():
        yield _answer_work(requests[request_id], request_id, answer)


def _data_asks(program_ids: list[int], since: datetime.date) -> Iterator[Ask]:
    requests = list(
        DataRequest.objects.filter(program_id__in=program_ids, asked_on__gte=since).values_list(
            "pk", "program_id", "asked_on", "due_on"
        )
    )
    answers = _first_answers(pk for pk, *_ in requests)
    for pk, program_id, asked_on, due_on in requests:
        answer = answers.get(pk)
        yield Ask(
            program_id,
            "data_request",
            pk,
            _url("data_request", program_id, pk),
            asked_on,
            due_on,
            _answer_work(program_id, pk, answer) if answer else None,
        )


SOURCES: tuple[WorkSource, ...] = (
    WorkSource(
        key="program.opened",
        describe=_("The program is opened in IPS Hub."),
        missing="The program's opening is no longer recorded.",
        find=_program_opened,
    ),
    WorkSource(
        key="program.provider",
        describe=_("The program names its employment service provider, or its mental health agency has IPS staff."),
        missing="The program no longer names an employment service provider, and its agency has no IPS staff.",
        find=_program_provider,
    ),
    WorkSource(
        key="program.trainer",
        describe=_("The program has an assigned state trainer."),
        missing="The program no longer has an assigned state trainer.",
        find=_program_trainer,
    ),
    _partnership(PartnershipKind.SERVICE_AGREEMENT),
    _partnership(PartnershipKind.REFERRAL_PROCEDURE),
    _partnership(PartnershipKind.CONFIDENTIALITY),
    WorkSource(
        key="readiness.assessment",
        describe=_("A readiness assessment with the agency and DVR leaders is recorded."),
        missing="The readiness assessment was removed.",
        find=_readiness,
        record_at=lambda program_id: reverse("implementation:readiness_list", args=[program_id]),
    ),
    WorkSource(
        key="steering.committee",
        describe=lazy_format(_("The steering committee has at least %(size)s members."), size=COMMITTEE_SIZE),
        missing=f"The steering committee has fewer than {COMMITTEE_SIZE} members.",
        find=_steering_committee,
        record_at=lambda program_id: reverse("implementation:team", args=[program_id]),
    ),
    WorkSource(
        key="steering.diverse",
        describe=lazy_format(
            _(
                "The steering committee has at least %(size)s members from at least %(roles)s walks of life, "
                "including a client or a family member."
            ),
            size=COMMITTEE_SIZE,
            roles=DIVERSE_ROLES,
        ),
        missing=(
            f"The steering committee no longer has {COMMITTEE_SIZE} members from {DIVERSE_ROLES} walks of life "
            "including a client or a family member."
        ),
        find=_steering_diverse,
        record_at=lambda program_id: reverse("implementation:team", args=[program_id]),
    ),
    WorkSource(
        key="outreach.public",
        describe=_("A presentation or success story shared in a public forum is logged."),
        missing="The logged outreach was removed.",
        find=_outreach,
        record_at=lambda program_id: reverse("implementation:outreach", args=[program_id]),
    ),
    _materials(Material.PRACTICAL_GUIDE),
    _materials(Material.HANDOUTS),
    WorkSource(
        key="resource.revenue",
        describe=_("The state team sends the program a resource on revenue sources for IPS."),
        missing="The resource on revenue sources sent to the program was taken back.",
        find=_revenue_sent,
        record_at=lambda program_id: reverse("implementation:shares", args=[program_id]),
    ),
    WorkSource(
        key="data_request",
        describe=_("Each data request of the state team is answered with an upload."),
        missing="The file answering the data request was removed.",
        find=_data_answers,
        record_at=lambda program_id: reverse("implementation:data_requests", args=[program_id]),
        asks=_data_asks,
    ),
)
