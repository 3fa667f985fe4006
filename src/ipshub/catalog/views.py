from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ipshub.catalog import selectors
from ipshub.lib.signed_in import non_tenant_view


@non_tenant_view
def index(request: HttpRequest) -> HttpResponse:
    counts = selectors.responsibility_counts()
    return render(
        request,
        "catalog/index.html",
        {
            "stages": selectors.stages(),
            "question_count": selectors.questions().count(),
            "responsibility_count": sum(counts.values()),
            "roadmap": selectors.current_version("roadmap"),
            "roles": selectors.current_version("roles"),
        },
    )


@non_tenant_view
def roadmap(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/roadmap.html", {"stages": selectors.stages()})


@non_tenant_view
def stage_detail(request: HttpRequest, stage_number: int) -> HttpResponse:
    stage = selectors.stage_by_number(stage_number)
    if stage is None:
        raise Http404("No such stage.")
    return render(request, "catalog/stage_detail.html", {"stage": stage, "last": 10})


@non_tenant_view
def questions(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/questions.html", {"questions": selectors.questions()})


@non_tenant_view
def roles(request: HttpRequest) -> HttpResponse:
    parties = list(selectors.parties())
    phases = list(selectors.phases_with_responsibilities())
    counts = selectors.responsibility_counts()
    matrix = [
        (
            phase,
            [counts.get((phase.key, party.key), 0) for party in parties],
            sum(counts.get((phase.key, party.key), 0) for party in parties),
        )
        for phase in phases
    ]
    party_totals = [sum(counts.get((phase.key, party.key), 0) for phase in phases) for party in parties]
    sections = [
        (
            phase,
            [(party, [r for r in phase.responsibilities.all() if r.party_id == party.pk]) for party in parties],
        )
        for phase in phases
    ]
    return render(
        request,
        "catalog/roles.html",
        {
            "parties": parties,
            "matrix": matrix,
            "party_totals": party_totals,
            "total": sum(counts.values()),
            "sections": sections,
            "version": selectors.current_version("roles"),
        },
    )
