"""The training catalog (data/training.yaml): loaded once, validated, read by key."""

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ipshub.catalog import translations
from ipshub.tenancy.roles import Role

CATALOG_PATH = Path(__file__).parent / "data" / "training.yaml"
REPEATS = ("once", "yearly", "quarterly")


@dataclass(frozen=True)
class Course:
    key: str
    title: str
    format: str
    duration: str
    hours: float
    required_for: tuple[str, ...]
    recommended_for: tuple[str, ...]
    within_days: int | None
    repeat: str
    # {language: {field: text}} from training.<lang>.yaml: shown with {{ course|local:"title" }}.
    translations: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    def applies_to(self, role: str) -> bool:
        return role in self.required_for or role in self.recommended_for

    @property
    def required_roles(self) -> list[str]:
        return [Role(r).label for r in self.required_for]

    @property
    def recommended_roles(self) -> list[str]:
        return [Role(r).label for r in self.recommended_for]


def parse_catalog(data: object, source: str = "training.yaml") -> tuple[Course, ...]:
    if not isinstance(data, dict) or not isinstance(data.get("courses"), list):
        raise ValueError(f"{source}: expected a mapping with a 'courses' list.")
    courses: list[Course] = []
    seen: set[str] = set()
    for n, row in enumerate(data["courses"], start=1):
        where = f"{source}, course {n}"
        if not isinstance(row, dict) or not row.get("key") or not row.get("title"):
            raise ValueError(f"{where}: every course needs a key and a title.")
        key = str(row["key"])
        if key in seen:
            raise ValueError(f"{where}: the key '{key}' is used twice.")
        seen.add(key)
        required = tuple(row.get("required_for") or ())
        recommended = tuple(row.get("recommended_for") or ())
        unknown = [r for r in required + recommended if r not in Role.values]
        if unknown:
            raise ValueError(f"{where} ({key}): unknown role(s) {unknown}; use one of {list(Role.values)}.")
        if required and not row.get("within_days"):
            raise ValueError(f"{where} ({key}): a required course needs within_days.")
        repeat = str(row.get("repeat", "once"))
        if repeat not in REPEATS:
            raise ValueError(f"{where} ({key}): repeat must be one of {REPEATS}.")
        courses.append(
            Course(
                key=key,
                title=str(row["title"]),
                format=str(row.get("format", "")),
                duration=str(row.get("duration", "")),
                hours=float(row.get("hours", 0) or 0),
                required_for=required,
                recommended_for=recommended,
                within_days=int(row["within_days"]) if row.get("within_days") else None,
                repeat=repeat,
            )
        )
    return tuple(courses)


@cache
def courses() -> tuple[Course, ...]:
    with CATALOG_PATH.open(encoding="utf-8") as handle:
        parsed = parse_catalog(yaml.safe_load(handle), CATALOG_PATH.name)
    return tuple(replace(c, translations=translations.translate(CATALOG_PATH, c.key, _texts(c))) for c in parsed)


def _texts(c: Course) -> dict[str, str]:
    return {"title": c.title, "format": c.format, "duration": c.duration}


def course_texts(data: object) -> dict[str, dict[str, str]]:
    """The courses' displayed English texts by key, as training.<lang>.yaml holds them."""
    return {c.key: _texts(c) for c in parse_catalog(data)}


def course(key: str) -> Course | None:
    return next((c for c in courses() if c.key == key), None)


def course_choices() -> list[tuple[str, str]]:
    return [(c.key, translations.local(c, "title")) for c in courses()]


def required_courses(role: str) -> list[Course]:
    return [c for c in courses() if role in c.required_for]


translations.register(
    "collaboration/training.yaml",
    lambda: (CATALOG_PATH, course_texts(yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8")))),
)
