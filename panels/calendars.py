"""Meetings as iCalendar (RFC 5545) feeds that calendar programs can subscribe to."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from panels.models import MeetingPage, MeetingStatus, PanelPage

PRODID = "-//Safeguarding Hub//Panels and meetings//EN"
DEFAULT_LENGTH = datetime.timedelta(hours=2)
EVENT_STATUS = {
    MeetingStatus.SCHEDULED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meetings_calendar(
    *,
    name: str,
    meetings: Iterable[MeetingPage],
    panels: dict[str, PanelPage],
    request,
) -> bytes:
    """A calendar of ``meetings``; only what the caller has already narrowed to the reader."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, panels, request))
    return calendar.to_ical()


def _event(meeting: MeetingPage, panels: dict[str, PanelPage], request) -> Event:
    panel = panels.get(meeting.path[: -PanelPage.steplen])
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", meeting.last_published_at or timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
    event.add("summary", f"{panel.title}: {meeting.title}" if panel else meeting.title)
    event.add("status", EVENT_STATUS[meeting.status])
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", meeting.get_full_url(request))
    return event
