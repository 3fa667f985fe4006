"""The audit log page: filtered, and scoped to the states the administrator oversees."""

import pytest
from django.urls import reverse

from ipshub.audit.services import audit_record
from tests.world import World

pytestmark = pytest.mark.django_db


def test_audit_log_page_filters_and_scopes(world: World, client_for) -> None:
    audit_record(
        actor=world.people["admin"],
        action="program.update",
        obj=world.programs["p1"],
        state_id=world.state_a.pk,
    )
    audit_record(
        actor=world.people["other_state_admin"],
        action="program.update",
        obj=world.programs["pb"],
        state_id=world.state_b.pk,
    )
    client = client_for(world.people["admin"])
    page = client.get(reverse("audit:event_list"), {"action": "program."}).content.decode()
    assert f"tenancy.program:{world.programs['p1'].pk}" in page
    assert f"tenancy.program:{world.programs['pb'].pk}" not in page
    bad = client.get(reverse("audit:event_list"), {"since": "2026-02-01", "until": "2026-01-01"})
    assert "The end date is before the start date." in bad.content.decode()
    assert client_for(world.people["director"]).get(reverse("audit:event_list")).status_code == 403
