"""The client record's pages: the overview at the record's address and one page per section
(clients/sections.py). Each: one access call, the read recorded (`client.view`, with the section), one
selector, render. The DVR view is one page, the overview: its people get no sections."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ipshub.clients import access, forms, sections, selectors, services
from ipshub.clients.access import client_view
from ipshub.lib.pagination import paginate
from ipshub.lib.signed_in import person_of


@client_view
def overview(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    today = timezone.localdate()
    if not found.full:
        services.record_view(actor=person, enrollment=found.enrollment, view="dvr")
        return render(
            request,
            "clients/detail_dvr.html",
            {"page": selectors.dvr_client_page(found.enrollment, person, today), "access": found},
        )
    services.record_view(actor=person, enrollment=found.enrollment, view="full")
    return render(
        request,
        "clients/detail.html",
        {
            **_record(found, sections.OVERVIEW),
            "page": sections.overview(found.enrollment, today),
            "advance_form": forms.AdvanceForm(),
            "today": today,
        },
    )


@client_view
def section(request: HttpRequest, enrollment_id: int, key: str) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    found.require(access.READ)  # 403 "not shared with you" for the DVR view, which is the overview alone
    services.record_view(actor=person, enrollment=found.enrollment, view="full", section=key)
    return render(request, f"clients/record_{key}.html", {**_record(found, key), **_read(request, found, key)})


def _record(found: access.ClientAccess, key: str) -> dict[str, Any]:
    """What every page of the record shows: who the client is, the quick actions, the sections."""
    return {
        "e": found.enrollment,
        "c": found.enrollment.client,
        "access": found,
        "section": sections.BY_KEY[key],
        "sections": sections.navigation(found.enrollment.pk, key),
    }


def _read(request: HttpRequest, found: access.ClientAccess, key: str) -> dict[str, Any]:
    enrollment, today = found.enrollment, timezone.localdate()
    if key == "profile":
        return {"page": sections.profile(enrollment, today)}
    if key == "job_search":
        return {"plan": sections.job_search_plan(enrollment)}
    if key == "employer_contacts":
        page, prefix = paginate(request, sections.employer_contacts(enrollment))
        return {"page_obj": page, "query_prefix": prefix}
    if key == "jobs":
        return {"page": sections.jobs(enrollment)}
    if key == "supports":
        page, prefix = paginate(request, sections.support_contacts(enrollment))
        return {"page_obj": page, "query_prefix": prefix}
    if key == "education":
        return {"education": sections.education(enrollment), "today": today}
    if key == "dvr":
        return {"case": sections.dvr_case(enrollment)}
    if key == "consents":
        return {
            "consents": sections.consents(enrollment),
            "drafts": sections.consent_drafts(enrollment),
            "today": today,
        }
    return {"history": sections.history(enrollment)}
