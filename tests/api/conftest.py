from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from ipshub.api import services
from ipshub.tenancy.models import Person


@pytest.fixture
def token_for(db: None) -> Callable[[Person], str]:
    """A new API token key for the person."""

    def make(person: Person, name: str = "Test token") -> str:
        return services.token_create(actor=person, person=person, name=name)[1]

    return make


@pytest.fixture
def api(token_for) -> Callable[[Person], APIClient]:
    """An API client sending a fresh token of the person."""

    def make(person: Person) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(person)}")
        return client

    return make
