"""The text of attached files, for search and the privacy check: read once per content, by the
worker, never in a request.

An app that keeps a copy of a file (a policy version's attachment) asks for its text
when it makes the copy, naming the owner whose search records show it. The worker
reads the file within ``hub.text_extraction``'s limits, keeps the pages under the
content's hash and announces the owner, so its records are written again with the
text. A file that cannot be read is kept as "text not available", with why; it never
stops the publish that kept it. Content kept by many versions is read once, and a new
upload for a later version has another hash: what an old version's attachment is found
by never changes.
"""

import hashlib
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from hub import changes
from hub.models import DocumentText
from hub.privacy import Finding, Located, Passage
from hub.search_types import PAGE_BREAK, page_owner
from hub.text_extraction import Extracted, extract


def request_text(*, file_name: str, file_hash: str, owner: str) -> None:
    """Have the worker read the stored file ``file_name`` once the change is committed."""
    if DocumentText.objects.filter(file_hash=file_hash).exists():
        return
    from hub.tasks import read_document_text  # the task module imports this one

    transaction.on_commit(
        lambda: read_document_text.enqueue(file_name, file_hash, owner), robust=True
    )


def request_document_text(document, *, owner: str) -> None:
    """Have a library document's file read as it now is (for the privacy check of a draft)."""
    file_hash = content_hash(document)
    if file_hash:
        request_text(file_name=document.file.name, file_hash=file_hash, owner=owner)


def request_attached(page) -> None:
    """Have the files ``page`` attaches read for its privacy check, each content once."""
    owner = page_owner(page.pk) if page.pk else ""
    for _title, document in getattr(page, "attached_documents", list)():
        request_document_text(document, owner=owner)


def text_of_document(document) -> DocumentText | None:
    """The text of a library document's file as it now is, once the worker has read it."""
    file_hash = content_hash(document)
    return DocumentText.objects.filter(file_hash=file_hash).first() if file_hash else None


def passages_of(attached: list, *, called: str) -> list[Passage]:
    """The pages of each attached (title, document) read so far, for the privacy check."""
    passages = []
    for title, document in attached:
        text = text_of_document(document)
        pages = text.pages if text and text.available else []
        passages.extend(
            Passage(f"{called} “{title}”, page {number}", page)
            for number, page in enumerate(pages, start=1)
        )
    return passages


def unchecked_of(attached: list, *, called: str) -> list[Located]:
    """A finding for each attached (title, document) whose text the check could not read: not
    read yet, or not readable. Nobody should take such a file for checked."""
    unchecked = []
    for title, document in attached:
        text = text_of_document(document)
        if text is None:
            why = "Its text has not been read yet. Try again in a minute."
        elif not text.available:
            why = f"Its text cannot be read ({text.problem}) Open it and check it yourself."
        elif not any(page.strip() for page in text.pages):
            why = "It holds no text to read, perhaps a scan. Open it and check it yourself."
        else:
            continue
        unchecked.append(Located(f"{called} “{title}”", Finding("Not checked", "", 0, why), ""))
    return unchecked


def content_hash(document) -> str:
    """The SHA-256 of a document's file, the key its text is kept under; "" when the file
    is missing from the store."""
    digest = hashlib.sha256()
    try:
        with document.file.open("rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def read(*, file_name: str, file_hash: str, owner: str) -> DocumentText:
    """Read the file's text unless its content was read before, then rewrite ``owner``'s records."""
    text = DocumentText.objects.filter(file_hash=file_hash).first()
    if text is None:
        extracted = _extract_stored(file_name)
        text, _ = DocumentText.objects.get_or_create(
            file_hash=file_hash,
            defaults={"pages": list(extracted.pages), "problem": extracted.problem},
        )
    if owner:
        changes.announce([owner])
    return text


def texts_of(file_hashes: Iterable[str]) -> dict[str, DocumentText]:
    """The texts read so far of these contents, by hash."""
    return {
        text.file_hash: text for text in DocumentText.objects.filter(file_hash__in=set(file_hashes))
    }


def searchable(text: DocumentText | None) -> str:
    """A text's pages as one search record's text, a page break between pages."""
    if text is None or not text.available:
        return ""
    return PAGE_BREAK.join(text.pages)


def _extract_stored(file_name: str) -> Extracted:
    if not default_storage.exists(file_name):
        return Extracted(pages=(), problem="The file is missing from the document store.")
    local = _local_path(file_name)
    if local:
        return extract(local)
    # A store that keeps no file on this disk (an object store, memory): read a local copy.
    with (
        default_storage.open(file_name, "rb") as stored,
        tempfile.NamedTemporaryFile(suffix=Path(file_name).suffix) as copy,
    ):
        shutil.copyfileobj(stored, copy)
        copy.flush()
        return extract(copy.name)


def _local_path(file_name: str) -> str:
    """Where the store keeps the file on this disk, or "" when it keeps it elsewhere."""
    try:
        path = default_storage.path(file_name)
    except NotImplementedError:  # Django's way for a store to say it has no local paths
        return ""
    return path if Path(path).is_file() else ""
