"""The early-warning page (issue #23): the state team sees every program of its states by risk; an IPS
supervisor or mental health director sees their own program. The predictions are stored by the last refit
(early_warning.py), so the page reads the model and its scores: a fixed number of queries."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ipshub.lib.signed_in import person_of
from ipshub.outcomes import early_warning, peers
from ipshub.tenancy.access import scoped_view


@scoped_view
def early_warning_page(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    model = early_warning.current_model()
    programs = peers.programs_led_or_overseen(person)
    scores = [] if model is None else early_warning.scores_for(model, programs)
    weights = []
    if model is not None:
        weights = [
            (indicator, coefficient, mean)
            for indicator, coefficient, mean in zip(
                early_warning.INDICATORS, model.coefficients, model.means, strict=False
            )
        ]
    return render(
        request,
        "outcomes/early_warning.html",
        {
            "model": model,
            "scores": scores,
            "weights": weights,
            "threshold": early_warning.THRESHOLD,
            "warn_at": early_warning.WARN_AT,
            "few_samples": early_warning.FEW_SAMPLES,
        },
    )
