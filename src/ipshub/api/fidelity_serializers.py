"""What the API accepts for the writes of a fidelity review (the steps of the web's fidelity pages) and what
it answers for the plan, the agenda, a reviewer's own scores, the action plan and the running estimate.

The input serializers check only the shape (types, lengths, choices); who may act and every rule of the
work are the fidelity service's (`ipshub.fidelity.services`), whose messages the API answers as they are."""

import datetime
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from ipshub.api.area_serializers import ProgramRefSerializer
from ipshub.api.filters import MAX_INT
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.program_serializers import LocalTimeField, TotalSerializer
from ipshub.api.serializers import PersonRefSerializer
from ipshub.fidelity import rules
from ipshub.fidelity.models import ActionItem, AgendaSlot, Review, ReviewerScore


class WorkDateField(serializers.DateField):
    """A review's date: within the years fidelity.rules allows (refused here too, so every date field of a body
    is checked, not only those the service computes with)."""

    def to_internal_value(self, value: Any) -> datetime.date:
        day: datetime.date = super().to_internal_value(value)
        if problem := rules.year_problem(day):
            raise serializers.ValidationError(problem)
        return day


def _id(help_text: str, **kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text=help_text, **kwargs)


def _text(help_text: str = "", **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=4000, help_text=help_text, **kwargs)


# --- Scheduling ----------------------------------------------------------------------------------------


class ScheduleSerializer(KnownFieldsOnly):
    """Schedule a review by hand (the state IPS team: leads and administrators)."""

    program = _id("Id of the program.")
    kind = serializers.ChoiceField(choices=Review.Kind.choices)
    due_on = WorkDateField()


class RescheduleSerializer(KnownFieldsOnly):
    due_on = WorkDateField(help_text="The new due date.")
    reason = _text("Why the date moves; kept with the review.", allow_blank=True)


class CancelSerializer(KnownFieldsOnly):
    reason = _text("Why the review is cancelled.", allow_blank=True)


class TeamSerializer(KnownFieldsOnly):
    """The two reviewers; the lead records consensus and writes the report. Replaces the team."""

    lead = _id("Id of the lead reviewer (a fidelity reviewer of the state IPS team).")
    second = _id("Id of the second reviewer.")


# --- Plan and agenda ----------------------------------------------------------------------------------


class AgendaSlotSerializer(serializers.ModelSerializer[AgendaSlot]):
    starts_at = LocalTimeField()
    ends_at = LocalTimeField()
    activity = serializers.CharField(read_only=True, help_text="interview, observation, chart_review, ...")

    class Meta:
        model = AgendaSlot
        fields = ["id", "day", "starts_at", "ends_at", "activity", "topic"]


class AgendaSlotWriteSerializer(KnownFieldsOnly):
    day = serializers.IntegerField(min_value=-32768, max_value=32767, help_text="1 or 2: the visit's day.")
    starts_at = LocalTimeField()
    ends_at = LocalTimeField()
    activity = serializers.ChoiceField(choices=AgendaSlot.Activity.choices)
    topic = serializers.CharField(max_length=200, allow_blank=True, help_text="Who is interviewed or what is observed.")


class PlanSerializer(serializers.ModelSerializer[Review]):
    """The visit's plan: days, the reviewers' read-access window, the program's contact, the documents asked
    for, and the agenda."""

    agenda = AgendaSlotSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "status",
            "visit_day_1",
            "visit_day_2",
            "window_opens",
            "window_closes",
            "contact_name",
            "contact_email",
            "contact_phone",
            "documents_requested",
            "agenda",
        ]
        read_only_fields = fields


class PlanWriteSerializer(KnownFieldsOnly):
    visit_day_1 = WorkDateField()
    visit_day_2 = WorkDateField()
    window_opens = WorkDateField(
        required=False, allow_null=True, default=None, help_text="Null: two weeks before the visit."
    )
    window_closes = WorkDateField(
        required=False, allow_null=True, default=None, help_text="Null: two weeks after the visit."
    )
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    documents_requested = _text("One per line.", required=False, allow_blank=True, default="")


# --- Scores and consensus ------------------------------------------------------------------------------


class ScoreWriteSerializer(KnownFieldsOnly):
    number = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="The item's number on the scale.")
    score = serializers.IntegerField(
        min_value=1, max_value=5, allow_null=True, help_text="1 to 5; null: cannot rate (then give `reason`)."
    )
    reason = _text("Why the item can't be rated (with a null score).", required=False, allow_blank=True, default="")
    notes = _text(required=False, allow_blank=True, default="")
    sources = _text("Data sources used.", required=False, allow_blank=True, default="")


class ScoresWriteSerializer(KnownFieldsOnly):
    """A reviewer's own scores: the items sent are saved, the others keep what was saved before."""

    items = serializers.ListField(child=ScoreWriteSerializer(), allow_empty=False, max_length=100)


class ConsensusItemWriteSerializer(KnownFieldsOnly):
    number = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="The item's number on the scale.")
    score = serializers.IntegerField(
        min_value=1, max_value=5, allow_null=True, help_text="1 to 5; null: cannot rate (then give `reason`)."
    )
    reason = _text("Why the item can't be rated (with a null score).", required=False, allow_blank=True, default="")
    rationale = _text(required=False, allow_blank=True, default="")
    strengths = _text(required=False, allow_blank=True, default="")
    recommendations = _text(required=False, allow_blank=True, default="")


class ConsensusWriteSerializer(KnownFieldsOnly):
    """The lead reviewer's agreed scores: the items sent are saved, the others keep what was saved before."""

    items = serializers.ListField(child=ConsensusItemWriteSerializer(), allow_empty=False, max_length=100)


class OwnScoreSerializer(serializers.ModelSerializer[ReviewerScore]):
    number = serializers.IntegerField(source="item.number", read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="Null: cannot rate.")
    sources = serializers.CharField(source="data_sources", read_only=True)

    class Meta:
        model = ReviewerScore
        fields = ["number", "score", "cannot_rate_reason", "notes", "sources", "updated_at"]


class OwnScoresSerializer(serializers.Serializer[Any]):
    """Your own scores on the review (nobody sees another reviewer's here)."""

    submitted_at = serializers.DateTimeField(allow_null=True, help_text="When you submitted; null: not yet.")
    item_count = serializers.IntegerField(help_text="How many items the review's scale has.")
    scores = OwnScoreSerializer(many=True)


class ConsensusSavedSerializer(serializers.Serializer[Any]):
    saved = serializers.IntegerField(help_text="How many items were saved.")


# --- Report --------------------------------------------------------------------------------------------


class OverallWriteSerializer(KnownFieldsOnly):
    strengths = _text("The program's overall strengths.", allow_blank=True)
    recommendations = _text("The overall recommendations.", allow_blank=True)


class DeliverSerializer(KnownFieldsOnly):
    delivered_on = WorkDateField()


# --- Action plan ---------------------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer[ActionItem]):
    owner = PersonRefSerializer(read_only=True, allow_null=True)
    items = serializers.SerializerMethodField(help_text="The numbers of the fidelity items it addresses.")
    status = serializers.CharField(read_only=True, help_text="open, in_progress, done or dropped.")

    class Meta:
        model = ActionItem
        fields = ["id", "review", "title", "items", "owner", "due_on", "status", "steering_reviewed_on", "created_at"]

    def get_items(self, action: ActionItem) -> list[int]:
        return sorted(item.number for item in action.items.all())


class ActionCreateSerializer(KnownFieldsOnly):
    title = serializers.CharField(max_length=300, allow_blank=True, help_text="What will be done.")
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INT),
        required=False,
        default=list,
        max_length=100,
        help_text="The numbers of the fidelity items it addresses.",
    )
    owner = _id("Id of a person of the program or of the state team; null: nobody named.", allow_null=True)
    due_on = WorkDateField()


class FromRecommendationsSerializer(KnownFieldsOnly):
    owner = _id("Id of the new actions' owner; null: nobody named.", allow_null=True)
    due_on = WorkDateField()


class ActionUpdateSerializer(KnownFieldsOnly):
    """The fields left out keep their value."""

    status = serializers.ChoiceField(choices=ActionItem.Status.choices, required=False)
    owner = _id("Id of a person of the program or of the state team; null: nobody named.", allow_null=True)
    due_on = WorkDateField(required=False)
    steering_reviewed_on = WorkDateField(required=False, allow_null=True)
    note = _text("A progress note, added to the action's log.", required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].required = False


# --- Running estimate ----------------------------------------------------------------------------------


class EstimateItemSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    title = serializers.CharField(help_text="The item's name on the scale.")
    name = serializers.CharField(help_text="The item's name on the scale (as `title`; kept for older clients).")
    indicator = serializers.CharField(source="evidence.indicator", help_text="What is measured.")
    value = serializers.FloatField(
        source="evidence.value", allow_null=True, help_text="The measure; null when the records hold nothing."
    )
    score = serializers.IntegerField(source="evidence.score", allow_null=True, help_text="The implied score, 1 to 5.")
    basis = serializers.CharField(source="evidence.basis", help_text="The figures behind it, in words.")
    cuts = serializers.ListField(
        child=serializers.FloatField(), help_text="The values for a score of 5, 4, 3 and 2, in that order."
    )
    higher_is_better = serializers.BooleanField()
    figures = serializers.DictField(
        source="evidence.figures",
        child=serializers.FloatField(allow_null=True),
        help_text="The numbers behind the value (counts, FTE, days), by name; `value` is the measure itself.",
    )
    anchor = serializers.CharField(
        help_text="The scale's text for the score the records imply; empty when there is nothing to measure."
    )


class EstimateSerializer(serializers.Serializer[Any]):
    """The items measurable from the program's records, for the period (both days included)."""

    program = ProgramRefSerializer()
    start = serializers.DateField(source="first_day")
    end = serializers.DateField(source="last_day")
    items = EstimateItemSerializer(source="rows", many=True)
    computed = serializers.IntegerField(help_text="How many of the scale's items the estimate computes.")
    scored = serializers.SerializerMethodField(help_text="How many of them have records to score.")

    def get_scored(self, estimate: Any) -> int:
        return len(estimate.scored)


class SpecialistTimeSerializer(serializers.Serializer[Any]):
    """A specialist of the program and their recorded time (null figures: not recorded, counted as full time)."""

    specialist = PersonRefSerializer()
    fte = serializers.DecimalField(source="time.fte", max_digits=3, decimal_places=2, allow_null=True, default=None)
    employment_share = serializers.IntegerField(source="time.employment_share", allow_null=True, default=None)
    updated_at = serializers.DateTimeField(source="time.updated_at", allow_null=True, default=None)


class SpecialistTimeInputSerializer(KnownFieldsOnly):
    """A specialist's full-time equivalent on the program and percent of time on employment services."""

    specialist = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="The specialist's person id.")
    fte = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0.05"),
        max_value=Decimal("1"),
        help_text="1.00 is full time.",
    )
    employment_share = serializers.IntegerField(
        min_value=0, max_value=100, help_text="Percent of the specialist's time on employment services."
    )


class InviteeAnswerSerializer(KnownFieldsOnly):
    """Whether someone invited to the visit's interviews accepted (the web's accepted / declined / no answer yet)."""

    accepted = serializers.BooleanField(
        allow_null=True, help_text="true: accepted; false: declined; null: no answer yet."
    )


# --- Self-assessment (issue #26, branch fidself) ------------------------------------------------------


class SelfScoreWriteSerializer(KnownFieldsOnly):
    number = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="The item's number on the scale.")
    score = serializers.IntegerField(min_value=1, max_value=5, help_text="The team's score, 1 to 5.")
    note = _text("Why this score, or what to work on.", required=False, allow_blank=True, default="")


class SelfAssessmentWriteSerializer(KnownFieldsOnly):
    """A whole self-assessment: the items sent are its scores; an item not sent is unscored."""

    assessed_on = WorkDateField(help_text="The day the team scored (not in the future).")
    participants = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Who took part."
    )
    note = _text("An overall note.", required=False, allow_blank=True, default="")
    items = serializers.ListField(child=SelfScoreWriteSerializer(), allow_empty=False, max_length=100)


class SelfItemWriteSerializer(KnownFieldsOnly):
    """One item of a self-assessment, saved as the team scores it (the other items are left as they are)."""

    score = serializers.IntegerField(
        min_value=1, max_value=5, allow_null=True, help_text="The team's score, 1 to 5; null unscores the item."
    )
    note = _text("Why this score, or what to work on.", required=False, allow_blank=True, default="")


class SelfScoreSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(source="item.number")
    name = serializers.CharField(source="item.name")
    score = serializers.IntegerField()
    note = serializers.CharField()


class SelfAssessmentSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="assessment.pk")
    program = ProgramRefSerializer(source="assessment.program")
    scale = serializers.CharField(source="assessment.scale.version", help_text="The scale version scored.")
    assessed_on = serializers.DateField(source="assessment.assessed_on")
    participants = serializers.CharField(source="assessment.participants")
    note = serializers.CharField(source="assessment.note")
    created_by = PersonRefSerializer(source="assessment.created_by", allow_null=True)
    created_at = serializers.DateTimeField(source="assessment.created_at")
    updated_by = PersonRefSerializer(source="assessment.updated_by", allow_null=True)
    updated_at = serializers.DateTimeField(source="assessment.updated_at")
    total = TotalSerializer(help_text="The scored items' total; prorated while some are unscored.")


class SelfAssessmentSerializer(SelfAssessmentSummarySerializer):
    items = SelfScoreSerializer(many=True, help_text="The scored items, by number; unscored items are left out.")


class ComparisonItemSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(source="item.number")
    name = serializers.CharField(source="item.name")
    self_assessment = serializers.IntegerField(
        source="self_score", allow_null=True, help_text="The latest self-assessment's score; null: not scored."
    )
    estimate = serializers.IntegerField(
        allow_null=True, help_text="The score the records imply; null: not measured from the records."
    )
    review = serializers.IntegerField(
        allow_null=True, help_text="The last delivered review's consensus; null: none, or cannot rate."
    )
    self_minus_review = serializers.IntegerField(allow_null=True)
    self_minus_estimate = serializers.IntegerField(allow_null=True)
    spread = serializers.IntegerField(
        allow_null=True, help_text="Highest minus lowest of the scores given; null with fewer than two."
    )


class ComparedReviewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    report_date = serializers.DateField()


class ComparedAssessmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    assessed_on = serializers.DateField()


class ComparisonSerializer(serializers.Serializer[Any]):
    """The latest self-assessment, the running estimate and the last delivered review, item by item."""

    program = ProgramRefSerializer()
    self_assessment = ComparedAssessmentSerializer(source="assessment", allow_null=True)
    review = ComparedReviewSerializer(allow_null=True)
    estimate_start = serializers.DateField(source="estimate.first_day")
    estimate_end = serializers.DateField(source="estimate.last_day")
    self_total = TotalSerializer(allow_null=True)
    review_total = TotalSerializer(allow_null=True)
    items = ComparisonItemSerializer(source="rows", many=True)
    disagreements = serializers.ListField(
        child=serializers.IntegerField(),
        source="disagreement_numbers",
        help_text="The items whose scores are 2 or more points apart, most apart first.",
    )


# --- Review preparation (issue #26): the timeline, the documents checklist, the chart-review worksheet ---------


class PrepTaskSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="kickoff, documents, self_assessment, chart_sample, agenda or visit.")
    title = serializers.CharField()
    party = serializers.ChoiceField(choices=["program", "reviewers", "both"], help_text="Who does the step.")
    due_on = serializers.DateField(help_text="Counted back from the first visit day (the due date before it).")
    done_at = serializers.DateTimeField(allow_null=True)
    done_by = PersonRefSerializer(allow_null=True)
    done_by_work = serializers.CharField(
        help_text="The recorded work that completed the step (e.g. every document answered); empty when it "
        "was marked by hand or is not done. Such a step reopens when the work is undone."
    )
    done_note = serializers.CharField(help_text="The note of whoever marked it done by hand.")


class PrepTaskDoneSerializer(KnownFieldsOnly):
    done = serializers.BooleanField(help_text="true: the step is done; false: not done after all.")
    note = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", help_text="Why or how it was done."
    )


class DocumentUploadSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    file_url = serializers.SerializerMethodField(help_text="The file's download (recorded in the audit log).")

    def get_file_url(self, upload: Any) -> str:
        return f"/api/v1/fidelity-document-uploads/{upload.pk}/file/"


class DocumentRequestSerializer(serializers.Serializer[Any]):
    """A request of the checklist. `answer` is null for whoever may not read the answers now (the state team,
    other partners, and the reviewers outside their access window)."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer(
            "DocumentAnswer",
            {"note": serializers.CharField(), "files": DocumentUploadSerializer(many=True)},
            allow_null=True,
        )
    )
    def get_answer(self, request: Any) -> dict[str, Any] | None:
        if not self.context.get("answers"):
            return None
        return {"note": request.note, "files": DocumentUploadSerializer(request.uploads.all(), many=True).data}


class PreparationSerializer(serializers.Serializer[Any]):
    timeline = PrepTaskSerializer(many=True)
    checklist = DocumentRequestSerializer(many=True)


DOCUMENT_ANSWER_FIELDS = ("note", "file")
DOCUMENT_ANSWER_BODY = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "note": {"type": "string", "maxLength": 4000, "description": "Where the document is kept, or why none."},
            "file": {
                "type": "string",
                "format": "binary",
                "description": "PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV, at most the upload limit "
                "(checked by name and by content). Answer again to add more files.",
            },
        },
        "additionalProperties": False,
    }
}


class ChartJobSerializer(serializers.Serializer[Any]):
    employer = serializers.CharField()
    title = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)


class ChartClientSerializer(serializers.Serializer[Any]):
    enrollment_id = serializers.IntegerField()
    client_id = serializers.IntegerField()
    name = serializers.CharField()
    record_number = serializers.CharField()
    specialist = serializers.CharField()
    referral_date = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    first_employer_contact = serializers.DateField(allow_null=True)
    jobs = ChartJobSerializer(many=True)
    support_contacts = serializers.IntegerField(help_text="Follow-along support contacts.")
    first_support = serializers.DateField(allow_null=True)
    last_support = serializers.DateField(allow_null=True)


class ChartWorksheetSerializer(serializers.Serializer[Any]):
    reference_day = serializers.DateField(help_text="The sample is drawn from clients open in the year up to it.")
    sample_size = serializers.IntegerField(help_text="At most this many clients (the reviewers' choice, 1 to 50).")
    rows = ChartClientSerializer(many=True)


class ChartSampleSizeSerializer(KnownFieldsOnly):
    """The reviewers' choice of the chart-review sample (#26, branch fidfin)."""

    sample_size = serializers.IntegerField(
        help_text="How many clients the worksheet samples, 1 to 50 (the whole caseload when it has fewer); "
        "a larger sample keeps the clients of a smaller one."
    )
