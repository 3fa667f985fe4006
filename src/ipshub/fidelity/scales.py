"""The fidelity scale's data file(s), validated and loaded into versioned models."""

from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.db import transaction

from ipshub.catalog import translations
from ipshub.fidelity.models import FidelityItem, FidelityScale
from ipshub.fidelity.rules import DEFAULT_BANDS

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_FILE = DATA_DIR / "scale-2008.yaml"
DEFAULT_KEY = "ips-25"  # the key of DEFAULT_FILE's scale
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
        scale_translate(source=path)
        existing.refresh_from_db(fields=["translations"])
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
    scale_translate(source=path)
    scale.refresh_from_db(fields=["translations"])
    return scale


def band_local(label: str) -> str:
    """A total-score band's label in the reader's language (totals carry the English label, which the API keeps):
    the bundled scale's translation of it, while the label is still the bundled English."""
    english = [str(band["label"]) for band in DEFAULT_BANDS]
    translated = translations.local(
        {"bands": english, "translations": translations.translate(DEFAULT_FILE, DEFAULT_KEY, {"bands": english})},
        "bands",
    )
    return str(dict(zip(english, translated, strict=False)).get(label, label))


def scale_translate(get_model: Any = apps.get_model, source: Path = DEFAULT_FILE) -> int:
    """Store the current translations (scale-*.<lang>.yaml beside `source`) on every loaded scale of that
    file's key and its items; an item's section takes the translation of the scale's sections. `get_model` lets a
    migration use its historical models. Returns how many rows changed."""
    key = read_scale(source)["key"]
    scale_model, item_model = get_model("fidelity", "FidelityScale"), get_model("fidelity", "FidelityItem")
    changed: list[Any] = []
    for scale in scale_model.objects.filter(key=key):
        english = {"title": scale.title, "sections": scale.sections, "bands": [b["label"] for b in scale.bands]}
        found = translations.translate(source, scale.key, english)
        if scale.translations != found:
            scale.translations = found
            scale.save(update_fields=["translations"])
            changed.append(scale)
        sections = {
            language: dict(zip(scale.sections, fields["sections"], strict=False))
            for language, fields in found.items()
            if "sections" in fields
        }
        items = []
        for item in item_model.objects.filter(scale=scale):
            english = {"name": item.name, "anchors": item.anchors, "sources": item.sources}
            item_found = translations.translate(source, item.key, english)
            for language, names in sections.items():
                if item.section in names:
                    item_found.setdefault(language, {})["section"] = names[item.section]
            if item.translations != item_found:
                item.translations = item_found
                items.append(item)
        item_model.objects.bulk_update(items, ["translations"])
        changed += items
    return len(changed)


def current_scale() -> FidelityScale:
    """The scale new reviews use; loads the bundled 2008 scale the first time it is needed."""
    scale = FidelityScale.objects.filter(is_current=True).order_by("-loaded_at").first()
    return scale or scale_load()


translations.register("fidelity/scale-2008.yaml", lambda: (DEFAULT_FILE, scale_texts(read_scale())))
