"""What the API shows of the small records behind the roles matrix's tick-box duties (outreach, IPS materials,
library resources sent to programs, data requests and their files), and what it accepts for their writes.

A write names its program by id; the view finds it through the access layer (404 for "not found" and "not
yours") and the implementation service checks who may write (403) and validates (400)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipshub.api.area_serializers import ProgramRefSerializer
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import PersonRefSerializer
from ipshub.implementation.models import (
    DataAccepted,
    DataRequest,
    DataRequestAnswer,
    Material,
    MaterialDistribution,
    OutreachActivity,
    OutreachKind,
    Resource,
    ResourceShare,
)

PROGRAM_HELP = "Id of the program."


class OutreachSerializer(serializers.ModelSerializer[OutreachActivity]):
    program = ProgramRefSerializer(read_only=True)
    recorded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = OutreachActivity
        fields = ["id", "program", "held_on", "kind", "forum", "description", "recorded_by", "recorded_at"]


class OutreachWriteSerializer(KnownFieldsOnly):
    """Log IPS shared in a public forum (the program's leaders and the state team)."""

    program = serializers.IntegerField(help_text=PROGRAM_HELP)
    held_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=OutreachKind.choices)
    forum = serializers.CharField(max_length=200, help_text="Where it was shared, or to whom.")
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class MaterialDistributionSerializer(serializers.ModelSerializer[MaterialDistribution]):
    program = ProgramRefSerializer(read_only=True)
    recorded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MaterialDistribution
        fields = ["id", "program", "material", "distributed_on", "recipients", "copies", "recorded_by", "recorded_at"]


class MaterialDistributionWriteSerializer(KnownFieldsOnly):
    """Log the Practical Guide handed to IPS staff, or IPS handouts and posters displayed."""

    program = serializers.IntegerField(help_text=PROGRAM_HELP)
    material = serializers.ChoiceField(choices=Material.choices)
    distributed_on = serializers.DateField()
    recipients = serializers.CharField(max_length=300, help_text="To whom, or where they are displayed.")
    copies = serializers.IntegerField(min_value=1, max_value=100000, required=False, allow_null=True, default=None)


class ResourceRefSerializer(serializers.ModelSerializer[Resource]):
    class Meta:
        model = Resource
        fields = ["id", "title", "kind", "topic", "link"]


class ResourceShareSerializer(serializers.ModelSerializer[ResourceShare]):
    program = ProgramRefSerializer(read_only=True)
    resource = ResourceRefSerializer(read_only=True)
    sent_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ResourceShare
        fields = ["id", "program", "resource", "sent_on", "sent_by", "note"]


class ResourceShareWriteSerializer(KnownFieldsOnly):
    """Send a resource of the state's library to a program (the state IPS team)."""

    program = serializers.IntegerField(help_text=PROGRAM_HELP)
    resource = serializers.IntegerField(help_text="Id of a resource of the state's library.")
    sent_on = serializers.DateField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class DataAnswerSerializer(serializers.ModelSerializer[DataRequestAnswer]):
    answered_by = PersonRefSerializer(read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField(help_text="The file, for the state team, the agency and provider.")

    class Meta:
        model = DataRequestAnswer
        fields = ["id", "original_name", "content_type", "size", "note", "answered_by", "answered_on", "file_url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, answer: DataRequestAnswer) -> str | None:
        readable: set[int] = self.context.get("readable_programs", set())
        if answer.request.program_id not in readable:
            return None
        return f"/api/v1/data-request-answers/{answer.pk}/file/"


class DataRequestSerializer(serializers.ModelSerializer[DataRequest]):
    program = ProgramRefSerializer(read_only=True)
    asked_by = PersonRefSerializer(read_only=True, allow_null=True)
    answers = DataAnswerSerializer(many=True, read_only=True)
    answered = serializers.SerializerMethodField(help_text="Whether a file has been sent.")

    class Meta:
        model = DataRequest
        fields = ["id", "program", "asked_by", "asked_on", "due_on", "what", "accepts", "answered", "answers"]

    @extend_schema_field(serializers.BooleanField())
    def get_answered(self, request: DataRequest) -> bool:
        return bool(request.answers.all())


class DataRequestWriteSerializer(KnownFieldsOnly):
    """Ask a program for data (the state IPS team); its provider or agency answers with a file."""

    program = serializers.IntegerField(help_text=PROGRAM_HELP)
    asked_on = serializers.DateField()
    due_on = serializers.DateField()
    what = serializers.CharField(max_length=4000, help_text="What data is asked for.")
    accepts = serializers.ChoiceField(choices=DataAccepted.choices, help_text="spreadsheet, document or any.")
