"""Objects of program P1 / state A for the URL keywords of the API and the token pages."""

from ipshub.api import services
from tests.world import World


def object_ids(world: World) -> dict[str, int]:
    director = world.people["director"]
    token, _key = services.token_create(actor=director, person=director, name="Director's export")
    return {"token_id": token.pk}
