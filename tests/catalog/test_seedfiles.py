"""The catalog YAML files reproduce the two seed documents (no database needed)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ipshub.catalog import seedfiles
from ipshub.catalog.seedfiles import catalog_as_dict, load_roadmap, load_roles

SOURCES = seedfiles.SOURCES_DIR
ROADMAP_TXT = SOURCES / "roadmap.txt"
ROLES_TXT = SOURCES / "roles.txt"

PHASE_NAMES = {
    "prior": "Prior to implementation",
    "implementation": "Implementation",
    "ongoing": "Ongoing IPS service delivery",
    "fidelity": "IPS fidelity reviews",
}
PARTY_NAMES = {
    "state_team": "State IPS team",
    "mh_agency": "County or tribal mental health agency",
    "employment_provider": "Employment service provider",
    "dvr": "Local DVR staff",
}
# Responsibility bullets per phase: state team / mental health agency / employment provider / DVR.
EXPECTED_COUNTS = {
    "prior": (3, 7, 3, 4),
    "implementation": (3, 9, 6, 8),
    "ongoing": (6, 11, 15, 5),
    "fidelity": (3, 8, 5, 2),
}

# Repaired readings of garbled roadmap cells (/work/shared/seeds/README.md, "Garbled cells").
REPAIRED_SKILLS_TRAINING = (
    "Provide training to mental health practitioners about how to engage people in thinking about "
    "employment, and about zero exclusion. Include strategies for helping people who have co-occurring "
    "disorders."
)
REPAIRED_IMPLEMENTATION_MONITORING = (
    "Presentation of fidelity reports and outcomes to the performance improvement team and management. "
    "Development of an action plan to improve fidelity and outcomes, including assignments for individuals "
    "to complete tasks (for example, the agency IT department might set up a system to track who is "
    "employed; the IPS trainer might be responsible for additional job development training)."
)
REPAIRED_VR_COUNSELORS = "VR video and brochure for VR counselors"  # seed: "... for VF counselors"
REPAIRED_READINGS = (REPAIRED_SKILLS_TRAINING, REPAIRED_IMPLEMENTATION_MONITORING, REPAIRED_VR_COUNSELORS)

# Cells the PDF extraction wrapped into the next table row: (end of the first row, start of the next row).
# The catalog text is the two halves re-joined; each half must occur in the seed.
WRAPPED_CELL_PARTS = (
    (
        "Explain how stakeholders can be part of implementation through steering",
        "committees, participation in fidelity reviews, and so forth.",
    ),
    (
        "If needed, meet with VR office and mental health agency management to discuss needed changes in the fee",
        "schedule. For example, if fee schedule includes situational assessments, how will that change and when?",
    ),
    (
        "IPS trainer to begin attending some mental health treatment team meetings each month to model how "
        "to integrate services and how to apply zero exclusion principle. Also to explain to team why",
        "the employment specialist cannot help with case management.",
    ),
)
WRAPPED_CELLS = {f"{first} {second}": (first, second) for first, second in WRAPPED_CELL_PARTS}


def norm(text: str) -> str:
    """Collapse all whitespace (including non-breaking spaces) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


@pytest.fixture(scope="module")
def roadmap() -> seedfiles.Roadmap:
    return load_roadmap()


@pytest.fixture(scope="module")
def roles() -> seedfiles.Roles:
    return load_roles()


@pytest.fixture(scope="module")
def roadmap_seed() -> str:
    return norm(ROADMAP_TXT.read_text(encoding="utf-8"))


def parse_roles_source() -> dict[tuple[str, str], list[str]]:
    """Bullets of sources/roles.txt grouped by (phase id, party id), independently of the YAML."""
    phase_by_name = {name.lower(): pid for pid, name in PHASE_NAMES.items()}
    party_by_name = {name.lower(): pid for pid, name in PARTY_NAMES.items()}
    bullets: dict[tuple[str, str], list[str]] = {}
    phase: str | None = None
    party: str | None = None
    for raw_line in ROLES_TXT.read_text(encoding="utf-8").splitlines():
        line = norm(raw_line)
        heading = line.rstrip(":").lower()
        if heading in phase_by_name:
            phase, party = phase_by_name[heading], None
        elif phase is not None and heading in party_by_name:
            party = party_by_name[heading]
        elif line.startswith("•") and phase is not None:
            assert party is not None, f"bullet before any party heading in phase {phase}: {line!r}"
            bullets.setdefault((phase, party), []).append(norm(line[1:]))
    return bullets


# --------------------------------------------------------------------------- sources


def test_sources_are_present() -> None:
    assert ROADMAP_TXT.read_text(encoding="utf-8").startswith("Roadmap: Implementing IPS Supported Employment")
    assert ROLES_TXT.read_text(encoding="utf-8").startswith("IPS: Roles and Responsibilities")


# --------------------------------------------------------------------------- roadmap


def test_roadmap_counts(roadmap: seedfiles.Roadmap) -> None:
    assert roadmap.version == "roadmap-2020.1"
    assert roadmap.title == "Roadmap: Implementing IPS Supported Employment at the Local Level"
    assert len(roadmap.stages) == 10
    assert len(roadmap.questions) == 12
    assert [s.number for s in roadmap.stages] == list(range(1, 11))
    assert [q.number for q in roadmap.questions] == list(range(1, 13))
    for stage in roadmap.stages:
        assert stage.audiences and stage.strategies and stage.tools, stage.id
        assert len(stage.short_name) <= 30


def test_stage_names_come_from_seed(roadmap: seedfiles.Roadmap, roadmap_seed: str) -> None:
    for stage in roadmap.stages:
        assert "(continued)" not in stage.name
        assert norm(stage.name) in roadmap_seed, stage.name
    assert roadmap.stages[0].name == "Assess readiness to implement"


def test_build_consensus_audiences(roadmap: seedfiles.Roadmap) -> None:
    stage = next(s for s in roadmap.stages if s.name == "Build consensus with stakeholders")
    assert stage.audiences[-1] == "Others"
    assert not any("VF" in a for a in stage.audiences)
    tools = [t.text for t in stage.tools]
    assert REPAIRED_VR_COUNSELORS in tools
    assert not any("VF counselors" in t for s in roadmap.stages for t in (x.text for x in s.tools))


def test_question_texts_appear_in_seed(roadmap: seedfiles.Roadmap) -> None:
    raw = ROADMAP_TXT.read_text(encoding="utf-8")
    for question in roadmap.questions:
        assert question.text in raw, question.id
        assert f"- {question.number}. {question.text}" in raw, question.id


def _in_seed_or_repaired(text: str, seed: str) -> bool:
    t = norm(text)
    if t in seed or any(t in norm(r) for r in REPAIRED_READINGS):
        return True
    if text in WRAPPED_CELLS:
        first, second = WRAPPED_CELLS[text]
        return norm(f"{first} {second}") == t and norm(first) in seed and norm(second) in seed
    return False


def test_strategy_and_tool_texts_come_from_seed(roadmap: seedfiles.Roadmap, roadmap_seed: str) -> None:
    missing = [
        f"{item.id}: {item.text}"
        for stage in roadmap.stages
        for item in stage.items()
        if not _in_seed_or_repaired(item.text, roadmap_seed)
    ]
    assert not missing, "not in the seed or the repaired readings:\n" + "\n".join(missing)


def test_repaired_readings_are_fully_covered(roadmap: seedfiles.Roadmap) -> None:
    strategies = " ".join(norm(x.text) for s in roadmap.stages for x in s.strategies)
    assert norm(REPAIRED_SKILLS_TRAINING) in strategies
    assert norm(REPAIRED_IMPLEMENTATION_MONITORING) in strategies
    monitoring = next(s for s in roadmap.stages if s.name == "Implementation monitoring")
    assert len(monitoring.tools) == 6


def test_no_roadmap_text_is_duplicated(roadmap: seedfiles.Roadmap) -> None:
    strategies = Counter(norm(x.text) for s in roadmap.stages for x in s.strategies)
    assert [t for t, n in strategies.items() if n > 1] == []
    for stage in roadmap.stages:
        tools = Counter(norm(x.text) for x in stage.tools)
        assert [t for t, n in tools.items() if n > 1] == [], stage.id


def test_roadmap_ids_unique_and_stable(roadmap: seedfiles.Roadmap) -> None:
    assert [s.id for s in roadmap.stages] == [f"ST{i:02d}" for i in range(1, 11)]
    assert [q.id for q in roadmap.questions] == [f"Q{i:02d}" for i in range(1, 13)]
    all_ids: list[str] = [s.id for s in roadmap.stages] + [q.id for q in roadmap.questions]
    for stage in roadmap.stages:
        assert [x.id for x in stage.strategies] == [f"{stage.id}-S{i:02d}" for i in range(1, len(stage.strategies) + 1)]
        assert [x.id for x in stage.tools] == [f"{stage.id}-T{i:02d}" for i in range(1, len(stage.tools) + 1)]
        all_ids += [x.id for x in stage.items()]
        for strategy in stage.strategies:
            assert strategy.principle is None or strategy.principle in seedfiles.PRINCIPLES
        for tool in stage.tools:
            assert tool.kind in seedfiles.TOOL_KINDS
    assert len(all_ids) == len(set(all_ids))


# --------------------------------------------------------------------------- roles


def test_roles_counts(roles: seedfiles.Roles) -> None:
    assert roles.version == "roles-2020-11-17"
    assert roles.revised == "2020-11-17"
    assert [p.id for p in roles.parties] == list(PARTY_NAMES)
    assert [p.name for p in roles.parties] == list(PARTY_NAMES.values())
    assert [p.id for p in roles.phases] == list(PHASE_NAMES)
    assert [p.name for p in roles.phases] == list(PHASE_NAMES.values())
    assert [p.number for p in roles.phases] == [1, 2, 3, 4]
    assert len(roles.responsibilities) == 98
    for phase, expected in EXPECTED_COUNTS.items():
        actual = tuple(len(roles.for_phase(phase, party)) for party in PARTY_NAMES)
        assert actual == expected, phase


def test_source_parser_sees_the_expected_counts() -> None:
    bullets = parse_roles_source()
    for phase, expected in EXPECTED_COUNTS.items():
        assert tuple(len(bullets.get((phase, party), [])) for party in PARTY_NAMES) == expected, phase


def test_every_bullet_is_one_responsibility(roles: seedfiles.Roles) -> None:
    source = parse_roles_source()
    for phase in PHASE_NAMES:
        for party in PARTY_NAMES:
            expected = Counter(source.get((phase, party), []))
            actual = Counter(norm(r.text) for r in roles.for_phase(phase, party))
            assert actual == expected, f"{phase}/{party}: missing {expected - actual}, extra {actual - expected}"


def test_responsibility_ids_and_defaults(roles: seedfiles.Roles) -> None:
    ids = [r.id for r in roles.responsibilities]
    assert len(ids) == len(set(ids))
    for phase, phase_code in seedfiles.PHASE_CODES.items():
        for party, party_code in seedfiles.PARTY_CODES.items():
            got = [r.id for r in roles.for_phase(phase, party)]
            assert got == [f"R-{phase_code}-{party_code}-{i:02d}" for i in range(1, len(got) + 1)]
    for r in roles.responsibilities:
        assert 14 <= r.due_days <= 180, r.id
        if r.recurring:
            assert r.due_days == 90, r.id
        assert r.text == r.text.strip() and "\xa0" not in r.text


# --------------------------------------------------------------------------- catalog_as_dict


def test_catalog_as_dict_shape() -> None:
    data = catalog_as_dict()
    assert set(data) == {"stages", "questions", "parties", "phases", "responsibilities"}
    assert len(data["stages"]) == 10 and len(data["questions"]) == 12
    assert set(data["stages"][0]) == {"id", "number", "name", "audiences", "strategies", "tools"}
    assert all(isinstance(t, str) for s in data["stages"] for t in (*s["strategies"], *s["tools"]))
    assert set(data["questions"][0]) == {"id", "number", "text"}
    assert data["parties"][0] == {"id": "state_team", "name": "State IPS team"}
    assert data["phases"][0] == {"id": "prior", "number": 1, "name": "Prior to implementation"}
    first = data["responsibilities"][0]
    assert first == {
        "id": "R-PRI-ST-01",
        "phase": "Prior to implementation",
        "party": "State IPS team",
        "text": "Provide information about available sources of revenue for IPS supported employment.",
    }
    assert {r["phase"] for r in data["responsibilities"]} == set(PHASE_NAMES.values())
    assert {r["party"] for r in data["responsibilities"]} == set(PARTY_NAMES.values())


# --------------------------------------------------------------------------- validation


def _write_roles(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> Path:
    raw = yaml.safe_load(seedfiles.ROLES_PATH.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_dangling_party_reference_raises(tmp_path: Path) -> None:
    def mutate(raw: dict[str, Any]) -> None:
        raw["responsibilities"][0]["party"] = "nobody"

    with pytest.raises(ValueError, match=r"R-PRI-ST-01.*unknown party 'nobody'"):
        load_roles(_write_roles(tmp_path, mutate))


def test_dangling_phase_reference_raises(tmp_path: Path) -> None:
    def mutate(raw: dict[str, Any]) -> None:
        raw["responsibilities"][5]["phase"] = "someday"

    with pytest.raises(ValueError, match="unknown phase 'someday'"):
        load_roles(_write_roles(tmp_path, mutate))


def test_duplicate_responsibility_id_raises(tmp_path: Path) -> None:
    def mutate(raw: dict[str, Any]) -> None:
        raw["responsibilities"][1]["id"] = raw["responsibilities"][0]["id"]

    with pytest.raises(ValueError, match="duplicate responsibility id 'R-PRI-ST-01'"):
        load_roles(_write_roles(tmp_path, mutate))


def test_duplicate_roadmap_id_raises(tmp_path: Path) -> None:
    raw = yaml.safe_load(seedfiles.ROADMAP_PATH.read_text(encoding="utf-8"))
    raw["questions"][1]["id"] = raw["questions"][0]["id"]
    path = tmp_path / "roadmap.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate question id 'Q01'"):
        load_roadmap(path)
