"""What the API accepts for the directory's writes (organizations, people, memberships) and what it shows of a
person's memberships.

The fields are the web forms' (tenancy/forms.py); ids resolve only among what the caller may choose there (the
states and organizations an administrator manages), and the rules and their messages are the services'
(tenancy/services.py)."""

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import OrganizationRefSerializer, StateRefSerializer, _choosable
from ipshub.tenancy import selectors
from ipshub.tenancy.models import Membership, Organization, Person, State
from ipshub.tenancy.roles import OrgKind, Role


class OrganizationWriteSerializer(KnownFieldsOnly):
    """Change an organization (PATCH: the fields sent; the others keep their values). Its state and kind
    define who sees it and are fixed once it exists."""

    name = serializers.CharField(max_length=200)
    is_tribal = serializers.BooleanField(help_text="Only for a mental health agency run by a tribal nation.")
    region = serializers.CharField(max_length=100, allow_blank=True, help_text="Region of the state, for roll-ups.")
    county = serializers.CharField(max_length=100, allow_blank=True)
    phone = serializers.CharField(max_length=40, allow_blank=True)
    email = serializers.EmailField(allow_blank=True)


class OrganizationCreateSerializer(OrganizationWriteSerializer):
    """Add an organization in a state you administer."""

    state = serializers.PrimaryKeyRelatedField(
        queryset=State.objects.none(),
        required=False,
        help_text="Id of the state; may be left out by an administrator of one state.",
        error_messages=_choosable("Choose a state you administer"),
    )
    kind = serializers.ChoiceField(choices=OrgKind.choices, help_text="Kind of organization.")
    is_tribal = serializers.BooleanField(required=False, default=False)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    county = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator describes the fields without a person
            return
        self.fields["state"].queryset = selectors.manageable_states(request.user)  # type: ignore[attr-defined]


class PersonEditSerializer(KnownFieldsOnly):
    """Change a person's details (PATCH: the fields sent). Clearing `is_active` signs them out everywhere at
    once. The username is fixed."""

    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    title = serializers.CharField(max_length=120, allow_blank=True, help_text="Job title.")
    phone = serializers.CharField(max_length=40, allow_blank=True)
    is_active = serializers.BooleanField(help_text="Account active; false signs the person out everywhere at once.")


class PersonCreateSerializer(KnownFieldsOnly):
    """Add a person with their first role (nobody is in IPS Hub outside an organization)."""

    username = serializers.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="", help_text="Job title.")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        help_text="Id of an active organization in a state you administer.",
        error_messages=_choosable("Choose an organization of a state you administer"),
    )
    role = serializers.ChoiceField(choices=Role.choices, help_text="The role at that organization.")
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        write_only=True,
        max_length=128,
        help_text="At least 10 characters, not a common password. Leave it out to let the person set one later.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator describes the fields without a person
            return
        self.fields["organization"].queryset = selectors.manageable_organizations(request.user)  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The web form's password check (tenancy/forms.py PersonCreateForm.clean): Django's validators."""
        password = attrs.get("password")
        if password:
            candidate = Person(
                username=attrs.get("username", ""),
                email=attrs.get("email", ""),
                first_name=attrs.get("first_name", ""),
                last_name=attrs.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


class MembershipAddSerializer(KnownFieldsOnly):
    """Give the person a role at an organization (a role they held before starts again)."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        help_text="Id of an active organization in a state you administer.",
        error_messages=_choosable("Choose an organization of a state you administer"),
    )
    role = serializers.ChoiceField(choices=Role.choices, help_text="The role; it must fit the kind of organization.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator describes the fields without a person
            return
        self.fields["organization"].queryset = selectors.manageable_organizations(request.user)  # type: ignore[attr-defined]


class MembershipOrganizationSerializer(OrganizationRefSerializer):
    state = StateRefSerializer(read_only=True)

    class Meta(OrganizationRefSerializer.Meta):
        fields = [*OrganizationRefSerializer.Meta.fields, "state"]


class MembershipRecordSerializer(serializers.ModelSerializer[Membership]):
    """One of a person's roles, current or ended."""

    organization = MembershipOrganizationSerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "role", "role_label", "is_active", "started_on", "ended_on"]
