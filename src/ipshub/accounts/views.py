from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from ipshub.accounts import enrolment, mfa, throttle
from ipshub.accounts.forms import CodeForm, EnrolmentCodeForm
from ipshub.accounts.middleware import CLEAR_SITE_DATA
from ipshub.audit.services import audit_record
from ipshub.lib.client_address import client_address
from ipshub.lib.signed_in import person_of
from ipshub.tenancy.access import get_person_for, non_tenant_view, scoped_view
from ipshub.tenancy.models import Person
from ipshub.tenancy.views import person_page


class LogoutView(auth_views.LogoutView):
    """Sign-out, which also tells the browser to drop what it kept for the person (CLEAR_SITE_DATA)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "").strip()[:150]
        block = throttle.sign_in_block(username, client_address(request))
        if block is not None:
            audit_record(
                actor=None,
                action="login.blocked",
                summary=f"Sign-in refused as {username!r}: too many failures",
                detail={"username": username, "rule": block.rule},
            )
            form = self.get_form()
            # Refused before the password is even checked: show the message, keep the username.
            form._errors = ErrorDict()  # type: ignore[attr-defined]
            form.cleaned_data = {}
            form.add_error(None, block.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


@non_tenant_view
def mfa_verify(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if mfa.confirmed_totp(person) is None:
        return redirect("accounts:mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify(person, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            audit_record(actor=person, action="mfa.ok", obj=person, summary="Two-factor sign-in")
            return redirect("home")
        audit_record(actor=person, action="mfa.failed", obj=person, summary="Wrong two-factor code")
        form.add_error("code", "That code is not right (or was used already). Check your app and try again.")
    return render(request, "accounts/mfa_verify.html", {"form": form}, status=400 if form.errors else 200)


def _enrolment_unlocked(request: HttpRequest, person: Person) -> bool:
    """A first authenticator needs an enrolment code besides the password (accounts/enrolment.py)."""
    return not enrolment.needs_code(person) or request.session.get(enrolment.SESSION_KEY) == person.pk


@non_tenant_view
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if mfa.confirmed_totp(person) is not None or request.session.get(enrolment.SESSION_KEY) == person.pk:
        return redirect("accounts:mfa_setup")
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if enrolment.enrolment_code_use(person=person, code=form.cleaned_data["code"]):
            request.session[enrolment.SESSION_KEY] = person.pk
            return redirect("accounts:mfa_setup")
        form.add_error(
            "code",
            "That enrolment code is not right, has expired (codes last 24 hours) or was used already. "
            "Check it, or get a new one below.",
        )
    return render(
        request, "accounts/mfa_enrol.html", {"form": form, "person": person}, status=400 if form.errors else 200
    )


@require_POST
@non_tenant_view
def mfa_enrol_email(request: HttpRequest) -> HttpResponse:
    try:
        address = enrolment.enrolment_code_email(actor=person_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"We e-mailed a code to {address}. It works once, for 24 hours.")
    return redirect("accounts:mfa_enrol")


@non_tenant_view
def mfa_setup(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if mfa.confirmed_totp(person) is not None:
        if not request.user.is_verified():  # type: ignore[union-attr]
            # Replacing an authenticator needs the current one first.
            return redirect("accounts:mfa_verify")
    elif not _enrolment_unlocked(request, person):
        return redirect("accounts:mfa_enrol")
    # Made only now: the secret is not shown to someone who has given the password alone.
    device = mfa.pending_totp(person)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_confirm_totp(person=person, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(enrolment.SESSION_KEY, None)
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes})
        form.add_error(
            "code", "That code is not right. Codes change every 30 seconds: enter the one your app shows now."
        )
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": mfa.qr_svg(device),
            "secret": mfa.secret_text(device),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@non_tenant_view
def backup_codes_renew(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:mfa_verify")
    codes = mfa.mfa_new_backup_codes(person=person_of(request))
    messages.success(request, "New backup codes were made; the old ones no longer work.")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@require_POST
@scoped_view
def person_enrolment_code(request: HttpRequest, person_id: int) -> HttpResponse:
    """An administrator issues a person's enrolment code from that person's directory page.

    Shown once, on the person's page itself (never stored in plain text, never sent through a redirect).
    The address and URL name stay the directory's (ipshub/urls.py mounts `directory_urlpatterns` in the
    tenancy namespace); the view is here because issuing codes is accounts' work and tenancy is below it.
    """
    actor = person_of(request)
    subject = get_person_for(actor, person_id)
    try:
        code = enrolment.enrolment_code_issue(actor=actor, person=subject)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tenancy:person_detail", person_id=subject.pk)
    return person_page(request, actor, subject, enrolment_code=code)


@non_tenant_view
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"has_totp": mfa.confirmed_totp(person_of(request)) is not None})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password signs the person out of every other session (Django's session hash)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        person = person_of(self.request)
        audit_record(actor=person, action="password.change", obj=person)
        messages.success(self.request, "Your password was changed. Other sessions were signed out.")
        return response
