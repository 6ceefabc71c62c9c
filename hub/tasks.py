"""Background work of the site itself: sending the notices of ``hub.notices``."""

from django_tasks import task

from hub import notices


@task()
def send_notices(notice_ids: list[int]) -> int:
    """Send these notices (those still due); how many went."""
    return notices.send(notice_ids)
