import pytest
from django.core.management import call_command

from ipshub.demo.demo_state import DEMO_LOGINS, DEMO_PASSWORD
from ipshub.demo.scale import SCALES, generate
from ipshub.tenancy.models import Membership, Person, Phase, Program
from ipshub.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_setup_is_idempotent_and_covers_every_role(capsys) -> None:
    call_command("demo", "--no-serve")
    counts = (Person.objects.count(), Program.objects.count(), Membership.objects.count())
    call_command("demo", "--no-serve")
    assert (Person.objects.count(), Program.objects.count(), Membership.objects.count()) == counts
    out = capsys.readouterr().out
    assert "already set up (nothing added)" in out
    assert {login.role for login in DEMO_LOGINS} == set(Role.values)
    for login in DEMO_LOGINS:
        assert Person.objects.get(username=login.username).check_password(DEMO_PASSWORD)
    assert {p.phase for p in Program.objects.all()} == set(Phase.values)
    assert Program.objects.filter(mh_agency__is_tribal=True).exists()


def test_demo_refuses_a_bad_port() -> None:
    with pytest.raises(SystemExit):
        call_command("demo", "--port", "70000")


def test_seed_county_scale() -> None:
    counts = generate(SCALES["county"], progress=lambda _: None)
    assert counts["programs"] == 1 and counts["states"] == 1
    program = Program.objects.get()
    assert program.trainer is not None and program.dvr_offices.count() == 1
    assert Membership.objects.filter(role=Role.EMPLOYMENT_SPECIALIST).count() >= 3


def test_seed_twice_is_refused() -> None:
    from django.core.management.base import CommandError

    call_command("seed", "--scale", "county")
    with pytest.raises(CommandError, match="already in this database"):
        call_command("seed", "--scale", "county")
