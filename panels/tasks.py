"""Background work of panels: telling people of minutes published and meetings added or moved.

Each task reads the live meeting afresh, so what it announces is what is published
when it runs; the notices it records are sent by ``hub.tasks.send_notices``.
"""

from django_tasks import task

from panels import services
from panels.models import MeetingPage


@task()
def announce_minutes(meeting_id: int) -> int:
    """Tell the panel's members and followers that the meeting's minutes are published."""
    meeting = MeetingPage.objects.live().filter(pk=meeting_id).first()
    return len(services.announce_minutes(meeting=meeting)) if meeting else 0


@task()
def announce_meeting(meeting_id: int) -> int:
    """Invite the panel's members and followers to a meeting added or moved."""
    meeting = MeetingPage.objects.live().filter(pk=meeting_id).first()
    return len(services.announce_meeting(meeting=meeting)) if meeting else 0
