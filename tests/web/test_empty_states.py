"""Empty states: every main list page, seen by people with no records yet, says what to do next.

The persona world has programs and people but no clients, contacts, reviews, reports, meetings or
authorizations, so each list below is empty for the person who opens it."""

import re

import pytest

EMPTY_MESSAGE = re.compile(
    r'<div class="usa-alert usa-alert--info usa-alert--no-icon ipshub-empty">\s*'
    r'<div class="usa-alert__body">\s*<p class="usa-alert__text">(.*?)</p>',
    re.S,
)

# A next step: what to press or change, or when the list fills by itself.
NEXT_STEP = re.compile(r"\b(clear|add|refer|log|open|choose|try|record|start|starts|schedule|submit|appear)\b", re.I)
# Empty because all is well: there is nothing to do.
GOOD_NEWS = {
    "No program is flagged in this period.",
    "Nobody has used emergency access.",
    "Nothing comes due in the next two weeks.",
    "You have completed all the training your roles require.",
}

# (persona, page) — the main list pages of each area.
PAGES = [
    ("specialist", "/clients/"),
    ("specialist", "/employers/"),
    ("specialist", "/employer-contacts/"),
    ("specialist", "/implementation/mine/"),
    ("supervisor", "/clients/?q=nobody"),
    ("counselor", "/clients/shared/"),
    ("counselor", "/dvr/"),
    ("counselor", "/dvr/clients/"),
    ("state_lead", "/fidelity/"),
    ("state_lead", "/outcomes/"),
    ("state_lead", "/collaboration/"),
    ("state_lead", "/collaboration/training/"),
    ("state_lead", "/implementation/library/"),
    ("state_lead", "/implementation/?q=nothing-like-this"),
    ("state_lead", "/programs/?q=nothing-like-this"),
    ("director", "/collaboration/reminders/"),
    ("admin", "/audit/break-glass/"),
    ("admin", "/directory/people/?q=nothing-like-this"),
    ("admin", "/directory/organizations/?q=nothing-like-this"),
    ("specialist", "/search/"),  # searched for "nothing-like-this" first: see the test
]


@pytest.mark.parametrize(("persona", "path"), PAGES, ids=[f"{p}:{u}" for p, u in PAGES])
def test_an_empty_list_says_what_to_do_next(world, client_for, persona, path) -> None:
    client = client_for(world.people[persona])
    search = path == "/search/"
    response = client.post(path, {"q": "nothing-like-this"}, follow=True) if search else client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    html = response.content.decode()
    messages = [re.sub(r"\s+", " ", m).strip() for m in EMPTY_MESSAGE.findall(html)]
    assert messages, f"{path} shows no empty-state message to {persona}"
    for message in messages:
        assert NEXT_STEP.search(message) or message in GOOD_NEWS, f"{path}: {message!r} does not say what to do next"
