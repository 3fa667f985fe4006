"""Sign-in security: throttling, two-factor, session limits, headers."""

import datetime
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipshub.accounts.checks import mfa_is_required
from ipshub.accounts.enrolment import enrolment_code_issue
from ipshub.accounts.middleware import RENEWED_AT, SIGNED_IN_AT
from ipshub.accounts.sessions import PersonSession as Session
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def totp_code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_security_headers(world: World, client_for) -> None:
    anonymous = Client().get(reverse("login"))
    assert "script-src 'self'" in anonymous["Content-Security-Policy"]
    assert "unsafe-inline" not in anonymous["Content-Security-Policy"]
    assert anonymous["X-Frame-Options"] == "DENY"
    page = client_for(world.people["director"]).get(reverse("home"))
    assert page["Cache-Control"] == "no-store"


def test_throttle_per_username(world: World) -> None:
    client = Client()
    for _ in range(5):
        assert sign_in(client, "director", "wrong").status_code == 200
    blocked = sign_in(client, "director")  # even the right password is refused for now
    assert blocked.status_code == 429
    assert "Too many failed sign-ins for this username from this address; try again in 15 minutes" in (
        blocked.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert sign_in(Client(), "specialist").status_code == 302  # another username is unaffected
    assert sign_in(Client(), "director", ip="10.0.0.2").status_code == 302  # so is another address


def test_throttle_per_address(world: World, settings) -> None:
    settings.IPSHUB_LOGIN_MAX_PER_ADDRESS = 3
    for name in ("a1", "a2", "a3"):
        sign_in(Client(), name, "wrong", ip="10.9.9.9")
    assert sign_in(Client(), "specialist", ip="10.9.9.9").status_code == 429
    assert sign_in(Client(), "specialist", ip="10.9.9.10").status_code == 302


def test_absolute_session_limit(world: World, client_for, settings) -> None:
    client = client_for(world.people["director"])
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.IPSHUB_SESSION_MAX_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


def test_the_idle_timeout_is_renewed_at_most_once_a_minute(world: World, client_for, settings) -> None:
    client = client_for(world.people["director"])
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    assert client.get(reverse("home")).status_code == 200  # within the minute: no write
    assert Session.objects.get(session_key=key).expire_date == first
    session = client.session
    session[RENEWED_AT] = time.time() - settings.IPSHUB_SESSION_RENEW_SECONDS - 1
    session.save()
    saved = Session.objects.get(session_key=key).expire_date
    time.sleep(1.1)  # expiry dates are stored to the second on SQLite
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > saved


def test_an_idle_session_ends(world: World, client_for, settings) -> None:
    client = client_for(world.people["director"])
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_logout_and_password_change_end_sessions_on_the_server(world: World) -> None:
    first, second = Client(), Client()
    sign_in(first, "director")
    sign_in(second, "director")
    response = first.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200
    assert second.get(reverse("home")).status_code == 302  # the other session is over
    key = first.session.session_key
    first.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_common_and_short_passwords_are_refused(world: World, client_for) -> None:
    client = client_for(world.people["director"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "password123",
            "new_password2": "password123",
        },
    )
    assert "This password is too common." in response.content.decode()


def test_two_factor_enrolment_and_verification(world: World, settings) -> None:
    settings.IPSHUB_MFA_REQUIRED = True
    client = Client()
    sign_in(client, "specialist")
    # A password alone reaches nothing: every page sends the person to set up a second factor.
    for url in (reverse("home"), reverse("tenancy:program_list"), reverse("accounts:password_change")):
        assert client.get(url)["Location"] == reverse("accounts:mfa_setup")
    # Nor does it set up an authenticator: that needs an enrolment code (tests/accounts/test_enrolment.py).
    assert client.get(reverse("accounts:mfa_setup"))["Location"] == reverse("accounts:mfa_enrol")
    assert not TOTPDevice.objects.filter(user=world.people["specialist"]).exists()
    code = enrolment_code_issue(actor=world.people["admin"], person=world.people["specialist"])
    assert client.post(reverse("accounts:mfa_enrol"), {"code": code})["Location"] == reverse("accounts:mfa_setup")
    page = client.get(reverse("accounts:mfa_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.people["specialist"], confirmed=False)
    wrong = client.post(reverse("accounts:mfa_setup"), {"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a person takes longer than django-otp's 1-second back-off to type again
    done = client.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("home")).status_code == 200

    # Next sign-in: verify with a backup code, which then stops working.
    again = Client()
    sign_in(again, "specialist")
    assert again.get(reverse("home"))["Location"] == reverse("accounts:mfa_verify")
    assert again.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 302
    assert again.get(reverse("home")).status_code == 200
    third = Client()
    sign_in(third, "specialist")
    reused = third.post(reverse("accounts:mfa_verify"), {"code": codes[0]})
    assert reused.status_code == 400 and "used already" in reused.content.decode()


def test_deploy_check_refuses_mfa_off(settings) -> None:
    settings.IPSHUB_MFA_REQUIRED = False
    assert [e.id for e in mfa_is_required(None)] == ["ipshub.E001"]
    settings.IPSHUB_MFA_REQUIRED = True
    assert mfa_is_required(None) == []


# --- Sessions that load their person (accounts/sessions.py) ------------------------------------------


def test_a_signed_in_request_loads_session_and_person_in_one_query(world: World) -> None:
    client = Client()
    sign_in(client, "director")
    row = Session.objects.get(session_key=client.session.session_key)
    assert row.person_id == world.people["director"].pk
    client.get(reverse("ping"))  # the first request after sign-in renews the idle timeout (a write)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("ping")).status_code == 200  # the middleware reads request.user
    assert len(queries) == 1, [q["sql"][:120] for q in queries]
    assert "tenancy_person" in queries[0]["sql"] and "ipshub_session" in queries[0]["sql"]


def test_the_session_still_verifies_as_django_checks_it(world: World, settings) -> None:
    client = Client()
    sign_in(client, "director")
    assert client.get(reverse("home")).status_code == 200
    # A rotated secret: the old one among the fallbacks keeps the session (Django re-signs it), without it
    # the session is over.
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-" + "x" * 40, [old]
    assert client.get(reverse("home")).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(reverse("home")).status_code == 200  # re-signed with the new secret above
    settings.SECRET_KEY = "yet-another-secret-" + "y" * 40
    assert client.get(reverse("home")).status_code == 302


def test_deactivation_ends_only_that_persons_sessions(world: World) -> None:
    from ipshub.tenancy.services import person_update

    director, specialist = Client(), Client()
    sign_in(director, "director")
    sign_in(specialist, "specialist")
    person_update(actor=world.people["admin"], person=world.people["director"], is_active=False)
    assert not Session.objects.filter(person=world.people["director"]).exists()
    assert director.get(reverse("home")).status_code == 302
    assert specialist.get(reverse("home")).status_code == 200
