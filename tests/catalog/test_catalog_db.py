"""The catalog loaded into the database mirrors the data files, once, whatever the number of loads."""

import pytest
from django.urls import reverse

from ipshub.catalog import models, seedfiles, selectors
from ipshub.catalog.services import catalog_load

pytestmark = pytest.mark.django_db

EXPECTED = {  # (phase, party) → count, from shared/seeds/README.md
    ("prior", "state_team"): 3,
    ("prior", "mh_agency"): 7,
    ("prior", "employment_provider"): 3,
    ("prior", "dvr"): 4,
    ("implementation", "state_team"): 3,
    ("implementation", "mh_agency"): 9,
    ("implementation", "employment_provider"): 6,
    ("implementation", "dvr"): 8,
    ("ongoing", "state_team"): 6,
    ("ongoing", "mh_agency"): 11,
    ("ongoing", "employment_provider"): 15,
    ("ongoing", "dvr"): 5,
    ("fidelity", "state_team"): 3,
    ("fidelity", "mh_agency"): 8,
    ("fidelity", "employment_provider"): 5,
    ("fidelity", "dvr"): 2,
}


def test_load_is_exact_and_idempotent() -> None:
    assert catalog_load() == {"roadmap": True, "roles": True}
    assert catalog_load() == {"roadmap": False, "roles": False}
    assert models.Stage.objects.count() == 10
    assert models.LeaderQuestion.objects.count() == 12
    assert models.Party.objects.count() == 4 and models.Phase.objects.count() == 4
    assert models.Responsibility.objects.count() == 98
    assert selectors.responsibility_counts() == EXPECTED
    roadmap = seedfiles.load_roadmap()
    assert models.Strategy.objects.count() == sum(len(s.strategies) for s in roadmap.stages)
    assert models.Tool.objects.count() == sum(len(s.tools) for s in roadmap.stages)


def test_a_new_version_becomes_current_and_keeps_the_old(tmp_path) -> None:
    catalog_load()
    roles = seedfiles.load_roles()
    newer = seedfiles.Roles(
        version="roles-2027",
        title=roles.title,
        revised="2027-01-01",
        parties=roles.parties,
        phases=roles.phases,
        responsibilities=roles.responsibilities[:-1],
    )
    assert catalog_load(roles=newer) == {"roadmap": False, "roles": True}
    assert models.CatalogVersion.objects.filter(document="roles").count() == 2
    assert sum(selectors.responsibility_counts().values()) == 97
    assert models.Responsibility.objects.count() == 98 + 97


def test_catalog_pages_show_the_counts(world, client_for) -> None:
    client = client_for(world.people["specialist"])
    roles_page = client.get(reverse("catalog:roles")).content.decode()
    assert "98 in all" in roles_page
    stage = client.get(reverse("catalog:stage_detail", args=[1])).content.decode()
    assert "Assess readiness to implement" in stage and "Define terms for common language." in stage
    assert client.get(reverse("catalog:stage_detail", args=[11])).status_code == 404
    questions = client.get(reverse("catalog:questions")).content.decode()
    assert questions.count("<li>") >= 12
