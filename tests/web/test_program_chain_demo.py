"""The demo tells the story: Pine County's TA since its latest fidelity report names the action-plan items it
works on, so its chain page leads from finding to result; the state's exchange page pools an imported
neighbouring state's aggregates and says how many of its program-quarters were left out."""

import pytest
from django.urls import reverse

from ipshub.collaboration.models import TAActivity
from ipshub.tenancy.models import Person, Program

pytestmark = pytest.mark.django_db


def test_the_demo_chain_and_exchange(demo: None, client) -> None:  # type: ignore[no-untyped-def]
    pine = Program.objects.get(name="Pine County IPS")
    linked = TAActivity.objects.filter(program=pine).exclude(action_item_ids=[])
    assert linked.exists()
    client.force_login(Person.objects.get(username="statelead"))
    chain = client.get(reverse("program_fidelity_chain", args=[pine.pk])).content.decode()
    assert "Finding of the" in chain and linked.first().topics[:40] in chain  # type: ignore[union-attr]
    exchange = client.get(reverse("outcomes:exchange")).content.decode()
    assert "northridge-ips-hub" in exchange
