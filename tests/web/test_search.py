import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.world import PASSWORD, World, build_world


@pytest.mark.django_db
def test_search_finds_only_what_the_person_may_see(world: World, client_for) -> None:
    def titles(persona: str, q: str) -> set[str]:
        response = client_for(world.people[persona]).post(reverse("search"), {"q": q}, follow=True)
        return {r.title for group in response.context["groups"].values() for r in group}

    assert "Program P1" in titles("director", "program")
    assert "Program P1" not in titles("other_agency_director", "program")
    assert titles("other_state_lead", "program") == {"Program PB"}
    assert "Director Tester" in titles("case_manager", "director")
    assert "Director Tester" not in titles("other_state_admin", "director")
    response = client_for(world.people["director"]).post(reverse("search"), {"q": "p"}, follow=True)
    assert "Type at least 2 letters." in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_slash_jumps_to_search_from_the_keyboard(ui) -> None:
    build_world()
    page = ui.sign_in("state_lead", PASSWORD)
    page.keyboard.press("/")
    expect(page.locator("#site-search")).to_be_focused()
    page.keyboard.type("harbor")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("link", name="A Harbor Behavioral Health")).to_be_visible()


def test_the_search_term_never_reaches_a_url(world: World, client_for) -> None:
    client = client_for(world.people["director"])
    response = client.post(reverse("search"), {"q": "Program P1"})
    assert response.status_code == 302
    location = response["Location"]
    assert "Program" not in location and "P1" not in location and "?s=" in location
    page = client.get(location).content.decode()
    assert "Program P1" in page  # the term is remembered in the session, behind the key
    assert client.get(reverse("search") + "?q=Program+P1").content.decode().count("Program P1") == 0
    stranger = client_for(world.people["other_state_lead"])
    assert "Program P1" not in stranger.get(location).content.decode()  # a key means nothing in another session
