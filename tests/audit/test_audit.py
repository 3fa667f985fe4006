import pytest
from django.urls import reverse

from ipshub.audit.models import AppendOnlyError, AuditEvent
from ipshub.audit.services import audit_record
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_sign_ins_are_audited_with_address(world: World, client) -> None:
    client.post(reverse("login"), {"username": "director", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    failed = AuditEvent.objects.get(action="login.failed")
    assert failed.detail == {"username": "director"} and failed.ip == "10.1.2.3"
    assert "wrong" not in str(failed.detail) + failed.summary
    client.post(reverse("login"), {"username": "director", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    ok = AuditEvent.objects.get(action="login.ok")
    assert ok.actor == world.people["director"] and ok.path == "/accounts/login/"


def test_events_are_append_only(world: World) -> None:
    event = audit_record(actor=world.people["admin"], action="test.event", summary="x")
    event.summary = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
