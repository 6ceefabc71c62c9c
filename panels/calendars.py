"""Meetings as iCalendar (RFC 5545): feeds calendar programs subscribe to, and invitations."""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

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
    calendar = _calendar(method="PUBLISH")
    calendar.add("x-wr-calname", name)
    host = request.get_host().split(":")[0]
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting,
                panel=panels.get(meeting.path[: -PanelPage.steplen]),
                host=host,
                url=meeting.get_full_url(request),
            )
        )
    return calendar.to_ical()


def invitation(meeting: MeetingPage, *, panel: PanelPage, url: str, sequence: int) -> str:
    """An invitation (METHOD:REQUEST) to ``meeting``; ``sequence`` grows each time it moves.

    Its UID is the meeting's, so a calendar program replaces the event it holds.
    """
    calendar = _calendar(method="REQUEST")
    event = meeting_event(
        meeting, panel=panel, host=urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname, url=url
    )
    event.add("sequence", sequence)
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = name
    event.add("organizer", organizer)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def meeting_event(meeting: MeetingPage, *, panel: PanelPage | None, host: str, url: str) -> Event:
    """``meeting`` as one calendar event, the same in a feed and an invitation."""
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", meeting.last_published_at or timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
    event.add("summary", f"{panel.title}: {meeting.title}" if panel else meeting.title)
    event.add("status", EVENT_STATUS[meeting.status])
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", url)
    return event


def _calendar(*, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar
