"""Pages: access, bad input, exports, and fixed query counts on the board and lists."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.catalog.models import Strategy
from ipshub.implementation import services
from ipshub.implementation.models import Assignment, Evidence, PartnershipItem
from ipshub.tenancy.models import Organization, Phase, PhaseChange, Program
from ipshub.tenancy.roles import OrgKind
from tests.implementation.helpers import to_ongoing
from tests.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_programs(world: World, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        mh = Organization.objects.create(state=world.state_a, kind=OrgKind.MH_AGENCY, name=f"Agency {i}")
        program = Program.objects.create(
            state=world.state_a,
            name=f"Generated {i}",
            mh_agency=mh,
            phase=Phase.PRIOR,
            phase_since=datetime.date(2025, 1, 6),
        )
        program.dvr_offices.set([world.orgs["dvr1"]])
        PhaseChange.objects.create(program=program, to_phase=Phase.PRIOR, effective_on=program.phase_since)
        services.program_setup_sync(program)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    ["implementation:board", "implementation:board_csv", "implementation:mine", "implementation:library"],
)
def test_board_and_lists_run_a_fixed_number_of_queries(
    world: World, client_for, django_assert_num_queries, url_name
) -> None:
    person = world.state_lead if "board" in url_name else world.dvr_supervisor
    client = client_for(person)
    add_programs(world, 3)
    services.program_setup_sync(world.programs["p1"])
    url = reverse(url_name)
    small = count_queries(client, url)
    add_programs(world, 27, start=3)
    with django_assert_num_queries(small):
        client.get(url)


def test_program_pages_run_a_fixed_number_of_queries(world: World, client_for, django_assert_num_queries) -> None:
    program = world.programs["p1"]
    client = client_for(world.state_lead)
    to_ongoing(program, world.state_lead)
    urls = [
        reverse("implementation:program", args=[program.pk]),
        reverse("implementation:stage", args=[program.pk, 1]),
        reverse("implementation:assignments", args=[program.pk]),
        reverse("implementation:partnership", args=[program.pk]),
        reverse("implementation:timeline", args=[program.pk]),
        reverse("implementation:team", args=[program.pk]),
    ]
    before = [count_queries(client, url) for url in urls]
    for strategy in Strategy.objects.filter(stage__version__is_current=True)[:20]:
        services.strategy_progress_update(
            actor=world.trainer,
            program=program,
            strategy=strategy,
            status="done",
            notes="Done at the kick-off",
        )
        services.evidence_add(
            actor=world.trainer,
            program=program,
            strategy=strategy,
            title="Notes",
            link="https://example.org/n",
        )
    for assignment in Assignment.objects.filter(program=program)[:30]:
        services.assignment_update(
            actor=world.state_lead,
            assignment=assignment,
            status="done",
            due_on=assignment.due_on,
            comment="ok",
        )
    for i in range(5):
        services.steering_member_add(
            actor=world.trainer, program=program, name=f"Member {i}", role="employer", joined_on=None
        )
    for url, n in zip(urls, before, strict=True):
        with django_assert_num_queries(n):
            assert client.get(url).status_code == 200


def test_the_board_is_for_the_state_team(world: World, client_for) -> None:
    assert client_for(world.director).get(reverse("implementation:board")).status_code == 404
    response = client_for(world.other_state_lead).get(reverse("implementation:board"))
    assert "Program P1" not in response.content.decode()
    assert "Program PB" in response.content.decode()


def test_exports(world: World, client_for) -> None:
    program = world.programs["p1"]
    to_ongoing(program, world.state_lead)
    lead = client_for(world.state_lead)
    board_csv = lead.get(reverse("implementation:board_csv")).content.decode()
    assert board_csv.splitlines()[0].startswith("Program,Phase")
    assert "Program P1,Ongoing IPS service delivery" in board_csv
    pdf = lead.get(reverse("implementation:board_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    rows = lead.get(reverse("implementation:assignments_csv", args=[program.pk])).content.decode().splitlines()
    assert len(rows) == 1 + Assignment.objects.filter(program=program).count()
    assert lead.get(reverse("implementation:assignments_pdf", args=[program.pk])).content.startswith(b"%PDF")
    mine = client_for(world.dvr_supervisor).get(reverse("implementation:mine_csv") + "?show=all")
    dvr_items = Assignment.objects.filter(program=program, party_key="dvr").count()
    assert len(mine.content.decode().splitlines()) == 1 + dvr_items  # the DVR party's assignments
    assert client_for(world.dvr_supervisor).get(reverse("implementation:mine_pdf")).content.startswith(b"%PDF")


def test_a_failed_upload_keeps_what_was_typed(world: World, client_for) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.get(program=program, kind="service_agreement")
    url = reverse("implementation:partnership_evidence", args=[program.pk, item.pk])
    response = client_for(world.director).post(
        url, {"title": "Signed service agreement", "file": SimpleUploadedFile("agreement.exe", b"MZ")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a type IPS Hub accepts" in page
    assert 'value="Signed service agreement"' in page


def test_a_waiver_without_a_reason_keeps_what_was_typed(world: World, client_for) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.get(program=program, kind="billing")
    response = client_for(world.director).post(
        reverse("implementation:partnership_item", args=[program.pk, item.pk]),
        {
            "status": "waived",
            "notes": "Grant pays for now",
            "parties": "",
            "agreed_on": "",
            "waiver_reason": "",
        },
    )
    assert response.status_code == 400
    assert "Say why this item is waived" in response.content.decode()
    assert "Grant pays for now" in response.content.decode()


def test_evidence_is_served_only_through_the_access_layer(world: World, client_for) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.get(program=program, kind="service_agreement")
    evidence = services.evidence_add(
        actor=world.director,
        program=program,
        partnership_item=item,
        title="Agreement",
        file=SimpleUploadedFile("agreement.pdf", PDF),
    )
    url = reverse("implementation:evidence", args=[evidence.pk])
    response = client_for(world.counselor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    for outsider in ("other_agency_director", "other_state_lead", "other_state_admin"):
        assert client_for(world.people[outsider]).get(url).status_code == 404
    assert Evidence.objects.count() == 1


def test_members_who_may_read_get_403_on_writes(world: World, client_for) -> None:
    program = world.programs["p1"]
    services.program_setup_sync(program)
    item = PartnershipItem.objects.filter(program=program).first()
    assert item is not None
    counselor = client_for(world.counselor)
    assert counselor.get(reverse("implementation:partnership_item", args=[program.pk, item.pk])).status_code == 200
    url = reverse("implementation:partnership_item", args=[program.pk, item.pk])
    assert counselor.post(url, {"status": "done"}).status_code == 403
    mh_item = Assignment.objects.filter(program=program, party_key="mh_agency").first()
    assert mh_item is not None
    url = reverse("implementation:assignment", args=[mh_item.pk])
    assert counselor.post(url, {"status": "done", "due_on": "2025-03-01"}).status_code == 403
    assert counselor.post(reverse("implementation:phase_override", args=[program.pk])).status_code == 403


def test_home_panels(world: World, client_for) -> None:
    program = world.programs["p1"]
    services.program_setup_sync(program)
    lead_home = client_for(world.state_lead).get(reverse("home")).content.decode()
    assert "Implementation board" in lead_home
    director_home = client_for(world.director).get(reverse("home")).content.decode()
    assert "My responsibilities" in director_home and "Overdue" in director_home


def test_a_phase_override_dated_past_2199_is_refused_on_its_field(world: World, client_for) -> None:
    """A typing mistake: the phase's responsibilities, due days after it, would run off the calendar (a 500)."""
    program = world.programs["p1"]
    url = reverse("implementation:phase_override", args=[program.pk])
    body = {"to_phase": "implementation", "effective_on": "9999-12-31", "reason": "Typo"}
    response = client_for(world.state_lead).post(url, body)
    assert response.status_code == 400
    assert "Use a date between the years 1900 and 2199." in response.content.decode()
    program.refresh_from_db()
    assert program.phase == "prior"
