import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.world import PASSWORD, World, build_world


@pytest.mark.django_db
def test_search_finds_only_what_the_person_may_see(world: World, client_for) -> None:
    def titles(persona: str, q: str) -> set[str]:
        response = client_for(world.people[persona]).get(reverse("search"), {"q": q})
        return {r.title for group in response.context["groups"].values() for r in group}

    assert "Program P1" in titles("director", "program")
    assert "Program P1" not in titles("other_agency_director", "program")
    assert titles("other_state_lead", "program") == {"Program PB"}
    assert "Director Tester" in titles("case_manager", "director")
    assert "Director Tester" not in titles("other_state_admin", "director")
    response = client_for(world.people["director"]).get(reverse("search"), {"q": "p"})
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
