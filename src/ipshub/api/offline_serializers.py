"""The shapes of the offline field work endpoints (api/offline_views.py): the pack a device keeps, and the sync's
entries and results. The contract with the device (the /field/ page) is docs/api.md, "Offline field work"."""

from typing import Any

from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.models import OfflineEntry

MOST_ENTRIES = 50


class _Named(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PackProgramSerializer(_Named):
    may_log_employer_contacts = serializers.BooleanField()
    may_log_mentoring = serializers.BooleanField()


class PackCaseloadSerializer(serializers.Serializer[Any]):
    enrollment = serializers.IntegerField(help_text="Id of the client record (enrollment).")
    program = serializers.IntegerField()
    name = serializers.CharField(help_text="The client's name as the forms show it.")
    status = serializers.CharField(help_text="The enrollment's status: received, accepted, first_meeting, engaged.")
    version = serializers.CharField(
        help_text="The enrollment's version when the pack was made; send it back as an entry's base_version."
    )


class PackInProgramSerializer(_Named):
    program = serializers.IntegerField()


class PackSerializer(serializers.Serializer[Any]):
    person = _Named()
    generated_at = serializers.DateTimeField()
    wipe_after = serializers.DateTimeField(
        help_text="The session's absolute limit (a token: the same length from now). The device wipes the pack and "
        "every entry still waiting after this."
    )
    programs = PackProgramSerializer(many=True)
    caseload = PackCaseloadSerializer(many=True)
    employers = PackInProgramSerializer(many=True)
    specialists = PackInProgramSerializer(
        many=True, help_text="The specialists of the programs where the person may log field mentoring."
    )
    choices = serializers.DictField(
        child=serializers.ListField(child=serializers.ListField(child=serializers.CharField())),
        help_text="[value, label] pairs of each choice field the forms offer: employer_contact_purpose, "
        "support_kind, support_setting, mentoring_activity, note_kind.",
    )


class EntrySerializer(KnownFieldsOnly):
    id = serializers.UUIDField(
        help_text="Made on the device (a uuid4) when the entry was logged; makes the sync idempotent.",
        error_messages={
            "invalid": "Give the entry's id as the uuid the device made for it.",
            "required": "Give the entry's id (the uuid the device made for it).",
        },
    )
    kind = serializers.ChoiceField(
        choices=OfflineEntry.Kind.choices,
        error_messages={
            "invalid_choice": "Use employer_contact, support_contact, progress_note or field_mentoring.",
            "required": "Say what kind of entry it is.",
        },
    )
    logged_at = serializers.DateTimeField(
        help_text="When the person saved the entry on the device, ISO 8601 with its offset.",
        error_messages={
            "invalid": "Give logged_at as an ISO 8601 date and time with its offset, e.g. 2026-12-07T09:30:00-06:00.",
            "required": "Give logged_at: when the entry was saved on the device.",
        },
    )
    base_version = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        max_length=100,
        help_text="The caseload entry's version when the entry was logged.",
    )
    resolution = serializers.ChoiceField(
        choices=[("record_anyway", "Record anyway"), ("discard", "Discard")],
        required=False,
        allow_null=True,
        default=None,
        help_text="The person's answer to a conflict the sync returned for this entry.",
        error_messages={"invalid_choice": "Use record_anyway or discard, or leave resolution out."},
    )
    # The contract's name; DRF's metaclass takes declared fields off the class, so it hides no `Serializer.fields`.
    fields = serializers.DictField(  # type: ignore[assignment]
        help_text="The record's fields, named as the API operation that writes that kind of record names them "
        "(employer_contact: POST /employer-contacts/; support_contact: enrollment and POST "
        "/clients/{id}/supports/; progress_note: enrollment and POST /clients/{id}/notes/; field_mentoring: "
        "program and POST /programs/{id}/mentoring/).",
        error_messages={"not_a_dict": "Give the entry's fields as an object.", "required": "Give the entry's fields."},
    )


class SyncSerializer(KnownFieldsOnly):
    entries = serializers.ListField(
        child=EntrySerializer(),
        max_length=MOST_ENTRIES,
        help_text=f"At most {MOST_ENTRIES}, processed in order.",
        error_messages={
            "not_a_list": "Give the entries as a list.",
            "max_length": f"Send at most {MOST_ENTRIES} entries at a time; send the rest in the next request.",
            "required": "Give the entries to sync as a list.",
        },
    )


class RecordRefSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="employer_contact, support_contact, progress_note or mentoring_session.")
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The record's page.")


class ConflictSerializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(
        choices=["client_closed", "client_transferred", "record_changed", "no_longer_permitted"]
    )
    message = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


class ResultSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["saved", "already_saved", "problems", "conflict", "discarded"])
    record = RecordRefSerializer(allow_null=True)
    problems = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), allow_null=True)
    conflict = ConflictSerializer(allow_null=True)


class SyncResultSerializer(serializers.Serializer[Any]):
    results = ResultSerializer(many=True)
