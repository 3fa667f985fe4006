"""/api/v1/minimum-wages/: the states' own minimum wages (tenancy.MinimumWage), as on the directory's page.

Everyone reads the rates of the states they hold a seat in; one rate's address is its state IPS team's
(404 for anyone else); the team's leads and administrators add and correct rates (403 for the others),
through the same services as the web page.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ipshub.api import filters, versions
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import _choosable
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.tenancy import access, services
from ipshub.tenancy.models import MinimumWage, State


class MinimumWageSerializer(serializers.ModelSerializer[MinimumWage]):
    state = serializers.IntegerField(source="state_id", read_only=True)

    class Meta:
        model = MinimumWage
        fields = ["id", "state", "hourly_rate", "effective_from", "note", "updated_at"]


class MinimumWageWriteSerializer(KnownFieldsOnly):
    """A state's minimum wage from a date on (POST), or a correction of one (PATCH: state can't change)."""

    state = serializers.PrimaryKeyRelatedField(
        queryset=State.objects.none(), error_messages=_choosable("Choose a state whose minimum wages you keep")
    )
    hourly_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, help_text="Dollars an hour.")
    effective_from = serializers.DateField(help_text="The first day the rate is in force.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            fields: Any = self.fields
            fields["state"].queryset = State.objects.filter(access.minimum_wage_managed_states_q(request.user))


class MinimumWageList(ListView):
    """The minimum wages of the states you hold a seat in, newest first."""

    serializer_class = MinimumWageSerializer
    filter_params = (filters.Integer("state", "Id of the state.", lambda qs, v: qs.filter(state_id=v)),)
    ordering_fields = ("effective_from",)

    def get_queryset(self) -> QuerySet[MinimumWage]:
        return access.minimum_wages_visible_to(self.person).order_by("state_id", "-effective_from", "pk")

    @extend_schema(
        request=MinimumWageWriteSerializer,
        responses={201: MinimumWageSerializer},
        summary="Add a state's minimum wage from a date on (the state IPS team's leads and administrators)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access.require_minimum_wage_manager(self.person)
        form = MinimumWageWriteSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        wage = services.minimum_wage_add(actor=self.person, **form.validated_data)
        return Response(MinimumWageSerializer(wage).data, status=201)


class MinimumWageDetail(OneObject, ApiMixin, generics.RetrieveAPIView[MinimumWage]):
    serializer_class = MinimumWageSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> MinimumWage:
        return access.get_minimum_wage_for(self.person, self.kwargs["minimum_wage_id"])

    @extend_schema(
        request=MinimumWageWriteSerializer,
        responses={200: MinimumWageSerializer},
        summary="Correct a state's minimum wage (the state IPS team's leads and administrators)",
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        wage = self.get_object()
        access.require_minimum_wage_manager(self.person, wage.state_id)
        versions.require_if_match(request)
        form = MinimumWageWriteSerializer(data=request.data, partial=True, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if "state" in data:
            raise serializers.ValidationError(
                {"state": ["A rate's state can't change: add a rate to the other state."]}
            )
        with transaction.atomic():
            current = versions.locked_current(
                request, MinimumWage.objects.filter(pk=wage.pk), lambda row: MinimumWageSerializer(row).data
            )
            values = {
                "hourly_rate": current.hourly_rate,
                "effective_from": current.effective_from,
                "note": current.note,
                **data,
            }
            updated = services.minimum_wage_update(actor=self.person, wage=current, **values)
        return Response(MinimumWageSerializer(updated).data)
