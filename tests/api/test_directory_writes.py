"""The directory's writes through the API (api/directory_views.py): organizations, people and their roles, as on
the web's directory pages. Each goes through the tenancy service (the audit event exists), is the administrators'
(a state lead reads the directory but gets 403), answers 404 to people of another agency and another state, and
refuses bad input with a 400 naming the field; updates need If-Match (428 without, 412 when stale)."""

from typing import Any

import pytest

from ipshub.audit.models import AuditEvent
from ipshub.tenancy.models import Membership, Organization, Person
from ipshub.tenancy.roles import OrgKind, Role
from tests.api.test_api import assert_error, current_etag
from tests.world import World

pytestmark = pytest.mark.django_db
OUTSIDERS = ("other_agency_director", "other_state_admin", "other_state_lead")
NEW_ORG = {"kind": OrgKind.MH_AGENCY, "name": "A Cedar Valley Services", "region": "South", "county": "Cedar"}


def _audited(action: str, obj: Any) -> int:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).count()


# --- Organizations --------------------------------------------------------------------------------


def test_an_administrator_adds_an_organization_in_their_state(world: World, api) -> None:
    response = api(world.admin).post("/api/v1/organizations/", NEW_ORG, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["state"]["id"], body["kind"]) == (NEW_ORG["name"], world.state_a.pk, "mh_agency")
    assert response["ETag"] == f'"organization-{body["id"]}-v1"'
    organization = Organization.objects.get(pk=body["id"])
    assert _audited("organization.create", organization) == 1


def test_adding_an_organization_refuses_bad_input_with_the_web_messages(world: World, api) -> None:
    admin = api(world.admin)
    url = "/api/v1/organizations/"
    error = assert_error(
        admin.post(url, {**NEW_ORG, "kind": OrgKind.DVR_OFFICE, "is_tribal": True}, format="json"), 400
    )
    assert error["fields"] == {"is_tribal": ["Only a mental health agency can be marked tribal."]}
    error = assert_error(admin.post(url, {**NEW_ORG, "name": "a pine county human services"}, format="json"), 400)
    assert error["fields"]["name"] == [
        "State A already has an organization named 'a pine county human services'. Choose another name."
    ]
    error = assert_error(admin.post(url, {**NEW_ORG, "state": world.state_b.pk}, format="json"), 400)
    assert set(error["fields"]) == {"state"}
    error = assert_error(admin.post(url, {**NEW_ORG, "kind": "club", "email": "nope", "id": 3}, format="json"), 400)
    assert set(error["fields"]) == {"kind", "email", "id"}
    assert_error(admin.post(url, {}, format="json"), 400)
    assert not Organization.objects.filter(name__iexact=NEW_ORG["name"]).exists()


def test_only_administrators_add_organizations(world: World, api) -> None:
    for who in ("state_lead", "director", "specialist"):
        assert_error(api(world.people[who]).post("/api/v1/organizations/", NEW_ORG, format="json"), 403)
    assert not AuditEvent.objects.filter(action="organization.create").exists()


def test_an_administrator_changes_an_organization_with_its_version(world: World, api) -> None:
    admin = api(world.admin)
    organization = world.orgs["mh1"]
    url = f"/api/v1/organizations/{organization.pk}/"
    etag = current_etag(admin, url)
    assert etag == f'"organization-{organization.pk}-v{organization.version}"'
    assert_error(admin.patch(url, {"phone": "555-0100"}, format="json"), 428, "precondition_required")
    response = admin.patch(url, {"phone": "555-0100", "region": "Coast"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert (response.json()["phone"], response.json()["region"]) == ("555-0100", "Coast")
    assert response["ETag"] != etag and response["ETag"] == current_etag(admin, url)
    event = AuditEvent.objects.get(action="organization.update", object_id=str(organization.pk))
    assert sorted(event.detail["changed"]) == ["phone", "region"]
    stale = admin.patch(url, {"phone": "555-0199"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["error"]["current_version"] == organization.version + 1
    organization.refresh_from_db()
    assert organization.phone == "555-0100"


def test_changing_an_organization_refuses_bad_input_readers_and_outsiders(world: World, api) -> None:
    admin = api(world.admin)
    organization = world.orgs["provider1"]
    url = f"/api/v1/organizations/{organization.pk}/"
    headers = {"HTTP_IF_MATCH": current_etag(admin, url)}
    error = assert_error(admin.patch(url, {"is_tribal": True, "kind": "mh_agency"}, format="json", **headers), 400)
    assert error["fields"] == {
        "kind": ["This operation does not take this field."],
    }
    error = assert_error(admin.patch(url, {"is_tribal": True}, format="json", **headers), 400)
    assert error["fields"] == {"is_tribal": ["Only a mental health agency can be marked tribal."]}
    error = assert_error(admin.patch(url, {"name": "A DVR Pine Office"}, format="json", **headers), 400)
    assert "already has an organization named" in error["fields"]["name"][0]
    # A reader is refused before the version is asked for.
    assert_error(api(world.state_lead).patch(url, {"phone": "1"}, format="json"), 403)
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).patch(url, {"phone": "1"}, format="json", **headers), 404)
    assert not AuditEvent.objects.filter(action="organization.update").exists()


# --- People ---------------------------------------------------------------------------------------

NEW_PERSON = {
    "username": "jrivera",
    "first_name": "Jo",
    "last_name": "Rivera",
    "email": "jo@example.test",
    "title": "Employment specialist",
    "role": Role.EMPLOYMENT_SPECIALIST,
}


def test_an_administrator_adds_a_person_with_their_first_role(world: World, api) -> None:
    body = {**NEW_PERSON, "organization": world.orgs["provider1"].pk, "password": "correct-horse-battery-9"}
    response = api(world.admin).post("/api/v1/people/", body, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert "password" not in made
    assert [m["organization"]["id"] for m in made["memberships"]] == [world.orgs["provider1"].pk]
    person = Person.objects.get(username="jrivera")
    assert person.check_password("correct-horse-battery-9")
    assert _audited("person.create", person) == 1
    assert AuditEvent.objects.filter(action="membership.add").count() == 1


def test_adding_a_person_refuses_bad_input_with_the_web_messages(world: World, api) -> None:
    admin = api(world.admin)
    url = "/api/v1/people/"
    good = {**NEW_PERSON, "organization": world.orgs["provider1"].pk}
    error = assert_error(admin.post(url, {**good, "organization": world.orgs["dvr1"].pk}, format="json"), 400)
    assert error["fields"]["role"][0].startswith("A dvr office can't have the role 'Employment specialist'.")
    error = assert_error(admin.post(url, {**good, "username": "DIRECTOR"}, format="json"), 400)
    assert error["fields"] == {"username": ["The username 'DIRECTOR' is taken. Choose another."]}
    error = assert_error(admin.post(url, {**good, "password": "password"}, format="json"), 400)
    assert set(error["fields"]) == {"password"}
    error = assert_error(admin.post(url, {**good, "organization": world.orgs["mh_b"].pk}, format="json"), 400)
    assert set(error["fields"]) == {"organization"}
    error = assert_error(admin.post(url, {**good, "is_superuser": True, "email": "x"}, format="json"), 400)
    assert set(error["fields"]) == {"is_superuser", "email"}
    assert_error(api(world.state_lead).post(url, good, format="json"), 403)
    assert not Person.objects.filter(username="jrivera").exists()


def test_an_administrator_changes_a_person_with_their_version(world: World, api) -> None:
    admin = api(world.admin)
    subject = world.specialist
    url = f"/api/v1/people/{subject.pk}/"
    etag = current_etag(admin, url)
    assert_error(admin.patch(url, {"title": "Senior specialist"}, format="json"), 428, "precondition_required")
    response = admin.patch(url, {"title": "Senior specialist"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Senior specialist" and response["ETag"] == current_etag(admin, url)
    event = AuditEvent.objects.get(action="person.update", object_id=str(subject.pk))
    assert event.detail["changed"] == ["title"]
    stale = admin.patch(url, {"is_active": False}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["error"]["etag"] == response["ETag"]
    subject.refresh_from_db()
    assert subject.is_active
    # Deactivating: the person's token stops working at once.
    specialist = api(subject)
    assert specialist.get("/api/v1/me/").status_code == 200
    response = admin.patch(url, {"is_active": False}, format="json", HTTP_IF_MATCH=current_etag(admin, url))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert specialist.get("/api/v1/me/").status_code == 401


def test_changing_a_person_refuses_bad_input_readers_and_outsiders(world: World, api) -> None:
    admin = api(world.admin)
    url = f"/api/v1/people/{world.director.pk}/"
    headers = {"HTTP_IF_MATCH": current_etag(admin, url)}
    error = assert_error(admin.patch(url, {"username": "boss", "email": "nope"}, format="json", **headers), 400)
    assert set(error["fields"]) == {"username", "email"}
    error = assert_error(admin.patch(url, {"first_name": ""}, format="json", **headers), 400)
    assert set(error["fields"]) == {"first_name"}
    for who in ("state_lead", "director"):
        assert_error(api(world.people[who]).patch(url, {"title": "X"}, format="json"), 403)
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).patch(url, {"title": "X"}, format="json", **headers), 404)
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_an_administrator_of_one_state_does_not_change_someone_who_also_works_in_another(world: World, api) -> None:
    subject = world.trainer
    Membership.objects.create(person=subject, organization=world.orgs["team_b"], role=Role.STATE_TRAINER)
    url = f"/api/v1/people/{subject.pk}/"
    admin = api(world.admin)
    error = assert_error(admin.patch(url, {"title": "X"}, format="json", HTTP_IF_MATCH=current_etag(admin, url)), 403)
    assert "administrator" in error["message"]


# --- Memberships ----------------------------------------------------------------------------------


def test_an_administrator_gives_and_ends_a_role(world: World, api) -> None:
    admin = api(world.admin)
    subject = world.case_manager
    url = f"/api/v1/people/{subject.pk}/memberships/"
    response = admin.post(url, {"organization": world.orgs["mh1"].pk, "role": Role.IPS_SUPERVISOR}, format="json")
    assert response.status_code == 201, response.content
    added = response.json()
    assert (added["role"], added["is_active"], added["organization"]["state"]["code"]) == ("ips_supervisor", True, "AA")
    membership = Membership.objects.get(pk=added["id"])
    assert _audited("membership.add", membership) == 1
    listed = api(subject).get(url)  # a person reads their own roles
    assert listed.status_code == 200 and {m["role"] for m in listed.json()} == {"case_manager", "ips_supervisor"}
    end = f"{url}{membership.pk}/end/"
    response = admin.post(end, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False and response.json()["ended_on"]
    assert _audited("membership.end", membership) == 1
    error = assert_error(admin.post(end, format="json"), 400)
    assert error["message"].startswith("This role already ended on ")
    assert _audited("membership.end", membership) == 1
    # A role that ended starts again.
    again = admin.post(url, {"organization": world.orgs["mh1"].pk, "role": Role.IPS_SUPERVISOR}, format="json")
    assert again.status_code == 201 and again.json()["id"] == membership.pk and again.json()["is_active"]


def test_roles_refuse_bad_input_readers_and_outsiders(world: World, api) -> None:
    admin = api(world.admin)
    subject = world.case_manager
    url = f"/api/v1/people/{subject.pk}/memberships/"
    error = assert_error(
        admin.post(url, {"organization": world.orgs["dvr1"].pk, "role": "case_manager"}, format="json"), 400
    )
    assert error["fields"]["role"][0].startswith("A dvr office can't have the role")
    error = assert_error(
        admin.post(url, {"organization": world.orgs["mh1"].pk, "role": "case_manager"}, format="json"), 400
    )
    assert error["fields"]["role"] == [f"{subject} already has this role at {world.orgs['mh1']}."]
    error = assert_error(
        admin.post(url, {"organization": world.orgs["mh_b"].pk, "role": "boss", "x": 1}, format="json"), 400
    )
    assert set(error["fields"]) == {"organization", "role", "x"}
    seat = subject.memberships.get()
    end = f"{url}{seat.pk}/end/"
    assert_error(admin.post(end, {"why": "moved"}, format="json"), 400)
    assert_error(
        admin.post(f"{url}{world.director.memberships.get().pk}/end/", format="json"), 404
    )  # another person's role
    for who in ("state_lead", "director"):
        client = api(world.people[who])
        assert client.get(url).status_code == 200
        assert_error(
            client.post(url, {"organization": world.orgs["mh1"].pk, "role": "ips_supervisor"}, format="json"), 403
        )
        assert_error(client.post(end, format="json"), 403)
    for who in OUTSIDERS:
        client = api(world.people[who])
        assert_error(client.get(url), 404)
        assert_error(
            client.post(url, {"organization": world.orgs["mh1"].pk, "role": "ips_supervisor"}, format="json"), 404
        )
        assert_error(client.post(end, format="json"), 404)
    assert subject.memberships.get().is_active
    assert not AuditEvent.objects.filter(action__in=("membership.add", "membership.end")).exists()


def test_the_web_page_refuses_to_end_a_role_twice(world: World, client_for) -> None:
    """Ending an ended role again would have moved its end date; the web page says so instead."""
    seat = world.case_manager.memberships.get()
    page = client_for(world.admin)
    url = f"/directory/people/{world.case_manager.pk}/memberships/{seat.pk}/end/"
    assert page.post(url).status_code == 302
    response = page.post(url, follow=True)
    assert response.status_code == 200 and "This role already ended on" in response.content.decode()
    assert AuditEvent.objects.filter(action="membership.end").count() == 1
