"""The quarterly outcome figures, each declared once.

A figure's name is its model column, form field, upload column and API field; its kind says how it is
stored, entered and shown; `at_most` names the figure it can never exceed (worked <= served). The report's
columns and database checks, the form, the upload columns, the API fields, the recompute's UPDATE and the
exports are all derived from `FIGURES`, so a new figure is one entry here, its migration, how
`metrics.py` computes it from client records and, if it is shown there, a line of a template.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _  # marked here, translated where shown

Kind = Literal["count", "hours", "money"]


@dataclass(frozen=True)
class Figure:
    name: str
    kind: Kind
    label: str
    # How a message names the figure inside a sentence: "Worked (12) can't be more than served (10)."
    named: str
    help: str = ""
    # Served and worked are the heart of every report: the form offers no 0 for them and an upload must have them.
    required: bool = False
    at_most: str | None = None
    # The name of the database check for `at_most`; given where the migrated name differs from the usual one.
    check_name: str = ""
    # Decimals only: the largest value accepted, and the digits the column stores (two after the point).
    top: int | None = None
    max_digits: int | None = None
    # The value in the upload template's example row.
    example: int | Decimal = 0

    @property
    def is_count(self) -> bool:
        return self.kind == "count"

    @property
    def constraint_name(self) -> str:
        return self.check_name or f"outcomes_report_{self.name}_le_{self.at_most}"

    @property
    def sql_type(self) -> str:
        """The PostgreSQL type of the column, for the arrays of the recompute's bulk UPDATE."""
        return "integer" if self.is_count else "numeric"


DECIMAL_PLACES = 2
QUANTUM = Decimal("0.01")

FIGURES: tuple[Figure, ...] = (
    Figure(
        "served",
        "count",
        _("People served"),
        "served",
        help=_("On the IPS caseload at any time in the quarter."),
        required=True,
        example=42,
    ),
    Figure(
        "worked",
        "count",
        _("People who worked in a competitive job"),
        "worked",
        help=_("At any time in the quarter; each person counts once."),
        required=True,
        at_most="served",
        example=18,
    ),
    Figure(
        "in_education",
        "count",
        _("People in education"),
        "in education",
        at_most="served",
        check_name="outcomes_report_education_le_served",
        example=5,
    ),
    Figure("job_starts", "count", _("New job starts"), "new job starts", example=6),
    Figure("job_endings", "count", _("Job endings"), "job endings", example=2),
    Figure(
        "new_clients", "count", _("New clients"), "new clients", help=_("Entered IPS for the first time."), example=9
    ),
    Figure(
        "new_with_contact_30d",
        "count",
        _("New clients with an employer contact within 30 days"),
        "new clients with an employer contact within 30 days",
        at_most="new_clients",
        check_name="outcomes_report_contact_le_new",
        example=7,
    ),
    Figure(
        "avg_weekly_hours",
        "hours",
        _("Average weekly hours"),
        "average weekly hours",
        top=80,
        max_digits=5,
        example=Decimal("17.5"),
    ),
    Figure(
        "avg_hourly_wage",
        "money",
        _("Average hourly wage"),
        "average hourly wage",
        help=_("In dollars."),
        top=500,
        max_digits=7,
        example=Decimal("16.25"),
    ),
)

BY_NAME: dict[str, Figure] = {figure.name: figure for figure in FIGURES}
NAMES: tuple[str, ...] = tuple(BY_NAME)
COUNTS: tuple[Figure, ...] = tuple(figure for figure in FIGURES if figure.is_count)
DECIMALS: tuple[Figure, ...] = tuple(figure for figure in FIGURES if not figure.is_count)
BOUNDED: tuple[Figure, ...] = tuple(figure for figure in FIGURES if figure.at_most)


def model_field(figure: Figure) -> "models.Field[Any, Any]":
    """The report's column for one figure: a count defaults to 0; a decimal may be left empty."""
    if figure.is_count:
        return models.PositiveIntegerField(default=0)
    return models.DecimalField(max_digits=figure.max_digits, decimal_places=DECIMAL_PLACES, null=True, blank=True)


ModelClass = TypeVar("ModelClass", bound=type[models.Model])


def with_figure_columns(model: ModelClass) -> ModelClass:
    """Add one column per figure to an (abstract) model, as if written in its class body, in declared order."""
    for figure in FIGURES:
        model.add_to_class(figure.name, model_field(figure))
    return model


def check_constraints() -> list[models.CheckConstraint]:
    """The database's own guard for every `at_most`, so no path into the table can store worked > served."""
    return [
        models.CheckConstraint(condition=Q(**{f"{figure.name}__lte": F(figure.at_most)}), name=figure.constraint_name)
        for figure in BOUNDED
        if figure.at_most
    ]


def breaches(values: Mapping[str, Any]) -> Iterator[tuple[Figure, Figure]]:
    """Each figure above the figure it may not exceed, with that figure (both must be in `values`)."""
    for figure in BOUNDED:
        if figure.at_most and values[figure.name] > values[figure.at_most]:
            yield figure, BY_NAME[figure.at_most]


def breach_message(figure: Figure, bound: Figure, values: Mapping[str, Any], *, verb: str) -> str:
    """E.g. "Worked (12) can't be more than served (10).", `verb` being "can't be more than"."""
    named = gettext(figure.named)
    found = {
        "figure": named[:1].upper() + named[1:],
        "value": values[figure.name],
        "bound": gettext(bound.named),
        "bound_value": values[bound.name],
    }
    if verb == "is more than":  # a row of a file, said as found
        return gettext("%(figure)s (%(value)s) is more than %(bound)s (%(bound_value)s).") % found
    return gettext("%(figure)s (%(value)s) can't be more than %(bound)s (%(bound_value)s).") % found
