"""Loading the catalog's data files into the database."""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import transaction

from ipshub.catalog import models, seedfiles, translations

#: The displayed fields of each catalog model and the seed file whose translation files translate them.
TRANSLATED_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Stage": ("roadmap", ("name", "short_name", "audiences")),
    "Strategy": ("roadmap", ("text",)),
    "Tool": ("roadmap", ("text",)),
    "LeaderQuestion": ("roadmap", ("text",)),
    "Party": ("roles", ("name", "description")),
    "Phase": ("roles", ("name", "description")),
    "Responsibility": ("roles", ("text", "describe")),
}


@transaction.atomic
def catalog_load(*, roadmap: seedfiles.Roadmap | None = None, roles: seedfiles.Roles | None = None) -> dict[str, bool]:
    """Load the roadmap and roles documents, each as a new current version unless that version is
    already loaded. Idempotent: running it again changes nothing. Returns which documents were loaded."""
    roadmap = roadmap or seedfiles.load_roadmap()
    roles = roles or seedfiles.load_roles()
    loaded = {
        "roadmap": _load_roadmap(roadmap),
        "roles": _load_roles(roles),
    }
    catalog_translate()
    return loaded


def _english(row: Any, name: str) -> Any:
    # A migration's historical model has no properties: the fulfilment rule's sentence is read from its JSON.
    return row.fulfilment.get("describe", "") if name == "describe" else getattr(row, name)


def catalog_translate(get_model: Callable[[str, str], Any] = apps.get_model) -> int:
    """Store the translation files' current translations on every loaded catalog row (all versions), so an
    edited .es.yaml reaches the database at the next load without a new catalog version; a row whose English
    no longer matches a translation keeps none (English is shown). `get_model` lets a migration use its
    historical models. Returns how many rows changed."""
    paths = {"roadmap": seedfiles.ROADMAP_PATH, "roles": seedfiles.ROLES_PATH}
    changed = 0
    for model_name, (document, fields) in TRANSLATED_FIELDS.items():
        model = get_model("catalog", model_name)
        rows = []
        for row in model.objects.all():
            found = translations.translate(paths[document], row.key, {f: _english(row, f) for f in fields})
            if row.translations != found:
                row.translations = found
                rows.append(row)
        model.objects.bulk_update(rows, ["translations"], batch_size=500)
        changed += len(rows)
    return changed


def _new_version(document: str, version: str, title: str) -> models.CatalogVersion | None:
    if models.CatalogVersion.objects.filter(document=document, version=version).exists():
        return None
    models.CatalogVersion.objects.filter(document=document, is_current=True).update(is_current=False)
    return models.CatalogVersion.objects.create(document=document, version=version, title=title, is_current=True)


def _load_roadmap(roadmap: seedfiles.Roadmap) -> bool:
    version = _new_version(models.CatalogVersion.Document.ROADMAP, roadmap.version, roadmap.title)
    if version is None:
        return False
    for item in roadmap.stages:
        stage = models.Stage.objects.create(
            version=version,
            key=item.id,
            number=item.number,
            name=item.name,
            short_name=item.short_name,
            audiences=list(item.audiences),
        )
        models.Strategy.objects.bulk_create(
            models.Strategy(stage=stage, key=s.id, order=n, text=s.text, principle=s.principle or "")
            for n, s in enumerate(item.strategies, start=1)
        )
        models.Tool.objects.bulk_create(
            models.Tool(stage=stage, key=t.id, order=n, text=t.text, kind=t.kind)
            for n, t in enumerate(item.tools, start=1)
        )
    models.LeaderQuestion.objects.bulk_create(
        models.LeaderQuestion(version=version, key=q.id, number=q.number, text=q.text) for q in roadmap.questions
    )
    return True


def _load_roles(roles: seedfiles.Roles) -> bool:
    version = _new_version(models.CatalogVersion.Document.ROLES, roles.version, roles.title)
    if version is None:
        _refresh_fulfilment(roles)
        return False
    parties = {
        p.id: models.Party.objects.create(
            version=version, key=p.id, order=n, name=p.name, org_kind=p.org_kind, description=p.description
        )
        for n, p in enumerate(roles.parties, start=1)
    }
    phases = {
        p.id: models.Phase.objects.create(
            version=version, key=p.id, number=p.number, name=p.name, description=p.description
        )
        for p in roles.phases
    }
    models.Responsibility.objects.bulk_create(
        models.Responsibility(
            version=version,
            phase=phases[r.phase],
            party=parties[r.party],
            key=r.id,
            order=n,
            text=r.text,
            due_days=r.due_days,
            recurring=r.recurring,
            fulfilment=r.fulfilment.as_dict(),
        )
        for n, r in enumerate(roles.responsibilities, start=1)
    )
    return True


def _refresh_fulfilment(roles: seedfiles.Roles) -> None:
    """The fulfilment rules are product data beside the seed text: a loaded version takes the file's current
    rules without becoming a new catalog version (the seed text, and so the version, is unchanged)."""
    current = {
        item.key: item
        for item in models.Responsibility.objects.filter(version__document="roles", version__version=roles.version)
    }
    changed = []
    for r in roles.responsibilities:
        item = current.get(r.id)
        if item is not None and item.fulfilment != r.fulfilment.as_dict():
            item.fulfilment = r.fulfilment.as_dict()
            changed.append(item)
    models.Responsibility.objects.bulk_update(changed, ["fulfilment"])


translations.register(
    "catalog/roadmap.yaml", lambda: (seedfiles.ROADMAP_PATH, seedfiles.roadmap_texts(seedfiles.load_roadmap()))
)
translations.register(
    "catalog/roles.yaml", lambda: (seedfiles.ROLES_PATH, seedfiles.roles_texts(seedfiles.load_roles()))
)
