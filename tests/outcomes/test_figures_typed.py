"""The report's figure columns come from one declaration (outcomes/figures.py); the type checker reads their types
from annotations on the model, which must name the same figures, in the same order, with the right types."""

from decimal import Decimal
from typing import get_type_hints

from ipshub.outcomes import figures
from ipshub.outcomes.models import QuarterlyReport, ReportFigures


def test_the_typed_columns_are_the_declared_figures() -> None:
    hints = {
        name: hint for name, hint in get_type_hints(ReportFigures).items() if name in ReportFigures.__annotations__
    }
    assert list(hints) == [figure.name for figure in figures.FIGURES]
    for figure in figures.FIGURES:
        assert hints[figure.name] == (int if figure.is_count else Decimal | None), figure.name
        assert QuarterlyReport._meta.get_field(figure.name)  # and each is a real column
