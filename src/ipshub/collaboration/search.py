"""What the site search finds in collaboration: meeting series by their title, and meetings whose agenda,
minutes or place mention the term (newest first). Three queries, whatever the data size."""

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from ipshub.collaboration import access
from ipshub.collaboration.models import Meeting, MeetingSeries
from ipshub.lib.searches import SearchResult, name_match
from ipshub.tenancy.models import Person

SERIES_ORDER, MEETING_ORDER = 70, 75


def results(person: Person, query: str, limit: int) -> list[SearchResult]:
    today = timezone.localdate()
    # The series the person sees, first (a few dozen at most for a state team): the meetings are then read
    # by series, instead of PostgreSQL matching the text of every meeting before it checks who may see them.
    visible = list(access.series_visible_to(person).values_list("id", flat=True))
    match = name_match(query, names=["title"])
    series = (
        MeetingSeries.objects.filter(id__in=visible)
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
        Meeting.objects.filter(series_id__in=visible)
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
