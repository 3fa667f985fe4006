import pytest

from ipshub.catalog.models import CatalogVersion


@pytest.fixture(autouse=True)
def empty_catalog(request: pytest.FixtureRequest) -> None:
    """The catalog's tests load it themselves: they start from a database without it (tests/conftest.py loads it
    into every test database)."""
    if "django_db" in request.keywords:
        request.getfixturevalue("db")
        CatalogVersion.objects.all().delete()
