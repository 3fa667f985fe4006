"""Personal API tokens: stored hashed, shown once, refused when revoked, expired or deactivated; audited."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from ipshub.api import services
from ipshub.api.models import ApiToken
from ipshub.audit.models import AuditEvent
from ipshub.tenancy import services as tenancy_services
from tests.world import World

pytestmark = pytest.mark.django_db


def _get(key: str, path: str = "/api/v1/me/"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(path)


def test_the_key_is_shown_once_and_only_its_digest_is_stored(world: World) -> None:
    person = world.people["specialist"]
    token, key = services.token_create(actor=person, person=person, name="EHR export")
    assert key.startswith("ipsh_") and len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.name, stored.prefix, stored.key_digest}
    assert key.startswith(stored.prefix)
    response = _get(key)
    assert response.status_code == 200
    assert response.json()["person"]["username"] == "specialist"
    assert response.json()["token"] == "EHR export"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_creation_and_revocation_are_audited(world: World) -> None:
    person = world.people["director"]
    token, key = services.token_create(actor=person, person=person, name="Nightly")
    services.token_revoke(actor=person, token=token)
    events = AuditEvent.objects.filter(object_type="api.apitoken", object_id=str(token.pk))
    assert sorted(events.values_list("action", flat=True)) == ["api_token.create", "api_token.revoke"]
    assert all(e.actor_id == person.pk and e.state_id == world.state_a.pk for e in events)
    assert all(key not in str(e.detail) and key not in e.summary for e in events)


def test_revoked_expired_and_deactivated_tokens_stop_working(world: World) -> None:
    person = world.people["supervisor"]
    revoked, revoked_key = services.token_create(actor=person, person=person, name="Old")
    services.token_revoke(actor=person, token=revoked)
    expiring, expiring_key = services.token_create(
        actor=person,
        person=person,
        name="Short",
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    _live, live_key = services.token_create(actor=person, person=person, name="Live")
    assert _get(expiring_key).status_code == 200
    ApiToken.objects.filter(pk=expiring.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    for key in (revoked_key, expiring_key, "ipsh_not-a-real-key", ""):
        response = _get(key)
        assert response.status_code == 401, key
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["error"]["code"] in ("authentication_failed", "not_authenticated")
    assert _get(live_key).status_code == 200
    tenancy_services.person_update(actor=world.people["admin"], person=person, is_active=False)
    response = _get(live_key)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_malformed_headers_are_401_not_500(world: World) -> None:
    for header in ("Token", "Token a b", "Token \u00e9t\u00e9", "Bearer abc", "Basic Zm9vOmJhcg=="):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/programs/")
        assert response.status_code == 401, header
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


def test_a_signed_in_session_is_not_an_api_credential(world: World, client_for) -> None:
    response = client_for(world.people["admin"]).get("/api/v1/programs/")
    assert response.status_code == 401


def test_people_make_and_revoke_only_their_own_tokens(world: World) -> None:
    owner, other = world.people["director"], world.people["admin"]
    with pytest.raises(PermissionDenied):
        services.token_create(actor=other, person=owner, name="Sneaky")
    token, _ = services.token_create(actor=owner, person=owner, name="Mine")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=other, token=token)
    services.token_revoke(actor=owner, token=token)
    with pytest.raises(ValidationError, match="already revoked"):
        services.token_revoke(actor=owner, token=token)


@pytest.mark.parametrize(
    ("name", "expires", "field"),
    [("  ", None, "name"), ("x" * 101, None, "name"), ("Fine", datetime.date(2020, 1, 1), "expires_on")],
)
def test_bad_token_input_says_what_to_fix(world: World, name, expires, field) -> None:
    person = world.people["director"]
    with pytest.raises(ValidationError) as caught:
        services.token_create(actor=person, person=person, name=name, expires_on=expires)
    assert field in caught.value.message_dict


def test_the_command_prints_the_key_once_and_it_works(world: World) -> None:
    out, err = StringIO(), StringIO()
    call_command("token", "create", "STATE_LEAD", "--name", "Import script", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("ipsh_") and "\n" not in key
    assert "not shown again" in err.getvalue()
    assert _get(key).json()["person"]["username"] == "state_lead"
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor is None and event.actor_label == "command line"
    with pytest.raises(CommandError, match="No person"):
        call_command("token", "create", "nobody", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="not a date"):
        call_command("token", "create", "state_lead", "--expires", "soon", stdout=StringIO(), stderr=StringIO())


def test_the_token_pages_show_only_your_own_tokens(world: World, client_for) -> None:
    director, other = world.people["director"], world.people["other_agency_director"]
    token, _ = services.token_create(actor=director, person=director, name="Director export")
    page = client_for(other).get("/account/tokens/")
    assert page.status_code == 200 and b"Director export" not in page.content
    assert client_for(other).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    mine = client_for(director)
    response = mine.post("/account/tokens/", {"name": "Second", "expires_on": ""})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    assert key.startswith("ipsh_") and key.encode() in response.content
    assert mine.get("/account/tokens/").content.count(key.encode()) == 0
    bad = mine.post("/account/tokens/", {"name": "", "expires_on": "2020-01-01"})
    assert bad.status_code == 400
    assert mine.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
