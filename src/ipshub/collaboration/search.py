"""What the site search finds in collaboration: meeting series by their title, and meetings whose agenda,
minutes or place mention the term (newest first). Two queries, whatever the data size."""

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from ipshub.collaboration import access
from ipshub.lib.searches import SearchResult, name_match
from ipshub.tenancy.models import Person

SERIES_ORDER, MEETING_ORDER = 70, 75


def results(person: Person, query: str, limit: int) -> list[SearchResult]:
    today = timezone.localdate()
    match = name_match(query, names=["title"])
    series = (
        access.series_visible_to(person)
        .filter(match.condition)
        .annotate(search_rank=match.rank)
        .annotate(next_on=Min("meetings__date", filter=Q(meetings__date__gte=today)))
        .select_related("program", "organization")
        .order_by("search_rank", "title", "pk")[:limit]
    )
    found = [
        SearchResult(
            "Meeting series",
            s.title,
            reverse("collaboration:series_detail", args=[s.pk]),
            " · ".join(
                [s.get_cadence_display(), s.owner_name]
                + ([f"next meeting {s.next_on:%b %-d, %Y}"] if s.next_on else [])
            ),
            s.search_rank,
            SERIES_ORDER,
        )
        for s in series
    ]
    match = name_match(query, names=["location"], also=["agenda", "minutes"])
    meetings = (
        access.meetings_visible_to(person)
        .filter(match.condition)
        .annotate(search_rank=match.rank)
        .select_related("series")
        .order_by("search_rank", "-date", "-starts_at", "pk")[:limit]
    )
    found += [
        SearchResult(
            "Meeting",
            str(meeting),
            reverse("collaboration:meeting_detail", args=[meeting.pk]),
            Truncator(meeting.agenda or meeting.location).chars(100),
            meeting.search_rank,
            MEETING_ORDER,
        )
        for meeting in meetings
    ]
    return found
