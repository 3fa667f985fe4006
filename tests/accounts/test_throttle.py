"""The client address behind proxies (lib/client_address.py) and a sign-in throttle nobody can use to lock
out someone else (accounts/throttle.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipshub.audit.models import AuditEvent
from ipshub.lib.client_address import client_address
from ipshub.lib.env import Env
from tests.accounts.test_security import totp_code
from tests.world import PASSWORD, World

PROXY = "10.0.0.5"
TRUSTED = Env({"P": "10.0.0.0/8, 127.0.0.1, ::1"}).networks("P")


def test_trusted_proxies_are_parsed_and_bad_values_refused_with_a_clear_message() -> None:
    assert [str(n) for n in TRUSTED] == ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]
    assert Env({}).networks("P") == ()
    with pytest.raises(ImproperlyConfigured, match=r"P: 'proxy.internal' is not an IP address or network"):
        Env({"P": "10.0.0.0/8,proxy.internal"}).networks("P")
    with pytest.raises(ImproperlyConfigured, match="has host bits set"):
        Env({"P": "10.0.0.1/8"}).networks("P")


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # one trusted proxy
        ("10.0.0.5", "198.51.100.1, 203.0.113.7, 10.0.0.4", "203.0.113.7"),  # forged hop left of the real one
        ("10.0.0.5", "203.0.113.7:51234", "203.0.113.7"),  # a proxy that adds the port
        ("10.0.0.5", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.5", "10.0.0.9, 10.0.0.4", "10.0.0.9"),  # every hop trusted: the left-most
        ("10.0.0.5", "203.0.113.7, not-an-address", "10.0.0.5"),  # a proxy wrote nonsense: stop at the proxy
        ("10.0.0.5", "", "10.0.0.5"),
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),  # an untrusted sender's header is ignored
    ],
)
def test_the_client_address_is_the_right_most_untrusted_hop(settings, remote, forwarded, expected) -> None:
    settings.IPSHUB_TRUSTED_PROXIES = TRUSTED
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_without_trusted_proxies_the_header_is_ignored(settings) -> None:
    settings.IPSHUB_TRUSTED_PROXIES = ()
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_address(request) == PROXY


def via_proxy(client_ip: str) -> Client:
    """A browser at `client_ip` reaching IPS Hub through the load balancer at PROXY."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.1, {client_ip}")


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_a_hundred_failures_from_one_address_behind_a_proxy_lock_out_nobody_else(world: World, settings) -> None:
    settings.IPSHUB_TRUSTED_PROXIES = TRUSTED
    settings.IPSHUB_MFA_REQUIRED = True
    victim = world.people["director"]
    device = TOTPDevice.objects.create(user=victim, name="Authenticator app", confirmed=True)
    attacker = via_proxy("203.0.113.66")
    statuses = [sign_in(attacker, "director" if i % 3 == 0 else f"someone{i}", "wrong").status_code for i in range(100)]
    # 5 failures for the victim's username, then it is refused from here; 30 in all, then the address is.
    assert statuses.count(200) == 30 and statuses[50:] == [429] * 50
    refused = sign_in(attacker, "director")  # the right password from the attacking address: refused
    assert refused.status_code == 429
    assert "Too many failed sign-ins from this address; try again in 15 minutes" in refused.content.decode()

    person = via_proxy("192.0.2.10")
    assert sign_in(person, "director").status_code == 302
    assert person.post(reverse("accounts:mfa_verify"), {"code": totp_code(device)}).status_code == 302
    assert person.get(reverse("home")).status_code == 200

    trail = AuditEvent.objects.filter(action__startswith="login.")
    assert set(trail.filter(action__in=["login.failed", "login.blocked"]).values_list("ip", flat=True)) == {
        "203.0.113.66"
    }
    assert trail.filter(action="login.failed").count() == 30
    assert trail.filter(action="login.failed", detail__username="director").count() == 5
    assert list(trail.filter(action="login.ok").values_list("ip", flat=True)) == ["192.0.2.10"]
    assert not AuditEvent.objects.filter(ip=PROXY).exists()
    assert AuditEvent.objects.get(action="mfa.ok").ip == "192.0.2.10"


@pytest.mark.django_db
def test_failures_spread_over_many_addresses_refuse_only_those_addresses(world: World, settings) -> None:
    settings.IPSHUB_TRUSTED_PROXIES = TRUSTED
    settings.IPSHUB_LOGIN_MAX_PER_USERNAME_TOTAL = 4
    for n in range(4):
        assert sign_in(via_proxy(f"203.0.113.{n}"), "director", "wrong").status_code == 200
    refused = sign_in(via_proxy("203.0.113.1"), "director")
    assert refused.status_code == 429
    assert "Too many failed sign-ins for this username; try again in 15 minutes" in refused.content.decode()
    assert sign_in(via_proxy("203.0.113.1"), "specialist").status_code == 302  # other usernames: unaffected
    assert sign_in(via_proxy("192.0.2.10"), "director").status_code == 302  # no failures here: through


@pytest.mark.django_db
def test_a_forged_forwarded_for_from_an_untrusted_address_is_ignored(world: World, settings) -> None:
    settings.IPSHUB_TRUSTED_PROXIES = TRUSTED
    settings.IPSHUB_LOGIN_MAX_PER_ADDRESS = 3
    for n in range(3):
        forger = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert sign_in(forger, f"someone{n}", "wrong").status_code == 200
    # A new forged address each time does not escape the throttle, and the trail holds the real sender.
    forger = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert sign_in(forger, "specialist").status_code == 429
    assert set(AuditEvent.objects.filter(action__startswith="login.").values_list("ip", flat=True)) == {"198.51.100.9"}
