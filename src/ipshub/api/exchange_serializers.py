"""The learning-community exchange in the API: aggregate files checked and imported, and the pooled
roll-up (outcomes/aggregates.py)."""

from typing import Any

from rest_framework import serializers

from ipshub.api.outcome_serializers import CheckedRowCounts
from ipshub.api.serializers import PersonRefSerializer, StateRefSerializer
from ipshub.outcomes.models import AggregateUpload


class AggregateUploadSerializer(CheckedRowCounts, serializers.ModelSerializer[AggregateUpload]):
    state = StateRefSerializer(read_only=True)
    uploaded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AggregateUpload
        fields = [
            "id",
            "state",
            "filename",
            "uploaded_by",
            "uploaded_at",
            "committed_at",
            "committed_rows",
            "good_rows",
            "bad_rows",
            "rows",
        ]


class AggregateImportedSerializer(serializers.Serializer[Any]):
    imported = serializers.IntegerField(help_text="Program-quarters imported (each replacing the same one).")
    file = AggregateUploadSerializer()


class PooledQuarterSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    served = serializers.IntegerField(help_text="Sum of served over the program-quarters pooled.")
    worked = serializers.IntegerField(help_text="Sum of worked over the program-quarters pooled.")
    rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="Pooled rate: worked ÷ served, in percent."
    )
    local_programs = serializers.IntegerField(help_text="This install's accepted reports pooled.")
    imported_programs = serializers.IntegerField(help_text="Imported program-quarters pooled.")
    withheld = serializers.IntegerField(
        help_text="Imported program-quarters left out of both sums: their served or worked was published as <11."
    )


class PooledSerializer(serializers.Serializer[Any]):
    state_code = serializers.CharField(help_text="The state's code; empty for every state.")
    definition_code = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField(), help_text="Installs whose files are pooled.")
    quarters = PooledQuarterSerializer(many=True)
