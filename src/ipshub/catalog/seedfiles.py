"""Load and validate the IPS catalog seed files (``data/roadmap.yaml`` and ``data/roles.yaml``).

Pure Python (no Django): the YAML files are the versioned source of truth for the implementation
roadmap (10 stages, 12 sample questions) and the roles-and-responsibilities matrix (4 parties x 4
phases, 98 responsibilities). Everything is validated on load; any problem raises ``ValueError``
with a message naming the file and the offending entry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

__all__ = [
    "DATA_DIR",
    "PARTY_CODES",
    "PHASE_CODES",
    "PRINCIPLES",
    "ROADMAP_PATH",
    "ROLES_PATH",
    "SOURCES_DIR",
    "TOOL_KINDS",
    "Party",
    "Phase",
    "Question",
    "Responsibility",
    "Roadmap",
    "Roles",
    "Stage",
    "Strategy",
    "Tool",
    "catalog_as_dict",
    "load_roadmap",
    "load_roles",
    "roadmap_texts",
    "roles_texts",
]

CATALOG_DIR = Path(__file__).resolve().parent
DATA_DIR = CATALOG_DIR / "data"
SOURCES_DIR = CATALOG_DIR / "sources"
ROADMAP_PATH = DATA_DIR / "roadmap.yaml"
ROLES_PATH = DATA_DIR / "roles.yaml"

#: The eight IPS practice principles a roadmap strategy may be tagged with.
PRINCIPLES: frozenset[str] = frozenset(
    {
        "competitive-employment",
        "systematic-job-development",
        "rapid-job-search",
        "integrated-services",
        "benefits-planning",
        "zero-exclusion",
        "time-unlimited-supports",
        "worker-preferences",
    }
)
TOOL_KINDS: frozenset[str] = frozenset({"document", "video", "meeting", "link", "action"})

#: Phase id -> code used in responsibility ids (``R-<phase>-<party>-NN``), in phase order.
PHASE_CODES: dict[str, str] = {"prior": "PRI", "implementation": "IMP", "ongoing": "ONG", "fidelity": "FID"}
#: Party id -> code used in responsibility ids.
PARTY_CODES: dict[str, str] = {
    "state_team": "ST",
    "mh_agency": "MH",
    "employment_provider": "EP",
    "dvr": "DVR",
}
ORG_KINDS: frozenset[str] = frozenset({"state_team", "mh_agency", "employment_provider", "dvr_office"})

SHORT_NAME_MAX = 30

STAGE_ID_RE = re.compile(r"^ST\d{2}$")
STRATEGY_ID_RE = re.compile(r"^(ST\d{2})-S\d{2}$")
TOOL_ID_RE = re.compile(r"^(ST\d{2})-T\d{2}$")
QUESTION_ID_RE = re.compile(r"^Q\d{2}$")
RESPONSIBILITY_ID_RE = re.compile(r"^R-([A-Z]+)-([A-Z]+)-\d{2}$")

PathArg = str | os.PathLike[str] | None


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class Strategy:
    id: str
    text: str
    principle: str | None = None


@dataclass(frozen=True, slots=True)
class Tool:
    id: str
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    number: int
    name: str
    short_name: str
    audiences: tuple[str, ...]
    strategies: tuple[Strategy, ...]
    tools: tuple[Tool, ...]

    def items(self) -> tuple[Strategy | Tool, ...]:
        """Strategies then tools, in document order."""
        return (*self.strategies, *self.tools)


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Roadmap:
    version: str
    title: str
    stages: tuple[Stage, ...]
    questions: tuple[Question, ...]

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    org_kind: str
    description: str


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    number: int
    name: str
    description: str


FULFILMENT_KINDS = ("event", "record", "recurring", "confirmation")
FULFILMENT_PERIODS = ("month", "quarter", "year", "review")


@dataclass(frozen=True, slots=True)
class Fulfilment:
    """How the product knows a responsibility is done (product data beside the verbatim seed text)."""

    kind: str  # one of FULFILMENT_KINDS
    describe: str
    period: str | None = None  # one of FULFILMENT_PERIODS, for recurring (and per-period confirmation) duties
    by: tuple[str, ...] = ()  # work-source keys contributed by the areas' hooks
    party_present: str | None = None  # "self" or a party id that the fulfilling record must show present
    when_asked: bool = False  # nothing is due until the source asks for something
    grace_days: int = 0  # days after a period ends before its work is overdue
    due_from: str | None = None  # review duties: "visit" or "report"
    due_days: int = 0  # review duties: days after `due_from`
    after_report: bool = False  # review duties: only work after the report counts

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "describe": self.describe,
            "period": self.period,
            "by": list(self.by),
            "party_present": self.party_present,
            "when_asked": self.when_asked,
            "grace_days": self.grace_days,
            "from": self.due_from,
            "days": self.due_days,
            "after_report": self.after_report,
        }


@dataclass(frozen=True, slots=True)
class Responsibility:
    id: str
    phase: str  # phase id
    party: str  # party id
    text: str
    due_days: int
    recurring: bool
    fulfilment: Fulfilment


@dataclass(frozen=True, slots=True)
class Roles:
    version: str
    title: str
    revised: str
    parties: tuple[Party, ...]
    phases: tuple[Phase, ...]
    responsibilities: tuple[Responsibility, ...]

    def party(self, party_id: str) -> Party:
        for party in self.parties:
            if party.id == party_id:
                return party
        raise KeyError(party_id)

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(phase_id)

    def for_phase(self, phase_id: str, party_id: str | None = None) -> tuple[Responsibility, ...]:
        """Responsibilities of a phase (optionally of one party), in document order."""
        return tuple(
            r for r in self.responsibilities if r.phase == phase_id and (party_id is None or r.party == party_id)
        )


# --------------------------------------------------------------------------- validation helpers


def _fulfilment(r: _Reader, x: Mapping[str, Any], where: str, party_ids: set[str]) -> Fulfilment:
    where = f"{where}, fulfilment"
    f = r.mapping(x.get("fulfilment"), where)
    kind = r.string(f, "kind", where)
    if kind not in FULFILMENT_KINDS:
        raise r.error(where, f"'kind' must be one of {', '.join(FULFILMENT_KINDS)}")
    period = r.optional_string(f, "period", where)
    if period is not None and period not in FULFILMENT_PERIODS:
        raise r.error(where, f"'period' must be one of {', '.join(FULFILMENT_PERIODS)}")
    if kind == "recurring" and period is None:
        raise r.error(where, "a recurring duty needs a 'period'")
    by = r.string_list(f, "by", where) if f.get("by") is not None else ()
    if kind != "confirmation" and not by:
        raise r.error(where, f"a duty fulfilled by {kind} needs 'by': the work sources that fulfil it")
    party_present = r.optional_string(f, "party_present", where)
    if party_present is not None and party_present != "self" and party_present not in party_ids:
        raise r.error(where, f"'party_present' must be 'self' or a party id (known: {sorted(party_ids)})")
    due_from = r.optional_string(f, "from", where)
    if due_from not in (None, "visit", "report"):
        raise r.error(where, "'from' must be 'visit' or 'report'")
    if period == "review" and due_from is None:
        raise r.error(where, "a duty per review needs 'from' (visit or report) and 'days'")
    return Fulfilment(
        kind=kind,
        describe=r.string(f, "describe", where),
        period=period,
        by=by,
        party_present=party_present,
        when_asked=r.boolean(f, "when_asked", where) if "when_asked" in f else False,
        grace_days=r.integer(f, "grace_days", where) if "grace_days" in f else 0,
        due_from=due_from,
        due_days=r.integer(f, "days", where) if "days" in f else 0,
        after_report=r.boolean(f, "after_report", where) if "after_report" in f else False,
    )


_Document = TypeVar("_Document")

# libyaml's safe loader where PyYAML was built with it (its wheels are): the same documents, ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The parsed documents by (file, modification time, size): the catalog is loaded at every migration, demo build
# and test world, and its files change only when edited (then the key changes). The results are frozen.
_parsed: dict[tuple[str, int, int], Any] = {}


def _parsed_once(path: Path, parse: Callable[[Path], _Document]) -> _Document:
    try:
        stat = path.stat()
    except OSError:
        return parse(path)  # the parser says what is wrong with the path
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _parsed:
        _parsed[key] = parse(path)
    return cast(_Document, _parsed[key])


class _Reader:
    """Typed access to the raw YAML structure, raising ValueError with the file and location."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, where: str, message: str) -> ValueError:
        return ValueError(f"{self.path.name}: {where}: {message}")

    def load(self) -> Mapping[str, Any]:
        try:
            with self.path.open(encoding="utf-8") as fh:
                raw = yaml.load(fh, Loader=_SAFE_LOADER)
        except FileNotFoundError as exc:
            raise ValueError(f"{self.path}: file not found") from exc
        except yaml.YAMLError as exc:
            raise ValueError(f"{self.path.name}: invalid YAML: {exc}") from exc
        if not isinstance(raw, Mapping):
            raise ValueError(f"{self.path.name}: top level must be a mapping, got {type(raw).__name__}")
        return raw

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(where, f"expected a mapping, got {type(value).__name__}")
        return value

    def seq(self, obj: Mapping[str, Any], key: str, where: str, *, allow_empty: bool = False) -> list[Any]:
        value = obj.get(key)
        if not isinstance(value, list):
            raise self.error(where, f"'{key}' must be a list")
        if not value and not allow_empty:
            raise self.error(where, f"'{key}' must not be empty")
        return value

    def string(self, obj: Mapping[str, Any], key: str, where: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, f"'{key}' must be a non-empty string")
        return value.strip()

    def optional_string(self, obj: Mapping[str, Any], key: str, where: str) -> str | None:
        if obj.get(key) is None:
            return None
        return self.string(obj, key, where)

    def integer(self, obj: Mapping[str, Any], key: str, where: str) -> int:
        value = obj.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(where, f"'{key}' must be an integer")
        return value

    def boolean(self, obj: Mapping[str, Any], key: str, where: str) -> bool:
        value = obj.get(key)
        if not isinstance(value, bool):
            raise self.error(where, f"'{key}' must be true or false")
        return value

    def string_list(self, obj: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        items = self.seq(obj, key, where)
        out: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.error(where, f"'{key}[{i}]' must be a non-empty string")
            out.append(item.strip())
        return tuple(out)

    def matches(self, value: str, pattern: re.Pattern[str], where: str, what: str) -> re.Match[str]:
        match = pattern.match(value)
        if match is None:
            raise self.error(where, f"{what} id {value!r} does not match {pattern.pattern}")
        return match

    def unique(self, ids: Iterable[str], what: str) -> None:
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                raise ValueError(f"{self.path.name}: duplicate {what} id {ident!r}")
            seen.add(ident)


def _resolve(path: PathArg, default: Path) -> Path:
    return default if path is None else Path(path)


# --------------------------------------------------------------------------- roadmap


def load_roadmap(path: PathArg = None) -> Roadmap:
    """Load and validate the roadmap YAML (default: ``data/roadmap.yaml``)."""
    return _parsed_once(_resolve(path, ROADMAP_PATH), _parse_roadmap)


def _parse_roadmap(path: Path) -> Roadmap:
    r = _Reader(path)
    raw = r.load()
    version = r.string(raw, "version", "top level")
    title = r.string(raw, "title", "top level")

    stages: list[Stage] = []
    for i, raw_stage in enumerate(r.seq(raw, "stages", "top level")):
        where = f"stages[{i}]"
        s = r.mapping(raw_stage, where)
        stage_id = r.string(s, "id", where)
        r.matches(stage_id, STAGE_ID_RE, where, "stage")
        where = f"stage {stage_id}"
        short_name = r.string(s, "short_name", where)
        if len(short_name) > SHORT_NAME_MAX:
            raise r.error(where, f"short_name {short_name!r} is longer than {SHORT_NAME_MAX} characters")

        strategies: list[Strategy] = []
        for j, raw_strategy in enumerate(r.seq(s, "strategies", where)):
            swhere = f"{where} strategies[{j}]"
            st = r.mapping(raw_strategy, swhere)
            sid = r.string(st, "id", swhere)
            if r.matches(sid, STRATEGY_ID_RE, swhere, "strategy").group(1) != stage_id:
                raise r.error(swhere, f"strategy id {sid!r} does not belong to stage {stage_id}")
            principle = r.optional_string(st, "principle", swhere)
            if principle is not None and principle not in PRINCIPLES:
                raise r.error(swhere, f"unknown principle {principle!r} (expected one of {sorted(PRINCIPLES)})")
            strategies.append(Strategy(id=sid, text=r.string(st, "text", swhere), principle=principle))

        tools: list[Tool] = []
        for j, raw_tool in enumerate(r.seq(s, "tools", where)):
            twhere = f"{where} tools[{j}]"
            t = r.mapping(raw_tool, twhere)
            tid = r.string(t, "id", twhere)
            if r.matches(tid, TOOL_ID_RE, twhere, "tool").group(1) != stage_id:
                raise r.error(twhere, f"tool id {tid!r} does not belong to stage {stage_id}")
            kind = r.string(t, "kind", twhere)
            if kind not in TOOL_KINDS:
                raise r.error(twhere, f"unknown tool kind {kind!r} (expected one of {sorted(TOOL_KINDS)})")
            tools.append(Tool(id=tid, text=r.string(t, "text", twhere), kind=kind))

        stages.append(
            Stage(
                id=stage_id,
                number=r.integer(s, "number", where),
                name=r.string(s, "name", where),
                short_name=short_name,
                audiences=r.string_list(s, "audiences", where),
                strategies=tuple(strategies),
                tools=tuple(tools),
            )
        )

    questions: list[Question] = []
    for i, raw_question in enumerate(r.seq(raw, "questions", "top level")):
        where = f"questions[{i}]"
        q = r.mapping(raw_question, where)
        qid = r.string(q, "id", where)
        r.matches(qid, QUESTION_ID_RE, where, "question")
        questions.append(Question(id=qid, number=r.integer(q, "number", where), text=r.string(q, "text", where)))

    r.unique((s.id for s in stages), "stage")
    r.unique((str(s.number) for s in stages), "stage number")
    r.unique((x.id for s in stages for x in s.items()), "strategy/tool")
    r.unique((q.id for q in questions), "question")
    r.unique((str(q.number) for q in questions), "question number")
    return Roadmap(version=version, title=title, stages=tuple(stages), questions=tuple(questions))


# --------------------------------------------------------------------------- roles


def load_roles(path: PathArg = None) -> Roles:
    """Load and validate the roles-and-responsibilities YAML (default: ``data/roles.yaml``)."""
    return _parsed_once(_resolve(path, ROLES_PATH), _parse_roles)


def _parse_roles(path: Path) -> Roles:
    r = _Reader(path)
    raw = r.load()
    version = r.string(raw, "version", "top level")
    title = r.string(raw, "title", "top level")
    revised = raw.get("revised")
    if not isinstance(revised, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", revised):
        raise r.error("top level", "'revised' must be a quoted YYYY-MM-DD string")

    parties: list[Party] = []
    for i, raw_party in enumerate(r.seq(raw, "parties", "top level")):
        where = f"parties[{i}]"
        p = r.mapping(raw_party, where)
        pid = r.string(p, "id", where)
        if pid not in PARTY_CODES:
            raise r.error(where, f"unknown party id {pid!r} (expected one of {list(PARTY_CODES)})")
        org_kind = r.string(p, "org_kind", where)
        if org_kind not in ORG_KINDS:
            raise r.error(where, f"unknown org_kind {org_kind!r} (expected one of {sorted(ORG_KINDS)})")
        parties.append(
            Party(
                id=pid,
                name=r.string(p, "name", where),
                org_kind=org_kind,
                description=r.string(p, "description", where),
            )
        )

    phases: list[Phase] = []
    for i, raw_phase in enumerate(r.seq(raw, "phases", "top level")):
        where = f"phases[{i}]"
        ph = r.mapping(raw_phase, where)
        phid = r.string(ph, "id", where)
        if phid not in PHASE_CODES:
            raise r.error(where, f"unknown phase id {phid!r} (expected one of {list(PHASE_CODES)})")
        phases.append(
            Phase(
                id=phid,
                number=r.integer(ph, "number", where),
                name=r.string(ph, "name", where),
                description=r.string(ph, "description", where),
            )
        )

    r.unique((p.id for p in parties), "party")
    r.unique((p.id for p in phases), "phase")
    r.unique((str(p.number) for p in phases), "phase number")
    party_ids = {p.id for p in parties}
    phase_ids = {p.id for p in phases}

    responsibilities: list[Responsibility] = []
    for i, raw_resp in enumerate(r.seq(raw, "responsibilities", "top level")):
        where = f"responsibilities[{i}]"
        x = r.mapping(raw_resp, where)
        rid = r.string(x, "id", where)
        where = f"responsibility {rid}"
        phase = r.string(x, "phase", where)
        party = r.string(x, "party", where)
        if phase not in phase_ids:
            raise r.error(where, f"refers to unknown phase {phase!r} (known: {sorted(phase_ids)})")
        if party not in party_ids:
            raise r.error(where, f"refers to unknown party {party!r} (known: {sorted(party_ids)})")
        match = r.matches(rid, RESPONSIBILITY_ID_RE, where, "responsibility")
        if match.group(1) != PHASE_CODES[phase] or match.group(2) != PARTY_CODES[party]:
            raise r.error(
                where,
                f"id should start with R-{PHASE_CODES[phase]}-{PARTY_CODES[party]}- for phase {phase!r} "
                f"and party {party!r}",
            )
        due_days = r.integer(x, "due_days", where)
        if due_days < 0:
            raise r.error(where, "'due_days' must not be negative")
        responsibilities.append(
            Responsibility(
                id=rid,
                phase=phase,
                party=party,
                text=r.string(x, "text", where),
                due_days=due_days,
                recurring=r.boolean(x, "recurring", where),
                fulfilment=_fulfilment(r, x, where, party_ids),
            )
        )
    r.unique((x.id for x in responsibilities), "responsibility")

    return Roles(
        version=version,
        title=title,
        revised=revised,
        parties=tuple(parties),
        phases=tuple(phases),
        responsibilities=tuple(responsibilities),
    )


# --------------------------------------------------------------------------- texts to translate


def roadmap_texts(roadmap: Roadmap) -> dict[str, dict[str, Any]]:
    """The roadmap's displayed English texts by entry id, as its translation files (roadmap.<lang>.yaml) hold them."""
    texts: dict[str, dict[str, Any]] = {}
    for stage in roadmap.stages:
        texts[stage.id] = {"name": stage.name, "short_name": stage.short_name, "audiences": list(stage.audiences)}
        for item in stage.items():
            texts[item.id] = {"text": item.text}
    for question in roadmap.questions:
        texts[question.id] = {"text": question.text}
    return texts


def roles_texts(roles: Roles) -> dict[str, dict[str, Any]]:
    """The roles matrix's displayed English texts by entry id (parties, phases, responsibilities with the
    sentence saying how the product knows each is done)."""
    texts: dict[str, dict[str, Any]] = {}
    for party in roles.parties:
        texts[party.id] = {"name": party.name, "description": party.description}
    for phase in roles.phases:
        texts[phase.id] = {"name": phase.name, "description": phase.description}
    for responsibility in roles.responsibilities:
        texts[responsibility.id] = {"text": responsibility.text, "describe": responsibility.fulfilment.describe}
    return texts


# --------------------------------------------------------------------------- flat export


def catalog_as_dict() -> dict[str, list[dict[str, Any]]]:
    """The default catalog as plain data (for seeding, fixtures and API output).

    Responsibilities refer to their phase and party by *name* (as written in the source document).
    """
    roadmap = load_roadmap()
    roles = load_roles()
    phase_names = {p.id: p.name for p in roles.phases}
    party_names = {p.id: p.name for p in roles.parties}
    return {
        "stages": [
            {
                "id": s.id,
                "number": s.number,
                "name": s.name,
                "audiences": list(s.audiences),
                "strategies": [x.text for x in s.strategies],
                "tools": [x.text for x in s.tools],
            }
            for s in roadmap.stages
        ],
        "questions": [{"id": q.id, "number": q.number, "text": q.text} for q in roadmap.questions],
        "parties": [{"id": p.id, "name": p.name} for p in roles.parties],
        "phases": [{"id": p.id, "number": p.number, "name": p.name} for p in roles.phases],
        "responsibilities": [
            {
                "id": x.id,
                "phase": phase_names[x.phase],
                "party": party_names[x.party],
                "text": x.text,
            }
            for x in roles.responsibilities
        ],
    }
