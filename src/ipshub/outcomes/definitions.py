"""Metric definitions and default benchmarks, read from data/definitions.yaml (pure Python, cached)."""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ipshub.catalog import translations

DATA_FILE = Path(__file__).parent / "data" / "definitions.yaml"
POPULATIONS = ("all_served", "out_of_work_at_entry")
LEVELS = ("minimal", "average", "excellent")


@dataclass(frozen=True)
class MetricDefinition:
    code: str
    version: int
    name: str
    description: str
    population: str  # all_served | out_of_work_at_entry
    min_weekly_hours: Decimal
    effective_from: datetime.date
    source: str
    # {language: {field: text}} from definitions.<lang>.yaml: shown with {{ definition|local:"name" }}.
    translations: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        return f"{translations.local(self, 'name')} (v{self.version})"


@dataclass(frozen=True)
class Catalog:
    definitions: tuple[MetricDefinition, ...]
    default_benchmarks: dict[str, dict[str, Decimal]]
    deadline_days: int = 30

    def latest(self, code: str) -> MetricDefinition:
        versions = [d for d in self.definitions if d.code == code]
        if not versions:
            raise KeyError(code)
        return max(versions, key=lambda d: d.version)

    def get(self, code: str, version: int) -> MetricDefinition:
        for d in self.definitions:
            if d.code == code and d.version == version:
                return d
        raise KeyError(f"{code} v{version}")

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(d.code for d in self.definitions))

    def choices(self) -> list[tuple[str, str]]:
        return [(code, translations.local(self.latest(code), "name")) for code in self.codes]


def definition_texts(catalog: "Catalog") -> dict[str, dict[str, str]]:
    """The definitions' displayed English texts by "<code>-v<version>", as definitions.<lang>.yaml holds them."""
    return {f"{d.code}-v{d.version}": {"name": d.name, "description": d.description} for d in catalog.definitions}


def parse(text: str) -> Catalog:
    """Parse and validate the definitions file; a mistake names the entry and what is wrong."""
    data = yaml.safe_load(text)
    definitions = []
    seen: set[tuple[str, int]] = set()
    for i, row in enumerate(data["definitions"]):
        where = f"definitions[{i}] ({row.get('code', '?')})"
        if row.get("population") not in POPULATIONS:
            raise ValueError(f"{where}: population must be one of {', '.join(POPULATIONS)}.")
        key = (str(row["code"]), int(row["version"]))
        if key in seen:
            raise ValueError(f"{where}: version {key[1]} appears twice.")
        seen.add(key)
        definitions.append(
            MetricDefinition(
                code=key[0],
                version=key[1],
                name=str(row["name"]),
                description=str(row.get("description", "")),
                population=row["population"],
                min_weekly_hours=Decimal(str(row.get("min_weekly_hours", 0))),
                effective_from=row["effective_from"],
                source=str(row.get("source", "")),
            )
        )
    codes = {d.code for d in definitions}
    benchmarks: dict[str, dict[str, Decimal]] = {}
    for code, levels in data.get("default_benchmarks", {}).items():
        if code not in codes:
            raise ValueError(f"default_benchmarks: no definition has the code {code!r}.")
        if set(levels) != set(LEVELS):
            raise ValueError(f"default_benchmarks.{code}: give exactly {', '.join(LEVELS)}.")
        benchmarks[code] = {level: Decimal(str(levels[level])) for level in LEVELS}
    deadline = int(data.get("submission_deadline_days", 30))
    if not 0 < deadline <= 365:
        raise ValueError("submission_deadline_days: give a number of days between 1 and 365.")
    return Catalog(definitions=tuple(definitions), default_benchmarks=benchmarks, deadline_days=deadline)


@cache
def catalog() -> Catalog:
    parsed = parse(DATA_FILE.read_text(encoding="utf-8"))
    texts = definition_texts(parsed)
    definitions = tuple(
        replace(d, translations=translations.translate(DATA_FILE, key, texts[key]))
        for d, key in zip(parsed.definitions, texts, strict=True)
    )
    return replace(parsed, definitions=definitions)


translations.register("outcomes/definitions.yaml", lambda: (DATA_FILE, definition_texts(parse(DATA_FILE.read_text()))))


DEFAULT_CODE = "worked_over_served"
