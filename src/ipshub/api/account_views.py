"""/account/tokens/: a person's own API tokens. The key of a new token is shown once, on the page that
answers the form; only its digest is kept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipshub.api import access, forms, services
from ipshub.lib.forms import apply_service_errors
from ipshub.tenancy.access import scoped_view
from ipshub.tenancy.models import Person


def _person(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


@scoped_view
def token_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    form = forms.TokenForm(request.POST or None)
    new_key, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_key = services.token_create(actor=person, person=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                form = forms.TokenForm()
                status = 200
        if not new_key:
            status = 400
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": access.tokens_visible_to(person), "new_key": new_key},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page may carry a new key
    return response


@require_POST
@scoped_view
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    person = _person(request)
    token = access.get_token_for(person, token_id)
    try:
        services.token_revoke(actor=person, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The token '{token.name}' was revoked: it no longer works.")
    return redirect("tokens:list")
