"""What the API accepts for the writes of the web's outcome pages (outcomes/urls.py): compute a quarter from
the records, edit a draft, correct an accepted report, the state team's review, goals, benchmarks, the
upload of a file of figures; and what it answers for goals, benchmarks, uploads and the state roll-up.

The input serializers check only the shape (types, lengths, choices); who may act and every rule of the work
are the outcome services' (`ipshub.outcomes.services`), whose messages the API answers as they are."""

from typing import Any

from rest_framework import serializers

from ipshub.api.area_serializers import MAX_COUNT, ProgramRefSerializer
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import PersonRefSerializer, StateRefSerializer
from ipshub.outcomes import figures
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.models import Goal, GoalMetric, Upload

COMMENT_MAX = 4000
UPLOAD_MODES = [("all", "Every row"), ("good", "Only the rows without problems")]


def _figure(figure: figures.Figure) -> serializers.Field[Any, Any, Any, Any]:
    """A figure that may be left out (an edit or a correction keeps the report's value)."""
    if figure.is_count:
        return serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False, help_text=figure.label)
    return serializers.DecimalField(
        max_digits=figure.max_digits,
        decimal_places=figures.DECIMAL_PLACES,
        min_value=0,
        max_value=figure.top,
        required=False,
        allow_null=True,
        help_text=f"{figure.label} (null: not given).",
    )


class _WithFigures(KnownFieldsOnly):
    """A body with the report's figures (one field per figure of outcomes/figures.py), each optional."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        return {**fields, **{figure.name: _figure(figure) for figure in figures.FIGURES}}


class ComputeSerializer(KnownFieldsOnly):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    definition_code = serializers.CharField(
        max_length=64, required=False, default=DEFAULT_CODE, help_text="The outcome definition (see the catalog)."
    )


class ReportEditSerializer(_WithFigures):
    """The figures to change in a draft or returned report; figures left out keep their values."""


class CorrectionSerializer(_WithFigures):
    """A correction of the current accepted report: a new draft version with the reason; figures left out
    keep the accepted report's values."""

    reason = serializers.CharField(
        max_length=COMMENT_MAX, allow_blank=True, help_text="Why the accepted figures are corrected (kept)."
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        reason = fields.pop("reason")
        return {"reason": reason, **fields}


class ReturnSerializer(KnownFieldsOnly):
    comment = serializers.CharField(
        max_length=COMMENT_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="What needs to change (needed to return a report); the program sees it.",
    )


class AcceptSerializer(KnownFieldsOnly):
    comment = serializers.CharField(
        max_length=COMMENT_MAX, allow_blank=True, required=False, default="", help_text="Optional comments."
    )


# --- Goals -----------------------------------------------------------------------------------------------


class GoalWriteSerializer(KnownFieldsOnly):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=0, max_value=4, help_text="0 for the whole year, or 1 to 4.")
    metric = serializers.ChoiceField(choices=GoalMetric.choices)
    target = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class GoalSerializer(serializers.ModelSerializer[Goal]):
    """A goal with the actual figure of the submitted and accepted reports it covers (as the goals page)."""

    program = ProgramRefSerializer(read_only=True)
    metric = serializers.ChoiceField(choices=GoalMetric.choices, read_only=True)
    actual = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="The actual figure so far (submitted and accepted reports); null when none covers it.",
    )
    met = serializers.BooleanField(read_only=True, allow_null=True, help_text="actual >= target; null: no figure.")

    class Meta:
        model = Goal
        fields = ["id", "program", "year", "quarter", "metric", "target", "note", "actual", "met", "updated_at"]


# --- Benchmarks ------------------------------------------------------------------------------------------


class BenchmarkRowSerializer(serializers.Serializer[Any]):
    definition_code = serializers.CharField()
    definition_name = serializers.CharField()
    minimal = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    average = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    excellent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class BenchmarksSerializer(serializers.Serializer[Any]):
    state = StateRefSerializer()
    definitions = BenchmarkRowSerializer(many=True, help_text="The employment-rate benchmarks (%) per definition.")


class BenchmarkWriteSerializer(KnownFieldsOnly):
    definition_code = serializers.CharField(max_length=64)
    minimal = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)
    average = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)
    excellent = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)


# --- Uploads ---------------------------------------------------------------------------------------------


class UploadProblemSerializer(serializers.Serializer[Any]):
    column = serializers.CharField()
    message = serializers.CharField()


class UploadRowSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(help_text="The file's line (the header is line 1).")
    values = serializers.DictField(help_text="The values read: year, quarter, definition_code and the figures.")
    problems = UploadProblemSerializer(
        many=True, source="errors", help_text="Each problem of the row, by column; empty for a good row."
    )


# What every checked upload answers of its rows (the figures' upload and the aggregate file's). A comment, not a
# docstring: the schema would take it as each upload's description.
class CheckedRowCounts(serializers.Serializer[Any]):
    good_rows = serializers.SerializerMethodField()
    bad_rows = serializers.SerializerMethodField()
    rows = UploadRowSerializer(many=True, read_only=True)

    def get_good_rows(self, upload: Any) -> int:
        return len(upload.good_rows)

    def get_bad_rows(self, upload: Any) -> int:
        return len(upload.bad_rows)


class UploadSerializer(CheckedRowCounts, serializers.ModelSerializer[Upload]):
    program = ProgramRefSerializer(read_only=True)
    uploaded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Upload
        fields = [
            "id",
            "program",
            "filename",
            "uploaded_by",
            "uploaded_at",
            "committed_at",
            "committed_rows",
            "good_rows",
            "bad_rows",
            "rows",
        ]


class UploadCommitSerializer(KnownFieldsOnly):
    mode = serializers.ChoiceField(
        choices=UPLOAD_MODES,
        required=False,
        default="all",
        help_text="all: every row (refused while any row has a problem); good: only the rows without problems.",
    )


class UploadCommittedSerializer(serializers.Serializer[Any]):
    entered = serializers.IntegerField(help_text="Quarters entered as drafts.")
    upload = UploadSerializer()


# --- The state roll-up -----------------------------------------------------------------------------------


class ProgramNameSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RollupQuarterSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    served = serializers.IntegerField(
        allow_null=True, help_text="Served, summed over the accepted reports; null when none or withheld."
    )
    worked = serializers.IntegerField(allow_null=True, help_text="Worked, summed over the accepted reports.")
    employment_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="worked / served in %, of the accepted reports."
    )
    withheld = serializers.BooleanField(
        help_text='Counts under 11 (and rates built on them) withheld, as the dashboard shows "<11".'
    )
    programs_total = serializers.IntegerField(help_text="The state's programs (M).")
    programs_reported = serializers.IntegerField(help_text="Programs that submitted the quarter (N; accepted or not).")
    programs_counted = serializers.IntegerField(help_text="Programs whose accepted report is in the totals.")
    # --- Trustworthy figures: completeness of the total.
    programs_expected = serializers.IntegerField(
        help_text="Programs that owe the quarter's report (M): in implementation or ongoing service and started by "
        "the quarter's end, or that reported it anyway."
    )
    complete = serializers.BooleanField(
        help_text="Every expected program's accepted report is in the totals; false: the totals are incomplete "
        "(a lower total may only mean a missing report)."
    )
    reported = serializers.CharField(
        help_text='"N of M programs reported": programs_reported of programs_expected, and how many of them are '
        "awaiting review (not in the total)."
    )
    # --- end of trustworthy figures
    awaiting_review = ProgramNameSerializer(many=True, help_text="Submitted, not yet accepted.")
    missing = ProgramNameSerializer(
        many=True, help_text="Late and not received: owe the report, past its deadline, not submitted."
    )
    late = ProgramNameSerializer(
        many=True, help_text="Late and received: submitted after the deadline (never also in `missing`)."
    )


class RollupSerializer(serializers.Serializer[Any]):
    state = StateRefSerializer()
    definition_code = serializers.CharField()
    exact = serializers.BooleanField(help_text="Exact counts (the state team who review reports).")
    benchmarks = serializers.DictField(child=serializers.DecimalField(max_digits=4, decimal_places=1))
    quarters = RollupQuarterSerializer(many=True)
