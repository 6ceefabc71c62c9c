"""The text of a stored document (PDF, Word, OpenDocument) page by page, or why there is none.

Attached files come from many hands and are read by the background worker, so a file may
be damaged or made to hurt whatever reads it: a zip that unpacks to gigabytes, a PDF of a
million pages, a drawing that sends a parser round a loop. The parsing therefore runs in
a child process (this module run with ``python -m``) under a wall-clock timeout and
``RLIMIT_AS``/``RLIMIT_CPU`` limits: a parser bug or a bomb takes down the child, not the
worker, and the worker records why the text is not available. The child sets its own
limits before it reads anything (a hook run between fork and exec is unsafe in a worker
with threads). It does not need Django: the parent reads the limits from settings and
hands them over on standard input; the child answers with JSON on standard output.
"""

import json
import logging
import math
import os
import re
import resource
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

logger = logging.getLogger("hub.text_extraction")

MB = 1024 * 1024
# A member under this size cannot exhaust anything, whatever it packs down to.
BOMB_FLOOR = MB
BOMB_RATIO = 100
# The child's exit status when memory ran out even for writing its answer.
MEMORY_EXIT = 3

ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_KINDS = (
    ODF_TEXT,
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.spreadsheet",
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word keeps a text box twice, for new readers (mc:Choice) and old ones (mc:Fallback).
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
ODF_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_PARAGRAPHS = ((ODF_TEXT_NS, "p"), (ODF_TEXT_NS, "h"))
ODF_PAGES = (
    ("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "page"),
    ("urn:oasis:names:tc:opendocument:xmlns:table:1.0", "table"),
)

NOT_A_DOCUMENT = "The file is not a PDF, Word or OpenDocument file."
DAMAGED = "The file is damaged or not a PDF, Word or OpenDocument file."
CRASHED = "The reader stopped on it without finishing; the file may be damaged."
NO_ANSWER = "The reader's answer could not be understood."

CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
SPACES = re.compile(r"[^\S\n]+")
BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Extracted:
    """A file's text page by page, or why it is not available (``problem``, for an editor)."""

    pages: tuple[str, ...]
    problem: str = ""

    @property
    def available(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Limits:
    """How much a file may ask of the machine; the child receives them as JSON."""

    max_bytes: int
    max_pages: int
    seconds: float
    memory_mb: int
    max_chars: int
    max_unzipped_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        # Imported here: the child imports this module too, and must not need Django.
        from django.conf import settings

        return cls(
            max_bytes=settings.HUB_EXTRACT_MAX_BYTES,
            max_pages=settings.HUB_EXTRACT_MAX_PAGES,
            seconds=settings.HUB_EXTRACT_SECONDS,
            memory_mb=settings.HUB_EXTRACT_MEMORY_MB,
            max_chars=settings.HUB_EXTRACT_MAX_CHARS,
            max_unzipped_bytes=settings.HUB_EXTRACT_MAX_UNZIPPED_BYTES,
        )


class Unreadable(Exception):
    """The file's text is not available, for the reason given in plain words."""


def extract(path: Path | str) -> Extracted:
    """The text of the file at ``path`` by page, or why it is not available.

    A bad file never raises; only a machine that cannot start the child process does.
    The text beyond ``HUB_EXTRACT_MAX_CHARS`` is cut: the pages before the limit stay
    whole, the page it falls in keeps its beginning and later pages are left out.
    """
    path = Path(path)
    extracted = _extract(path, Limits.from_settings())
    if not extracted.available:
        logger.warning("No text from %s: %s", path.name, extracted.problem)
    return extracted


def _extract(path: Path, limits: Limits) -> Extracted:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return _not_available("The file could not be found.")
    if size > limits.max_bytes:
        return _not_available(f"It is {_size(size)}; the limit is {_size(limits.max_bytes)}.")
    try:
        child = subprocess.run(
            [sys.executable, "-m", "hub.text_extraction", str(path)],
            input=json.dumps(asdict(limits)).encode(),
            stdout=subprocess.PIPE,
            # Never read: a hostile file could make a parser warn without end.
            stderr=subprocess.DEVNULL,
            timeout=limits.seconds,
            env=_child_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _not_available(_took_too_long(limits))
    return _answer(child, limits)


def _child_environment() -> dict[str, str]:
    # Where to find this module and its parsers, and nothing else: no settings, no secrets.
    return {"PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}


def _limit_self(limits: Limits) -> None:
    """The child's memory and processor time limits, set before it opens the file."""
    memory = _within_hard_limit(resource.RLIMIT_AS, limits.memory_mb * MB)
    seconds = _within_hard_limit(resource.RLIMIT_CPU, max(1, math.ceil(limits.seconds)))
    # The soft limit sends SIGXCPU; a second more, and the hard limit kills.
    seconds_hard = _within_hard_limit(resource.RLIMIT_CPU, seconds + 1)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds_hard))


def _within_hard_limit(kind: int, value: int) -> int:
    # Asking for more than the worker's own hard limit fails in the child, so ask for less.
    hard = resource.getrlimit(kind)[1]
    return value if hard == resource.RLIM_INFINITY else min(value, hard)


def _answer(child: subprocess.CompletedProcess, limits: Limits) -> Extracted:
    """What the child's exit and output say about the file."""
    if child.returncode == -signal.SIGXCPU:
        return _not_available(_took_too_long(limits))
    if child.returncode == MEMORY_EXIT:
        return _not_available(_needed_too_much_memory(limits))
    if child.returncode != 0:
        return _not_available(CRASHED)
    try:
        answer = json.loads(child.stdout)
    except ValueError:
        return _not_available(NO_ANSWER)
    match answer:
        case {"problem": str(problem)} if problem:
            return _not_available(problem)
        case {"pages": list(pages)} if all(isinstance(page, str) for page in pages):
            return Extracted(pages=tuple(pages))
    return _not_available(NO_ANSWER)


def _not_available(problem: str) -> Extracted:
    return Extracted(pages=(), problem=problem)


def _took_too_long(limits: Limits) -> str:
    unit = "second" if limits.seconds == 1 else "seconds"
    return f"Reading it took longer than {limits.seconds:g} {unit}."


def _needed_too_much_memory(limits: Limits) -> str:
    return f"Reading it needed more than {limits.memory_mb:,} MB of memory."


def _size(count: int) -> str:
    for unit, size in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if count >= size:
            return f"{count / size:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"


# The child: everything below runs in the child process only.


def main(path: str) -> None:
    """Read the file at ``path`` within the limits on standard input; answer in JSON."""
    limits = Limits(**json.load(sys.stdin))
    _limit_self(limits)
    try:
        answer = {"pages": read(Path(path), limits)}
    except Unreadable as unreadable:
        answer = {"problem": str(unreadable)}
    except MemoryError:
        answer = {"problem": _needed_too_much_memory(limits)}
    except Exception:  # Whatever a parser raises on a bad file is the file's problem.
        answer = {"problem": DAMAGED}
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode())


def read(path: Path, limits: Limits) -> list[str]:
    """The file's pages of text, whitespace tidied, cut at ``limits.max_chars``.

    Its kind is told by its first bytes, never by its name.
    """
    with path.open("rb") as file:
        start = file.read(5)
    if start == b"%PDF-":
        texts = _pdf_texts(path, limits)
    elif start.startswith(b"PK\x03\x04"):
        texts = _zip_texts(path, limits)
    else:
        raise Unreadable(NOT_A_DOCUMENT)
    return _cut(texts, limits.max_chars)


def _cut(texts: Iterable[str], max_chars: int) -> list[str]:
    # Stops asking for pages once the limit is reached, so a long file is not read to the end.
    pages: list[str] = []
    room = max_chars
    for text in texts:
        pages.append(_tidied(text)[:room])
        room -= len(pages[-1])
        if room <= 0:
            break
    return pages


def _tidied(text: str) -> str:
    """Spaces inside lines collapsed, at most one blank line running, no control characters."""
    text = CONTROL.sub("", text.replace("\r\n", "\n"))
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _pdf_texts(path: Path, limits: Limits) -> Iterator[str]:
    # The parsers are imported where a file needs them, in the child: the worker that
    # imports this module never loads them.
    from pypdf import PasswordType, PdfReader

    with PdfReader(path) as reader:
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise Unreadable("The PDF is protected by a password.")
        count = len(reader.pages)
        if count > limits.max_pages:
            raise Unreadable(f"It has {count:,} pages; the limit is {limits.max_pages:,}.")
        for page in reader.pages:
            yield page.extract_text()


def _zip_texts(path: Path, limits: Limits) -> Iterator[str]:
    """A Word or OpenDocument file's texts, once its declared sizes show it is no zip bomb."""
    with zipfile.ZipFile(path) as archive:
        _refuse_bombs(archive.infolist(), limits)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return _docx_texts(path)
        if "mimetype" in names:
            with archive.open("mimetype") as member:
                kind = member.read(100).decode("ascii", "replace").strip()
            if kind in ODF_KINDS:
                return _odf_texts(path, kind)
    raise Unreadable(NOT_A_DOCUMENT)


def _refuse_bombs(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    bomb = "it looks like a zip bomb, a file made to fill the server."
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unzipped_bytes:
        raise Unreadable(
            f"It unpacks to {_size(unpacked)}, more than the "
            f"{_size(limits.max_unzipped_bytes)} allowed: {bomb}"
        )
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > BOMB_FLOOR and ratio > BOMB_RATIO:
            raise Unreadable(f"Part of it unpacks to {ratio:,} times its packed size: {bomb}")


def _docx_texts(path: Path) -> Iterator[str]:
    """A Word document's texts between explicit page breaks: Word's own pages depend on
    the fonts and printer of whoever opens it."""
    import docx
    from lxml import etree

    text: list[str] = []
    walk = etree.iterwalk(docx.Document(str(path)).element.body, events=("start", "end"))
    for event, element in walk:
        if event == "end":
            if element.tag == f"{W}p":
                text.append("\n")
        elif element.tag == f"{W}t":
            text.append(element.text or "")
        elif element.tag == f"{W}tab":
            text.append("\t")
        elif element.tag == f"{W}br" and element.get(f"{W}type") == "page":
            yield "".join(text)
            text = []
        elif element.tag in (f"{W}br", f"{W}cr"):
            text.append("\n")
        elif element.tag == MC_FALLBACK:
            walk.skip_subtree()
    yield "".join(text)


def _odf_texts(path: Path, kind: str) -> Iterator[str]:
    """An OpenDocument file's texts: a text document as one page (it has no fixed pages),
    a presentation by its slides, a spreadsheet by its sheets."""
    from odf import opendocument

    content = opendocument.load(str(path)).body.firstChild
    if kind == ODF_TEXT:
        pages = [content]
    else:
        pages = [child for child in content.childNodes if child.qname in ODF_PAGES]
    for page in pages:
        yield "\n".join(_odf_paragraphs(page))


def _odf_paragraphs(element) -> Iterator[str]:
    from odf import teletype

    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname in ODF_PARAGRAPHS:
            yield teletype.extractText(child)
        else:
            yield from _odf_paragraphs(child)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except MemoryError:
        # Too little memory left even to answer: the exit status says it instead.
        os._exit(MEMORY_EXIT)
