"""Two people edit DVR records at once: the catalog edit based on an older version is refused with both
versions shown; two extensions from pages loaded at the same time both count (neither is lost)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ipshub.dvr import selectors, services
from ipshub.dvr.models import Authorization, CatalogVersion
from ipshub.lib.concurrency import EditConflict
from tests.dvr.factories import authorize, shared_client

pytestmark = pytest.mark.django_db


def test_a_catalog_edit_based_on_an_older_version_is_refused(world, client_for) -> None:
    state = world.state_a
    first = services.catalog_current(state)
    text = selectors.catalog_text(first)
    services.catalog_update(
        actor=world.people["admin"],
        state=state,
        text=text.replace("amount: '500.00'", "amount: '650.00'"),
        note="Rate rise",
        expected_version=first.version,
    )
    with pytest.raises(EditConflict) as caught:
        services.catalog_update(
            actor=world.people["admin"],
            state=state,
            text=text.replace("amount: '500.00'", "amount: '525.00'"),
            note="Smaller rise",
            expected_version=first.version,
        )
    assert caught.value.current_version == 2 and "650.00" in caught.value.saved["text"]
    assert CatalogVersion.objects.filter(state=state).count() == 2

    # The page: a 409 with both notes, the form moved onto version 2, nothing saved.
    url = reverse("dvr:catalog_edit", kwargs={"state_id": state.pk})
    response = client_for(world.people["admin"]).post(
        url, {"text": text.replace("amount: '500.00'", "amount: '525.00'"), "note": "Smaller rise", "version": "1"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record" in page and "Rate rise" in page and "Smaller rise" in page
    assert 'name="version" value="2"' in page
    assert CatalogVersion.objects.filter(state=state).count() == 2


def test_two_extensions_from_pages_loaded_together_both_count(world) -> None:
    authorization = authorize(world, shared_client(world), started=100, ends_in=10)
    units, ends = authorization.units, authorization.ends_on
    loaded_twice = Authorization.objects.get(pk=authorization.pk)
    services.authorization_extend(
        actor=world.people["counselor"],
        authorization=authorization,
        ends_on=ends + datetime.timedelta(days=30),
        added_units=Decimal(2),
        reason="Employer delayed the start",
    )
    # The second page still shows the old end and units: the service works on the saved row.
    services.authorization_extend(
        actor=world.people["counselor"],
        authorization=loaded_twice,
        ends_on=ends + datetime.timedelta(days=40),
        added_units=Decimal(3),
        reason="Another delay",
    )
    authorization.refresh_from_db()
    assert authorization.units == units + 5 and authorization.ends_on == ends + datetime.timedelta(days=40)
    assert authorization.extensions.count() == 2
