"""What the API accepts for the writes of the collaboration area (the web's collaboration pages: meeting series,
meetings with their attendance, decisions and follow-ups, training completions, field mentoring, technical
assistance, a person's reminder settings) and what it answers for the records they make.

The input serializers check only the shape (types, lengths, choices), as the web forms do; who may act and every
rule of the work are the collaboration services' (`ipshub.collaboration.services`), whose messages the API
answers as they are. People are given by id and looked up among those the caller may see (api/collaboration_views.py).
"""

from typing import Any

from rest_framework import serializers

from ipshub.api.area_serializers import ProgramRefSerializer
from ipshub.api.filters import MAX_INT
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.program_serializers import LocalTimeField
from ipshub.api.serializers import PersonRefSerializer
from ipshub.collaboration import training
from ipshub.collaboration.models import (
    Cadence,
    DigestFrequency,
    FollowUpStatus,
    MeetingKind,
    MentoringActivity,
    MentoringSession,
    NotificationPreference,
    TAActivity,
    TAKind,
)

LONG_TEXT = 4000
MOST_PEOPLE = 200  # at one meeting


def _id(help_text: str, **kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text=help_text, **kwargs)


def _text(help_text: str = "", **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=LONG_TEXT, help_text=help_text, **kwargs)


def _optional_text(help_text: str = "") -> serializers.CharField:
    return _text(help_text, required=False, allow_blank=True, default="")


def _people(help_text: str, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=_id("Id of a person."), max_length=MOST_PEOPLE, help_text=help_text, **kwargs)


# --- Meeting series and meetings -------------------------------------------------------------------


class SeriesWriteSerializer(KnownFieldsOnly):
    """A new meeting series: of a program (`program`), or statewide (`organization`: the state IPS team)."""

    program = _id(
        "Id of the program whose series it is (its partners, its trainer and the state team set one up).",
        required=False,
        allow_null=True,
        default=None,
    )
    organization = _id(
        "For a statewide series instead: id of the state IPS team that owns it (its members set one up).",
        required=False,
        allow_null=True,
        default=None,
    )
    kind = serializers.ChoiceField(
        choices=MeetingKind.choices,
        help_text="A program's: planning, ips_unit, treatment_team, steering_committee, dvr_collaboration or "
        "consortium_webinar; statewide: statewide_supervisors or consortium_webinar.",
    )
    title = serializers.CharField(max_length=200, help_text="e.g. Pine County IPS unit meeting.")
    cadence = serializers.ChoiceField(
        choices=Cadence.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="How often it meets; left out or empty: the usual one for its kind.",
    )
    notes = _optional_text()


class MeetingWriteSerializer(KnownFieldsOnly):
    """A meeting of the series, held or planned, with who was present and who was invited but absent."""

    date = serializers.DateField()
    starts_at = LocalTimeField(help_text="Local time, HH:MM.")
    ends_at = LocalTimeField(help_text="Local time, HH:MM; after the start.")
    location = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="A room, an address or 'Video call'."
    )
    attendees = _people(
        "Ids of the people present: people of the program's partner organizations or the state IPS team (for a "
        "statewide series: of an organization in its state).",
        required=False,
        default=list,
    )
    invited = _people(
        "Ids of the people invited who did not come (e.g. the state trainer invited to a steering committee).",
        required=False,
        default=list,
    )
    agenda = _optional_text()
    minutes = _optional_text()


class MeetingUpdateSerializer(KnownFieldsOnly):
    """Change a meeting: only the fields sent change. `attendees` and `invited`, when sent, replace the list."""

    date = serializers.DateField(required=False)
    starts_at = LocalTimeField(required=False, help_text="Local time, HH:MM.")
    ends_at = LocalTimeField(required=False, help_text="Local time, HH:MM; after the start.")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attendees = _people("Ids of the people present (replaces the list).", required=False)
    invited = _people("Ids of the people invited who did not come (replaces the list).", required=False)
    agenda = _text(required=False, allow_blank=True)
    minutes = _text(required=False, allow_blank=True)


class DecisionWriteSerializer(KnownFieldsOnly):
    text = _text("The decision.")


class FollowUpWriteSerializer(KnownFieldsOnly):
    text = _text("What needs to be done.")
    owner = _id(
        "Id of the person who does it: one of the series' people.", required=False, allow_null=True, default=None
    )
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Not before the meeting's date."
    )


class FollowUpStatusSerializer(KnownFieldsOnly):
    status = serializers.ChoiceField(choices=FollowUpStatus.choices, help_text="open, done or cancelled.")


class FollowUpConvertSerializer(KnownFieldsOnly):
    target = serializers.CharField(
        max_length=64,
        help_text="Where it goes: `fidelity-action` adds it to the action plan of the program's latest delivered "
        "fidelity review.",
    )


# --- Training --------------------------------------------------------------------------------------


class CompletionWriteSerializer(KnownFieldsOnly):
    """A completed course of the training catalog (/api/v1/training/courses/), for one person in one of their
    seats: yourself, your organization's staff if you lead it, anyone of the state for the state team."""

    person = _id("Id of the person who completed the course.")
    organization = _id(
        "Id of the organization the person trained for; needed only when they hold seats in more than one.",
        required=False,
        allow_null=True,
        default=None,
    )
    course = serializers.ChoiceField(choices=training.course_choices(), help_text="The course's key.")
    completed_on = serializers.DateField(help_text="Not in the future.")
    hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="More than zero, or null.",
    )
    notes = _optional_text()


# --- Field mentoring and technical assistance ------------------------------------------------------


class MentoringWriteSerializer(KnownFieldsOnly):
    """A field mentoring session: the program's IPS supervisor in the field with one of its specialists."""

    specialist = _id("Id of an employment specialist of the program.")
    date = serializers.DateField(help_text="Not in the future.")
    activity = serializers.ChoiceField(choices=MentoringActivity.choices)
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None, help_text="More than zero."
    )
    feedback = _text("What went well, what to work on.")
    next_steps = _optional_text()


class MentoringSerializer(serializers.ModelSerializer[MentoringSession]):
    program = ProgramRefSerializer(read_only=True)
    supervisor = PersonRefSerializer(read_only=True)
    specialist = PersonRefSerializer(read_only=True)
    activity = serializers.CharField(read_only=True, help_text="employer_visits, career_profile, follow_along, ...")
    activity_label = serializers.CharField(source="get_activity_display", read_only=True)

    class Meta:
        model = MentoringSession
        fields = [
            "id",
            "program",
            "supervisor",
            "specialist",
            "date",
            "activity",
            "activity_label",
            "hours",
            "feedback",
            "next_steps",
            "created_at",
        ]


class TAWriteSerializer(KnownFieldsOnly):
    """Technical assistance a state trainer or lead gave the program."""

    date = serializers.DateField(help_text="Not in the future.")
    kind = serializers.ChoiceField(choices=TAKind.choices, help_text="visit, call, consultation or training.")
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="The hours spent, more than zero.")
    topics = _text("The topics covered.")
    results = _optional_text()
    next_steps_program = _optional_text("Next steps for the program.")
    next_steps_trainer = _optional_text("Next steps for the trainer.")
    # From finding to result (issue #23).
    fidelity_items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=25),
        required=False,
        default=list,
        max_length=25,
        help_text="The fidelity items (1-25) this assistance addresses.",
    )
    action_item_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of the program's fidelity action-plan items this assistance addresses.",
    )


class TASerializer(serializers.ModelSerializer[TAActivity]):
    program = ProgramRefSerializer(read_only=True)
    trainer = PersonRefSerializer(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="visit, call, consultation or training.")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    fidelity_items = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="The fidelity items (1-25) it addresses."
    )
    action_item_ids = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="The action-plan items it addresses."
    )

    class Meta:
        model = TAActivity
        fields = [
            "id",
            "program",
            "trainer",
            "date",
            "kind",
            "kind_label",
            "hours",
            "topics",
            "results",
            "next_steps_program",
            "next_steps_trainer",
            "fidelity_items",
            "action_item_ids",
            "created_at",
        ]


# --- Your reminders ----------------------------------------------------------------------------------


class RemindersSerializer(serializers.ModelSerializer[NotificationPreference]):
    frequency = serializers.CharField(read_only=True, help_text="daily, weekly or never: the reminder e-mail digest.")
    calendar_feed = serializers.SerializerMethodField(
        help_text="Whether you have a private calendar feed (its address is shown only when it is made)."
    )
    calendar_feed_since = serializers.DateTimeField(
        source="calendar_token_created_at", read_only=True, allow_null=True, help_text="When the feed was made."
    )

    class Meta:
        model = NotificationPreference
        fields = ["frequency", "calendar_feed", "calendar_feed_since"]

    def get_calendar_feed(self, preference: NotificationPreference) -> bool:
        return bool(preference.calendar_token_hash)


class RemindersWriteSerializer(KnownFieldsOnly):
    frequency = serializers.ChoiceField(
        choices=DigestFrequency.choices, help_text="How often to e-mail you a reminder digest: daily, weekly or never."
    )


class CalendarFeedSerializer(serializers.Serializer[Any]):
    url = serializers.CharField(
        help_text="Your new private calendar address (iCalendar): shown this once; the earlier one stops working."
    )
