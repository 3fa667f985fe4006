"""What the API shows of a program's work: implementation assignments (the roles matrix), fidelity
reviews and their item scores, meetings with their follow-ups, the training catalog and completions.

The writes that answer these are elsewhere: the assignments' and the invitees' in api/program_views.py, a
fidelity review's steps in api/fidelity_views.py, the meetings' and training's in api/collaboration_views.py."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipshub.api.area_serializers import ProgramRefSerializer
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import PersonRefSerializer
from ipshub.catalog.models import Responsibility
from ipshub.collaboration.models import Attendance, Decision, FollowUp, Meeting, MeetingSeries, TrainingCompletion
from ipshub.fidelity.models import FidelityScale, Review, ReviewInvitee, ReviewTeamMember
from ipshub.implementation.models import Assignment, BulkAction
from ipshub.tenancy.models import Organization


class OrgRefSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name"]


# --- Implementation: the roles matrix of a program ------------------------------------------------


class ResponsibilityRefSerializer(serializers.ModelSerializer[Responsibility]):
    phase = serializers.CharField(source="phase.key", read_only=True, help_text="The phase's key, e.g. 'prior'.")
    party = serializers.CharField(source="party.key", read_only=True, help_text="The party's key, e.g. 'dvr'.")

    class Meta:
        model = Responsibility
        fields = ["key", "phase", "party", "text"]


class FulfilledBySerializer(serializers.Serializer[dict[str, object]]):
    """A record that fulfils a responsibility."""

    kind = serializers.CharField(help_text="What the record is: meeting, career_profile, fidelity_review...")
    id = serializers.IntegerField(help_text="The record's id in its kind.")
    url = serializers.CharField(help_text="The page that shows it (for people who may see it).")
    on = serializers.DateField(help_text="When the work happened.")


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    """One responsibility of the roles matrix, assigned in one program: who owns it, when it is due, where
    it stands."""

    program = ProgramRefSerializer(read_only=True)
    responsibility = ResponsibilityRefSerializer(read_only=True)
    organization = OrgRefSerializer(
        read_only=True, allow_null=True, help_text="Null while the program has no organization for this party."
    )
    owner = PersonRefSerializer(read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True, help_text="not_started, in_progress, done, not_applicable or superseded."
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_source = serializers.CharField(
        read_only=True,
        help_text="Who set the status: work (closed by the records that fulfil it), person (by hand), product "
        "(superseded, or nothing asked), or empty while open.",
    )
    status_reason = serializers.CharField(
        read_only=True, help_text="Why it has this status: why it reopened, was superseded or waived."
    )
    fulfilled_by = FulfilledBySerializer(
        many=True, read_only=True, help_text="The records that fulfil it (empty while it is open)."
    )
    period_start = serializers.DateField(
        read_only=True, allow_null=True, help_text="First day of its period (null unless recurring)."
    )
    period_end = serializers.DateField(
        read_only=True, allow_null=True, help_text="Last day of its period (null unless recurring)."
    )
    overdue = serializers.SerializerMethodField(help_text="Open past its due date: its period's work is missing.")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "program",
            "responsibility",
            "phase_key",
            "party_key",
            "organization",
            "owner",
            "due_on",
            "status",
            "status_label",
            "status_source",
            "status_reason",
            "completed_on",
            "fulfilled_by",
            "period_start",
            "period_end",
            "overdue",
            "notes",
            "updated_at",
        ]

    def get_overdue(self, assignment: Assignment) -> bool:
        return assignment.is_overdue(timezone.localdate())


class AssignmentUpdateSerializer(KnownFieldsOnly):
    """A person's update of an assignment (the fields left out keep their value)."""

    status = serializers.ChoiceField(
        choices=["not_started", "in_progress", "done", "not_applicable"],
        required=False,
        help_text="Marking it done or not_applicable by hand needs a comment; it then stands until a person "
        "changes it. A duty closed only by confirmation is confirmed by a person of its party.",
    )
    due_on = serializers.DateField(required=False)
    owner = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of a person of the assigned organization; null: nobody named."
    )
    notes = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True, help_text="Added to the assignment's comments.")


class AssignmentBulkSerializer(KnownFieldsOnly):
    action = serializers.ChoiceField(
        choices=BulkAction.choices, help_text="waive (not applicable), retire (superseded) or restore (open again)."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to waive or retire; kept and audited."
    )
    assignments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),  # beyond: an SQLite overflow, a 500
        allow_empty=False,
        max_length=500,
        help_text="Ids of the assignments.",
    )


class AssignmentBulkResultSerializer(serializers.Serializer[Any]):
    changed = serializers.IntegerField(help_text="How many assignments changed.")


# --- Fidelity reviews -----------------------------------------------------------------------------


class ScaleRefSerializer(serializers.ModelSerializer[FidelityScale]):
    class Meta:
        model = FidelityScale
        fields = ["key", "version", "title"]


class TeamMemberSerializer(serializers.ModelSerializer[ReviewTeamMember]):
    person = PersonRefSerializer(read_only=True)

    class Meta:
        model = ReviewTeamMember
        fields = ["person", "is_lead"]


class ReviewSerializer(serializers.ModelSerializer[Review]):
    program = ProgramRefSerializer(read_only=True)
    scale = ScaleRefSerializer(read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    kind = serializers.CharField(read_only=True, help_text="baseline or follow_up.")
    status = serializers.CharField(
        read_only=True, help_text="scheduled, planned, scoring, consensus, reporting, delivered or cancelled."
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "program",
            "scale",
            "kind",
            "status",
            "status_label",
            "due_on",
            "visit_day_1",
            "visit_day_2",
            "window_opens",
            "window_closes",
            "report_date",
            "team",
            "created_at",
        ]


class ItemScoreSerializer(serializers.Serializer[Any]):
    """One item of the scale with the score the review team agreed (consensus)."""

    number = serializers.IntegerField(source="item.number")
    key = serializers.CharField(source="item.key")
    section = serializers.CharField(source="item.section")
    name = serializers.CharField(source="item.name")
    score = serializers.IntegerField(allow_null=True, help_text="1 to 5; null if not rated (yet).")
    cannot_rate_reason = serializers.SerializerMethodField()
    rationale = serializers.SerializerMethodField()
    strengths = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()

    def _text(self, row: Any, name: str) -> str:
        return getattr(row.consensus, name, "") if row.consensus is not None else ""

    def get_cannot_rate_reason(self, row: Any) -> str:
        return self._text(row, "cannot_rate_reason")

    def get_rationale(self, row: Any) -> str:
        return self._text(row, "rationale")

    def get_strengths(self, row: Any) -> str:
        return self._text(row, "strengths")

    def get_recommendations(self, row: Any) -> str:
        return self._text(row, "recommendations")


class TotalSerializer(serializers.Serializer[Any]):
    rated_total = serializers.IntegerField(help_text="The sum of the rated items.")
    rated = serializers.IntegerField()
    unrated = serializers.IntegerField()
    estimate = serializers.IntegerField(allow_null=True, help_text="Prorated total if some items are unrated.")
    band = serializers.CharField()
    is_estimate = serializers.BooleanField()


class ReviewDetailSerializer(ReviewSerializer):
    scores_available = serializers.SerializerMethodField(
        help_text="true once the report is being drafted, for whoever may read it (the review team and the "
        "state team), and for the program's partners once it is delivered. Reviewers' individual scores are "
        "never given."
    )
    total = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "overall_strengths", "overall_recommendations"]
        fields += ["scores_available", "total", "items"]

    def _report(self) -> Any:
        return self.context.get("report")

    def get_scores_available(self, review: Review) -> bool:
        return self._report() is not None

    @extend_schema_field(TotalSerializer(allow_null=True))
    def get_total(self, review: Review) -> Any:
        report = self._report()
        return TotalSerializer(report.total).data if report is not None else None

    @extend_schema_field(ItemScoreSerializer(many=True))
    def get_items(self, review: Review) -> Any:
        report = self._report()
        return ItemScoreSerializer(report.rows, many=True).data if report is not None else []

    def to_representation(self, instance: Review) -> Any:
        data = super().to_representation(instance)
        if self._report() is None:
            data["overall_strengths"] = data["overall_recommendations"] = ""
        return data


class InviteeSerializer(serializers.ModelSerializer[ReviewInvitee]):
    """A client or family member the program invited to be interviewed at the visit: a description,
    never a name."""

    relation = serializers.CharField(read_only=True, help_text="client or family_member.")
    accepted = serializers.BooleanField(read_only=True, allow_null=True, help_text="Null until they answer.")
    recorded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReviewInvitee
        fields = ["id", "review", "who", "relation", "invited_on", "accepted", "recorded_by", "created_at"]


class InviteeCreateSerializer(KnownFieldsOnly):
    """Record someone invited to the visit's interviews (the program's director or IPS supervisor, or the
    state team)."""

    who = serializers.CharField(
        max_length=200,
        allow_blank=True,
        help_text="A description, never a name or record number: e.g. 'Client A, job seeker, 2 years in services'.",
    )
    relation = serializers.ChoiceField(choices=ReviewInvitee.Relation.choices, allow_blank=True)
    invited_on = serializers.DateField(allow_null=True)
    accepted = serializers.BooleanField(required=False, allow_null=True, default=None)


# --- Meetings -------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:30"})
class LocalTimeField(serializers.TimeField):
    """A local time of day, HH:MM (OpenAPI's "time" format would demand a UTC offset)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class SeriesSerializer(serializers.ModelSerializer[MeetingSeries]):
    program = ProgramRefSerializer(read_only=True, allow_null=True, help_text="Null for a statewide series.")
    organization = OrgRefSerializer(
        read_only=True, allow_null=True, help_text="The state team that owns a statewide series."
    )
    kind = serializers.CharField(
        read_only=True,
        help_text="planning, ips_unit, treatment_team, steering_committee, dvr_collaboration, "
        "statewide_supervisors or consortium_webinar.",
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = MeetingSeries
        fields = ["id", "program", "organization", "kind", "kind_label", "title", "cadence", "notes", "created_at"]


class SeriesRefSerializer(serializers.ModelSerializer[MeetingSeries]):
    program = serializers.IntegerField(source="program_id", read_only=True, allow_null=True)
    kind = serializers.CharField(read_only=True, help_text="The kind of meeting (see the series).")

    class Meta:
        model = MeetingSeries
        fields = ["id", "title", "kind", "program"]


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    person = PersonRefSerializer(read_only=True)
    organization = OrgRefSerializer(read_only=True, help_text="The organization they came for.")
    role = serializers.CharField(read_only=True, help_text="The role they came in (see /api/v1/me/ for roles).")
    status = serializers.CharField(read_only=True, help_text="attended or invited.")

    class Meta:
        model = Attendance
        fields = ["person", "organization", "role", "status"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    class Meta:
        model = Decision
        fields = ["id", "text", "created_at"]


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    owner = PersonRefSerializer(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="open, done or cancelled.")

    class Meta:
        model = FollowUp
        fields = ["id", "text", "owner", "due_on", "status", "completed_on", "converted_to"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    series = SeriesRefSerializer(read_only=True)
    starts_at = LocalTimeField(read_only=True, help_text="Local time, HH:MM.")
    ends_at = LocalTimeField(read_only=True, help_text="Local time, HH:MM.")
    recorded_by = PersonRefSerializer(read_only=True, allow_null=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "date",
            "starts_at",
            "ends_at",
            "location",
            "agenda",
            "minutes",
            "recorded_by",
            "attendance",
            "decisions",
            "follow_ups",
        ]


# --- Training -------------------------------------------------------------------------------------


class CourseSerializer(serializers.Serializer[Any]):
    """A course of the training catalog (collaboration/data/training.yaml)."""

    key = serializers.CharField()
    title = serializers.CharField()
    format = serializers.CharField()
    duration = serializers.CharField()
    hours = serializers.FloatField()
    required_for = serializers.ListField(child=serializers.CharField(), help_text="Roles that must take it.")
    recommended_for = serializers.ListField(child=serializers.CharField())
    within_days = serializers.IntegerField(allow_null=True, help_text="Days after starting in the role.")
    repeat = serializers.CharField(help_text="once, yearly or quarterly.")


class CompletionSerializer(serializers.ModelSerializer[TrainingCompletion]):
    person = PersonRefSerializer(read_only=True)
    organization = OrgRefSerializer(read_only=True)
    course_title = serializers.CharField(read_only=True)
    recorded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TrainingCompletion
        fields = [
            "id",
            "person",
            "organization",
            "course",
            "course_title",
            "completed_on",
            "hours",
            "notes",
            "recorded_by",
        ]
