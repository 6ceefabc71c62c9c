"""Background work of the site itself: sending notices, reading the text of attached files."""

from django_tasks import task

from hub import document_text, notices


@task()
def send_notices(notice_ids: list[int]) -> int:
    """Send these notices (those still due); how many went."""
    return notices.send(notice_ids)


@task()
def read_document_text(file_name: str, file_hash: str, owner: str) -> bool:
    """Read a kept file's text for search (``hub.document_text``); whether there was any."""
    return document_text.read(file_name=file_name, file_hash=file_hash, owner=owner).available
