import pytest

from ipshub.catalog.services import catalog_load
from ipshub.demo.scale import SCALES, generate
from ipshub.outcomes.models import QuarterlyReport, Status

pytestmark = pytest.mark.django_db


def test_demo_has_eight_accepted_quarters_one_returned_report_and_goals(demo: None) -> None:
    pine = QuarterlyReport.objects.filter(program__name="Pine County IPS")
    assert pine.filter(status=Status.ACCEPTED).count() == 8
    assert QuarterlyReport.objects.filter(status=Status.RETURNED).get().program.name == "Lake County IPS"
    assert not QuarterlyReport.objects.filter(program__name="Harbor City IPS").exists()  # still prior to implementation


def test_scale_gives_every_program_a_report_for_every_quarter() -> None:
    catalog_load()
    generate(SCALES["county"], seed=1, progress=lambda _: None)
    assert QuarterlyReport.objects.count() == SCALES["county"].programs * SCALES["county"].years * 4
