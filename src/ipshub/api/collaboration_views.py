"""The writes of the collaboration area, one operation per action a person takes on the web's collaboration pages
(collaboration/urls.py): set up a meeting series (a program's or statewide); record a meeting with who was
present, change it (If-Match) or remove it; add a decision or a follow-up; change a follow-up's status or hand
it to another area; record or remove a training completion; log field mentoring and technical assistance; and
a person's own reminder settings (the digest's frequency, a new calendar feed address).

Each operation finds its object with the collaboration access layer's `get_*_for` (or tenancy's for a program;
404 for "not found" and "not yours"), makes the web view's access check (`require_*`: 403 for a person who may
see but not act) before it reads the body, checks the body's shape, and calls the same service function as the
web view: the service validates (its messages are the API's 400s, on the field they name) and records the audit
event. People named in a body are looked up among the web form's choices and the people the caller may see: any
other id answers as if unknown, so an error never names a person of another agency or state.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import collaboration_serializers as s
from ipshub.api import filters, program_serializers, program_views, versions
from ipshub.api.inputs import refuse_unknown, validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.collaboration import access as collab_access
from ipshub.collaboration import selectors, services
from ipshub.collaboration.models import (
    AttendanceStatus,
    FollowUp,
    Meeting,
    MeetingSeries,
    MentoringActivity,
    MentoringSession,
    NotificationPreference,
    TAActivity,
    TAKind,
    TrainingCompletion,
)
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Membership, Person

BOTH = "A meeting series belongs to a program or to the state team, not both."
NEITHER = "Give the program's id, or for a statewide series the state IPS team's id as `organization`."


def _unknown(field: str, ids: Iterable[int]) -> ValidationError:
    listed = ", ".join(str(i) for i in sorted(set(ids)))
    return ValidationError({field: f"There is no person with id {listed} that you can see."})


def _people(person: Person, choices: QuerySet[Person], ids: list[int], field: str) -> list[Person]:
    """The people of `ids`, in the order given (each once): among the web form's `choices` or the people the caller
    may see, whom the service then refuses with its message if they may not be chosen."""
    if not ids:
        return []
    visible = tenancy_access.people_visible_to(person)
    found = {p.pk: p for p in Person.objects.filter(pk__in=ids).filter(Q(pk__in=choices) | Q(pk__in=visible))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise _unknown(field, missing)
    return [found[i] for i in dict.fromkeys(ids)]


def _one_person(person: Person, choices: QuerySet[Person], person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    return _people(person, choices, [person_id], field)[0]


def _series_people(series: MeetingSeries) -> QuerySet[Person]:
    """The web form's choices: the series' eligible people (collaboration/views.py `_people_choices`)."""
    ids = {m.person_id for m in selectors.eligible_memberships(series)}
    return Person.objects.filter(id__in=ids, is_active=True)


# --- Meeting series ----------------------------------------------------------------------------------


class SeriesList(program_views.SeriesList):
    @extend_schema(
        request=s.SeriesWriteSerializer,
        responses={201: program_serializers.SeriesSerializer},
        summary="Set up a meeting series: a program's (its partners, its trainer, the state team) or statewide, "
        "owned by the state IPS team (its members)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.SeriesWriteSerializer, request)
        program_id, organization_id = data.pop("program"), data.pop("organization")
        if program_id is not None and organization_id is not None:
            raise ValidationError({"program": BOTH, "organization": BOTH})
        if program_id is None and organization_id is None:
            raise ValidationError({"program": NEITHER})
        if program_id is not None:
            program = tenancy_access.get_program_for(self.person, program_id)
            collab_access.require_program_meeting_writer(self.person, program)
            series = services.series_create(actor=self.person, program=program, **data)
        else:
            organization = tenancy_access.get_organization_for(self.person, organization_id)
            series = services.series_create(actor=self.person, organization=organization, **data)
        series = MeetingSeries.objects.select_related("program", "organization").get(pk=series.pk)
        return Response(program_serializers.SeriesSerializer(series).data, status=201)


# --- Meetings ----------------------------------------------------------------------------------------


def _meeting_rows(meeting_id: int) -> QuerySet[Meeting]:
    return program_views._meetings(Meeting.objects.filter(pk=meeting_id))


def _meeting_data(meeting: Meeting) -> Any:
    return program_serializers.MeetingSerializer(meeting).data


def _attendance(person: Person, series: MeetingSeries, data: dict[str, Any]) -> dict[str, list[Person]]:
    """The body's `attendees` and `invited` as people (those sent)."""
    choices = _series_people(series)
    return {
        field: _people(person, choices, data.pop(field), field) for field in ("attendees", "invited") if field in data
    }


class SeriesMeetings(ApiMixin, APIView):
    @extend_schema(
        request=s.MeetingWriteSerializer,
        responses={201: program_serializers.MeetingSerializer},
        summary="Record a meeting of the series, held or planned, with who was present and who was invited but "
        "absent (the series' own people; its meetings: /meetings/?series=)",
    )
    def post(self, request: Request, series_id: int) -> Response:
        series = collab_access.get_series_for(self.person, series_id)
        collab_access.require_series_writer(self.person, series)
        data = validated(s.MeetingWriteSerializer, request)
        people = _attendance(self.person, series, data)
        meeting = services.meeting_record(
            actor=self.person, series=series, attendees=people["attendees"], invited=people["invited"], **data
        )
        return Response(_meeting_data(_meeting_rows(meeting.pk).get()), status=201)


class MeetingDetail(program_views.MeetingDetail):
    """One meeting: its GET's ETag is the If-Match of its PATCH."""

    @extend_schema(
        request=s.MeetingUpdateSerializer,
        responses={200: program_serializers.MeetingSerializer},
        summary="Change a meeting: its date and times, place, agenda, minutes, who was present and who was invited "
        "(the series' own people)",
    )
    def patch(self, request: Request, meeting_id: int) -> Response:
        meeting = collab_access.get_meeting_for(self.person, meeting_id)
        collab_access.require_series_writer(self.person, meeting.series)  # 403 before 428
        versions.require_if_match(request)
        given = validated(s.MeetingUpdateSerializer, request)
        people = _attendance(self.person, meeting.series, given)
        with transaction.atomic():
            current = versions.locked_current(request, _meeting_rows(meeting.pk), _meeting_data)
            current.series = meeting.series
            attendances = list(current.attendances.all())
            services.meeting_update(
                actor=self.person,
                meeting=current,
                date=given.get("date", current.date),
                starts_at=given.get("starts_at", current.starts_at),
                ends_at=given.get("ends_at", current.ends_at),
                location=given.get("location", current.location),
                agenda=given.get("agenda", current.agenda),
                minutes=given.get("minutes", current.minutes),
                attendees=people.get(
                    "attendees", [a.person for a in attendances if a.status == AttendanceStatus.ATTENDED]
                ),
                invited=people.get("invited", [a.person for a in attendances if a.status == AttendanceStatus.INVITED]),
            )
        return Response(_meeting_data(_meeting_rows(meeting.pk).get()))

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove a meeting recorded in error, with its attendance, decisions and follow-ups (the series' own "
        "people; not once a follow-up became another area's record)",
    )
    def delete(self, request: Request, meeting_id: int) -> Response:
        meeting = collab_access.get_meeting_for(self.person, meeting_id)
        collab_access.require_series_writer(self.person, meeting.series)
        refuse_unknown(request.data, ())  # the step takes no body
        services.meeting_delete(actor=self.person, meeting=meeting)
        return Response(status=204)


class MeetingDecisions(ApiMixin, APIView):
    @extend_schema(
        request=s.DecisionWriteSerializer,
        responses={201: program_serializers.DecisionSerializer},
        summary="Add a decision to a meeting (the series' own people)",
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = collab_access.get_meeting_for(self.person, meeting_id)
        collab_access.require_series_writer(self.person, meeting.series)
        data = validated(s.DecisionWriteSerializer, request)
        decision = services.decision_add(actor=self.person, meeting=meeting, **data)
        return Response(program_serializers.DecisionSerializer(decision).data, status=201)


def _follow_up_data(follow_up_id: int) -> Any:
    return program_serializers.FollowUpSerializer(FollowUp.objects.select_related("owner").get(pk=follow_up_id)).data


class MeetingFollowUps(ApiMixin, APIView):
    @extend_schema(
        request=s.FollowUpWriteSerializer,
        responses={201: program_serializers.FollowUpSerializer},
        summary="Add a follow-up to a meeting: what, who does it, by when (the series' own people)",
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = collab_access.get_meeting_for(self.person, meeting_id)
        collab_access.require_series_writer(self.person, meeting.series)
        data = validated(s.FollowUpWriteSerializer, request)
        owner = _one_person(self.person, _series_people(meeting.series), data.pop("owner"), "owner")
        follow_up = services.follow_up_add(actor=self.person, meeting=meeting, owner=owner, **data)
        return Response(_follow_up_data(follow_up.pk), status=201)


class FollowUpStatusChange(ApiMixin, APIView):
    @extend_schema(
        request=s.FollowUpStatusSerializer,
        responses={200: program_serializers.FollowUpSerializer},
        summary="Mark a follow-up open, done or cancelled (the person who does it, or the series' own people)",
    )
    def post(self, request: Request, follow_up_id: int) -> Response:
        follow_up = collab_access.get_follow_up_for(self.person, follow_up_id)
        if follow_up.owner_id != self.person.pk:
            collab_access.require_series_writer(self.person, follow_up.meeting.series)
        data = validated(s.FollowUpStatusSerializer, request)
        services.follow_up_set_status(actor=self.person, follow_up=follow_up, status=data["status"])
        return Response(_follow_up_data(follow_up.pk))


class FollowUpConvert(ApiMixin, APIView):
    @extend_schema(
        request=s.FollowUpConvertSerializer,
        responses={200: program_serializers.FollowUpSerializer},
        summary="Hand a follow-up to another area, e.g. as an action of the program's fidelity action plan; "
        "`converted_to` then names the record made (the series' own people)",
    )
    def post(self, request: Request, follow_up_id: int) -> Response:
        follow_up = collab_access.get_follow_up_for(self.person, follow_up_id)
        collab_access.require_series_writer(self.person, follow_up.meeting.series)
        data = validated(s.FollowUpConvertSerializer, request)
        services.follow_up_convert(actor=self.person, follow_up=follow_up, target=data["target"])
        return Response(_follow_up_data(follow_up.pk))


# --- Training ----------------------------------------------------------------------------------------


def _seat(person: Person, person_id: int, organization_id: int | None) -> Membership:
    """The seat whose training is recorded: the person's active membership (in `organization` if given), among the
    people the caller may see; one the caller may record for if there is one (the service refuses the others)."""
    seats = Membership.objects.filter(
        person_id=person_id, is_active=True, person__in=tenancy_access.people_visible_to(person)
    ).select_related("person", "organization")
    if organization_id is not None:
        seats = seats.filter(organization_id=organization_id)
    found = list(seats.order_by("pk"))
    if not found:
        if organization_id is not None and tenancy_access.people_visible_to(person).filter(pk=person_id).exists():
            message = f"This person holds no seat in an organization with id {organization_id}."
            raise ValidationError({"organization": message})
        raise _unknown("person", [person_id])
    allowed = collab_access.training_recordable_people(person).filter(pk__in=[m.pk for m in found])
    recordable = set(allowed.values_list("pk", flat=True))
    choose = [m for m in found if m.pk in recordable] or found
    if len({m.organization_id for m in choose}) > 1:
        names = ", ".join(f"{m.organization.name} (id {m.organization_id})" for m in choose)
        raise ValidationError({"organization": f"{choose[0].person} holds seats in {names}: say which one."})
    return choose[0]


class CompletionList(program_views.CompletionList):
    @extend_schema(
        request=s.CompletionWriteSerializer,
        responses={201: program_serializers.CompletionSerializer},
        summary="Record a completed training: your own, your organization's staff if you lead it, anyone of the "
        "state for the state team",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.CompletionWriteSerializer, request)
        seat = _seat(self.person, data.pop("person"), data.pop("organization"))
        completion = services.training_record(actor=self.person, membership=seat, **data)
        return Response(_completion_data(completion.pk), status=201)


def _completion_data(completion_id: int) -> Any:
    completion = TrainingCompletion.objects.select_related("person", "organization", "recorded_by")
    return program_serializers.CompletionSerializer(completion.get(pk=completion_id)).data


class CompletionDetail(OneObject, ApiMixin, APIView):
    """One training completion."""

    @extend_schema(responses={200: program_serializers.CompletionSerializer}, summary="One training completion")
    def get(self, request: Request, completion_id: int) -> Response:
        completion = collab_access.get_completion_for(self.person, completion_id)
        return Response(_completion_data(completion.pk))

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove a training completion recorded in error (whoever may record it: the person, their "
        "organization's leaders, the state team)",
    )
    def delete(self, request: Request, completion_id: int) -> Response:
        completion = collab_access.get_completion_for(self.person, completion_id)
        refuse_unknown(request.data, ())  # the step takes no body
        services.training_delete(actor=self.person, completion=completion)
        return Response(status=204)


# --- Field mentoring and technical assistance --------------------------------------------------------


def _since(field: str = "date") -> tuple[filters.Date, filters.Date]:
    return (
        filters.Date("since", "On or after this date.", lambda qs, v: qs.filter(**{f"{field}__gte": v})),
        filters.Date("until", "On or before this date.", lambda qs, v: qs.filter(**{f"{field}__lte": v})),
    )


class ProgramMentoring(ListView):
    """The program's field mentoring log: the IPS supervisor in the field with a specialist (the state team, the
    program's trainer, the leaders of its partner organizations, and the two people of each session)."""

    serializer_class = s.MentoringSerializer
    filter_params = (
        filters.Integer("specialist", "Id of the specialist mentored.", lambda qs, v: qs.filter(specialist_id=v)),
        filters.Choice("activity", "The activity.", lambda qs, v: qs.filter(activity=v), MentoringActivity.choices),
        *_since(),
    )
    ordering_fields = ("date", "created_at")

    def get_queryset(self) -> QuerySet[MentoringSession]:
        program = tenancy_access.get_program_for(self.person, self.kwargs["program_id"])
        sessions = collab_access.mentoring_visible_to(self.person).filter(program=program)
        return sessions.select_related("program", "supervisor", "specialist").order_by("-date", "-pk")

    @extend_schema(
        request=s.MentoringWriteSerializer,
        responses={201: s.MentoringSerializer},
        summary="Log a field mentoring session with a specialist of the program (an IPS supervisor of the program)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = tenancy_access.get_program_for(self.person, program_id)
        collab_access.require_mentoring_writer(self.person, program)
        data = validated(s.MentoringWriteSerializer, request)
        choices = collab_access.program_specialists(program)
        specialist = _one_person(self.person, choices, data.pop("specialist"), "specialist")
        assert specialist is not None
        session = services.mentoring_log(actor=self.person, program=program, specialist=specialist, **data)
        found = MentoringSession.objects.select_related("program", "supervisor", "specialist").get(pk=session.pk)
        return Response(s.MentoringSerializer(found).data, status=201)


class ProgramTechnicalAssistance(ListView):
    """The technical assistance the state IPS team gave the program (everyone who sees the program)."""

    serializer_class = s.TASerializer
    filter_params = (
        filters.Choice("kind", "The kind of assistance.", lambda qs, v: qs.filter(kind=v), TAKind.choices),
        *_since(),
    )
    ordering_fields = ("date", "created_at")

    def get_queryset(self) -> QuerySet[TAActivity]:
        program = tenancy_access.get_program_for(self.person, self.kwargs["program_id"])
        activities = collab_access.ta_visible_to(self.person).filter(program=program)
        return activities.select_related("program", "trainer").order_by("-date", "-pk")

    @extend_schema(
        request=s.TAWriteSerializer,
        responses={201: s.TASerializer},
        summary="Log technical assistance given to the program (the state IPS team's trainers and leads)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = tenancy_access.get_program_for(self.person, program_id)
        collab_access.require_ta_writer(self.person, program)
        data = validated(s.TAWriteSerializer, request)
        activity = services.ta_log(actor=self.person, program=program, **data)
        found = TAActivity.objects.select_related("program", "trainer").get(pk=activity.pk)
        return Response(s.TASerializer(found).data, status=201)


# --- Your reminders and calendar feed ----------------------------------------------------------------


def _reminders_data(preference: NotificationPreference) -> Any:
    return s.RemindersSerializer(preference).data


class MyReminders(OneObject, ApiMixin, APIView):
    """Your own reminder settings (the web's Reminders page): its GET's ETag is the If-Match of its PUT."""

    @extend_schema(
        responses={200: s.RemindersSerializer},
        summary="Your reminder settings: how often the reminder digest is e-mailed, whether you have a calendar feed",
    )
    def get(self, request: Request) -> Response:
        # Read without making the row: someone who never changed a setting has the defaults.
        preference = NotificationPreference.objects.filter(person=self.person).first()
        return Response(_reminders_data(preference or NotificationPreference(person=self.person)))

    @extend_schema(
        request=s.RemindersWriteSerializer,
        responses={200: s.RemindersSerializer},
        summary="Set how often the reminder digest is e-mailed to you",
    )
    def put(self, request: Request) -> Response:
        versions.require_if_match(request)
        data = validated(s.RemindersWriteSerializer, request)
        with transaction.atomic():
            services.preference_for(self.person)  # the row to lock (the defaults, if never set)
            rows = NotificationPreference.objects.filter(person=self.person)
            versions.locked_current(request, rows, _reminders_data)
            preference = services.preference_set_frequency(actor=self.person, frequency=data["frequency"])
        return Response(_reminders_data(preference))


class MyCalendarFeed(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses={201: s.CalendarFeedSerializer},
        summary="Make a new private calendar address for your meetings and due dates (shown this once; the "
        "earlier one stops working)",
    )
    def post(self, request: Request) -> Response:
        refuse_unknown(request.data, ())  # the step takes no body
        token = services.calendar_token_reset(actor=self.person)
        url = request.build_absolute_uri(f"{reverse('collaboration:calendar_feed')}?token={token}")
        response = Response(s.CalendarFeedSerializer({"url": url}).data, status=201)
        response["Cache-Control"] = "no-store"
        return response
