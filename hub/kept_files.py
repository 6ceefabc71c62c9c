"""Copies of library documents as a publish kept them (``hub.models.KeptFile``), so a later
upload cannot change them."""

import hashlib

from django.core.files.base import ContentFile
from django.http import FileResponse

from hub import document_text


def keep_copy(kept, document, *, earlier: dict[str, str], owner: str) -> None:
    """Save ``kept`` (a ``KeptFile``) with the content of ``document``'s file as it now is,
    and have the worker read its text for the records of ``owner``.

    ``earlier`` maps the hashes of copies already kept to their stored names: the same
    content is stored once, and the map learns of a new one.
    """
    with document.file.open("rb") as source:
        content = source.read()
    kept.file_hash = hashlib.sha256(content).hexdigest()
    kept.file_size = len(content)
    if kept.file_hash in earlier:
        kept.file.name = earlier[kept.file_hash]
    else:
        kept.file.save(document.file.name.rsplit("/", 1)[-1], ContentFile(content), save=False)
        earlier[kept.file_hash] = kept.file.name
    kept.save()
    document_text.request_text(file_name=kept.file.name, file_hash=kept.file_hash, owner=owner)


def attached(stream, block_type: str) -> list:
    """(title, document) of each block of ``block_type`` in ``stream`` that names a document:
    a block's own title, else the document's."""
    return [
        (block.value["title"] or block.value["document"].title, block.value["document"])
        for block in stream
        if block.block_type == block_type and block.value["document"] is not None
    ]


def file_response(kept) -> FileResponse:
    """A kept copy's file: a PDF opens in the browser, at the page a search result names
    (``#page=N``); any other file is downloaded. Neither may run anything it carries."""
    inline = kept.filename.lower().endswith(".pdf")
    response = FileResponse(kept.file.open("rb"), as_attachment=not inline, filename=kept.filename)
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
