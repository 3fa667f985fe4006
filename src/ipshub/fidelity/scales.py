"""The fidelity scale's data file(s), validated and loaded into versioned models."""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ipshub.fidelity.models import FidelityItem, FidelityScale

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_FILE = DATA_DIR / "scale-2008.yaml"
SCORES = ("5", "4", "3", "2", "1")
# Words that mark an anchor as unfinished: a scale file with one is refused (issue 26).
PLACEHOLDERS = ("to be checked", "todo", "tbd", "placeholder", "lorem ipsum", "fill in", "xxx")


def placeholder_in(text: str) -> str | None:
    """The placeholder marker in an anchor's text, if any (a bare ellipsis or dash counts too)."""
    lowered = text.strip().lower()
    if lowered.strip(".…-— ") == "":
        return lowered or "(empty)"
    return next((marker for marker in PLACEHOLDERS if marker in lowered), None)


class ScaleFileError(ValueError):
    pass


def read_scale(path: Path = DEFAULT_FILE) -> dict[str, Any]:
    """Read and check a scale file: every item has a section, a name and an anchor for each score."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    for key in ("key", "version", "title", "bands", "sections", "items"):
        if key not in data:
            problems.append(f"missing '{key}'")
    items = data.get("items", [])
    numbers = [item.get("number") for item in items]
    if numbers != list(range(1, len(items) + 1)):
        problems.append("items must be numbered 1, 2, 3, … in order")
    for item in items:
        label = f"item {item.get('number')}"
        if item.get("section") not in data.get("sections", []):
            problems.append(f"{label}: section '{item.get('section')}' is not one of the sections")
        anchors = {str(k): v for k, v in (item.get("anchors") or {}).items()}
        if sorted(anchors) != sorted(SCORES) or not all(anchors.values()):
            problems.append(f"{label}: needs an anchor for each score 1–5")
        for score, text in sorted(anchors.items()):
            if text and (marker := placeholder_in(str(text))):
                problems.append(f"{label}: the anchor for {score} is a placeholder ({marker})")
        cuts = (item.get("evidence") or {}).get("cuts")
        if cuts is not None and len(cuts) != 4:
            problems.append(f"{label}: evidence needs four cut points")
    if problems:
        raise ScaleFileError(f"{path.name}: " + "; ".join(problems))
    return data


def scale_texts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A scale file's displayed English texts by key, as its translation file (scale-2008.<lang>.yaml) holds them:
    the scale's title, sections and band labels under the scale's key, each item's name, anchors and sources."""
    texts: dict[str, dict[str, Any]] = {
        str(data["key"]): {
            "title": data["title"],
            "sections": list(data["sections"]),
            "bands": [band["label"] for band in data["bands"]],
        }
    }
    for item in data["items"]:
        texts[item["key"]] = {
            "name": item["name"],
            "anchors": {str(k): v for k, v in item["anchors"].items()},
            "sources": list(item.get("sources", [])),
        }
    return texts


@transaction.atomic
def scale_load(path: Path = DEFAULT_FILE) -> FidelityScale:
    """Load a scale version as the current one, unless it is loaded already (then return it)."""
    data = read_scale(path)
    existing = FidelityScale.objects.filter(key=data["key"], version=str(data["version"])).first()
    if existing is not None:
        return existing
    FidelityScale.objects.filter(key=data["key"], is_current=True).update(is_current=False)
    scale = FidelityScale.objects.create(
        key=data["key"],
        version=str(data["version"]),
        title=data["title"],
        bands=data["bands"],
        sections=data["sections"],
        is_current=True,
    )
    FidelityItem.objects.bulk_create(
        FidelityItem(
            scale=scale,
            number=item["number"],
            key=item["key"],
            section=item["section"],
            name=item["name"],
            anchors={str(k): v for k, v in item["anchors"].items()},
            sources=item.get("sources", []),
            needs_check=bool(item.get("check", False)),
            evidence=item.get("evidence") or {},
        )
        for item in data["items"]
    )
    return scale


def current_scale() -> FidelityScale:
    """The scale new reviews use; loads the bundled 2008 scale the first time it is needed."""
    scale = FidelityScale.objects.filter(is_current=True).order_by("-loaded_at").first()
    return scale or scale_load()
