"""The states' minimum wages: a list for everyone of the state (the rate that judges a competitive job),
kept by the state IPS team's leads and administrators (add a rate from a date, correct one)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.lib.forms import saved
from ipshub.lib.signed_in import person_of
from ipshub.tenancy import access, forms, services
from ipshub.tenancy.models import MinimumWage, Person, State
from ipshub.tenancy.wages import FEDERAL_SOURCE, applicable_minimum_wage, federal_rate, long_date


@dataclass(frozen=True)
class StateWages:
    state: State
    rates: list[MinimumWage]
    today_rate: Decimal
    today_is_federal: bool
    in_force_id: int | None  # the state's own rate in force today, if any
    can_manage: bool


def _states(person: Person) -> QuerySet[State]:
    if access.is_platform_admin(person):
        return State.objects.all()
    return State.objects.filter(pk__in=access.minimum_wage_state_ids(person))


def _by_state(person: Person, today: datetime.date) -> list[StateWages]:
    """Each state's rates, newest first, and the rate that applies today (two queries, whatever the size)."""
    rows = list(access.minimum_wages_visible_to(person).order_by("-effective_from", "-pk"))
    _since, federal = federal_rate(today)
    grouped: list[StateWages] = []
    for state in _states(person).order_by("name"):
        rates = [r for r in rows if r.state_id == state.pk]
        in_force = next((r for r in rates if r.effective_from <= today), None)
        own = in_force.hourly_rate if in_force is not None else None
        grouped.append(
            StateWages(
                state=state,
                rates=rates,
                today_rate=own if own is not None and own > federal else federal,
                today_is_federal=own is None or own <= federal,
                in_force_id=in_force.pk if in_force is not None else None,
                can_manage=access.can_manage_minimum_wages(person, state.pk),
            )
        )
    return grouped


@access.scoped_view
def minimum_wage_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    today = timezone.localdate()
    return render(
        request,
        "tenancy/minimum_wages.html",
        {
            "states": _by_state(person, today),
            "federal_since": federal_rate(today)[0],
            "federal_rate": federal_rate(today)[1],
            "federal_source": FEDERAL_SOURCE,
            "can_add": access.can_manage_minimum_wages(person),
            "today": today,
        },
    )


@access.scoped_view
def minimum_wage_add(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    access.require_minimum_wage_manager(person)
    form = forms.MinimumWageForm(
        request.POST or None, states=State.objects.filter(access.minimum_wage_managed_states_q(person))
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.minimum_wage_add(actor=person, **form.cleaned_data))
    ):
        data = form.cleaned_data
        applies = applicable_minimum_wage(data["state"], data["effective_from"])
        messages.success(
            request, _("Added. From that day, %(sentence)s judges competitive jobs.") % {"sentence": applies.sentence()}
        )
        return redirect("tenancy:minimum_wage_list")
    return _form_page(request, form, _("Add a state minimum wage"))


@access.scoped_view
def minimum_wage_edit(request: HttpRequest, minimum_wage_id: int) -> HttpResponse:
    person = person_of(request)
    wage = access.get_minimum_wage_for(person, minimum_wage_id)
    access.require_minimum_wage_manager(person, wage.state_id)
    initial = {"hourly_rate": wage.hourly_rate, "effective_from": wage.effective_from, "note": wage.note}
    form = forms.MinimumWageForm(request.POST or None, initial=initial, editing=wage)
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.minimum_wage_update(actor=person, wage=wage, **form.cleaned_data))
    ):
        messages.success(request, _("%(state)s's minimum wage was corrected.") % {"state": wage.state})
        return redirect("tenancy:minimum_wage_list")
    return _form_page(
        request,
        form,
        _("Correct %(state)s's minimum wage from %(date)s")
        % {"state": wage.state, "date": long_date(wage.effective_from)},
    )


def _form_page(request: HttpRequest, form: forms.MinimumWageForm, title: str) -> HttpResponse:
    return render(
        request,
        "tenancy/form_page.html",
        {"form": form, "title": title, "cancel_url": "tenancy:minimum_wage_list"},
        status=400 if request.method == "POST" else 200,
    )
