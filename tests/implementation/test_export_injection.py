"""The state board and responsibility CSVs with formulas planted in program names: read back, every planted
name is quoted as text, and counts and dates are typed (#20)."""

import pytest
from django.urls import reverse

from tests.exports import check_csv, csv_rows, neutralised_texts, plant_program_names
from tests.implementation.helpers import to_ongoing
from tests.world import World

pytestmark = pytest.mark.django_db


def test_the_board_and_responsibility_exports_quote_planted_program_names(world: World, client_for) -> None:
    names = plant_program_names(world)
    to_ongoing(world.programs["p1"], world.state_lead)  # a program in service delivery has responsibilities
    lead = client_for(world.state_lead)
    board = csv_rows(lead.get(reverse("implementation:board_csv")))
    check_csv(board, planted=["Program"], numbers=["Open responsibilities", "Overdue"], dates=["Phase since"])
    assert set(names) <= neutralised_texts(board)
    responsibilities = csv_rows(lead.get(reverse("implementation:assignments_csv", args=[world.programs["p1"].pk])))
    check_csv(responsibilities, planted=["Program"], dates=["Due"])
