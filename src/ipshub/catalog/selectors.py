"""Reads of the current catalog, with their relations fetched in a fixed number of queries."""

from django.db.models import Count, Prefetch, QuerySet

from ipshub.catalog import models


def current_version(document: str) -> models.CatalogVersion | None:
    return models.CatalogVersion.objects.filter(document=document, is_current=True).first()


def stages() -> QuerySet[models.Stage]:
    return models.Stage.objects.filter(version__is_current=True).prefetch_related("strategies", "tools")


def stage_by_number(number: int) -> models.Stage | None:
    return stages().filter(number=number).first()


def questions() -> QuerySet[models.LeaderQuestion]:
    return models.LeaderQuestion.objects.filter(version__is_current=True)


def parties() -> QuerySet[models.Party]:
    return models.Party.objects.filter(version__is_current=True)


def phases_with_responsibilities() -> QuerySet[models.Phase]:
    return models.Phase.objects.filter(version__is_current=True).prefetch_related(
        Prefetch("responsibilities", queryset=models.Responsibility.objects.select_related("party"))
    )


def responsibility_counts() -> dict[tuple[str, str], int]:
    """(phase key, party key) → number of responsibilities, for the roles matrix."""
    rows = (
        models.Responsibility.objects.filter(version__is_current=True)
        .values("phase__key", "party__key")
        .annotate(n=Count("id"))
    )
    return {(row["phase__key"], row["party__key"]): row["n"] for row in rows}


def responsibilities_for(*, party_key: str, phase_key: str) -> QuerySet[models.Responsibility]:
    return models.Responsibility.objects.filter(version__is_current=True, party__key=party_key, phase__key=phase_key)
