"""The private calendar feed: a person's meetings and due dates as iCalendar (RFC 5545)."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ipshub.collaboration import digest, selectors
from ipshub.tenancy.models import Person

PAST_DAYS = 60
FUTURE_DAYS = 365


def calendar_for(person: Person, today: datetime.date) -> bytes:
    # A calendar app fetches the feed without a session: the texts follow the person's own language.
    with translation.override(person.language or settings.LANGUAGE_CODE):
        return _calendar(person, today)


def _calendar(person: Person, today: datetime.date) -> bytes:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//IPS Hub//Collaboration calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "IPS Hub")
    stamp = datetime.datetime.now(tz=datetime.UTC)
    since, until = today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)
    for meeting in selectors.my_meetings(person, since, until):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@ipshub")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.datetime.combine(meeting.date, meeting.starts_at, tzinfo=tz))
        event.add("dtend", datetime.datetime.combine(meeting.date, meeting.ends_at, tzinfo=tz))
        event.add("summary", meeting.series.title)
        if meeting.location:
            event.add("location", meeting.location)
        event.add("description", f"{meeting.series.get_kind_display()} · {meeting.series.owner_name}")
        cal.add_component(event)
    for item in digest.all_due_items(person, today):
        if item.kind == "meeting":
            continue  # already above, with its times
        event = Event()
        event.add("uid", f"due-{item.key.replace(':', '-')}@ipshub")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_on)
        event.add("dtend", item.due_on + datetime.timedelta(days=1))
        event.add("summary", _("Due: %(title)s") % {"title": digest.safe_title(item)})
        event.add("description", f"{digest.kind_label(item)} · {item.program_name}")
        cal.add_component(event)
    ical: bytes = cal.to_ical()  # icalendar types it loosely
    return ical
