"""What changed between two versions of a text, as readable lines with marked edits.

Policies compare their bodies with it and panels their terms of reference; the
markup for a comparison is ``templates/components/diff.html``.
"""

import difflib
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TEXT_ELEMENTS = ("p", "li", "h2", "h3", "h4", "h5", "h6")
WORDS = re.compile(r"\S+|\s+")
# Two lines at least this alike are shown as one edited line.
SIMILAR = 0.6


@dataclass(frozen=True)
class ChangedField:
    """A property of a record that differs between the two versions."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class DiffLine:
    """One line of the text: unchanged, inserted, deleted, or edited with words marked."""

    change: str
    html: SafeString


def rich_text_lines(html: str) -> list[str]:
    """Rich text as lines of plain text, one per paragraph, item or heading."""
    soup = BeautifulSoup(str(html), "html.parser")
    elements = soup.find_all(TEXT_ELEMENTS)
    texts = [element.get_text(" ", strip=True) for element in elements] or [soup.get_text(" ")]
    return [" ".join(text.split()) for text in texts if text.strip()]


def diff_lines(old_lines: list[str], new_lines: list[str]) -> list[DiffLine]:
    """Line-by-line comparison; edited lines show their changed words."""
    result = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(DiffLine("equal", escape(line)) for line in old_lines[i1:i2])
        else:
            result.extend(_replaced(old_lines[i1:i2], new_lines[j1:j2]))
    return result


def changes_in(lines: list[DiffLine]) -> int:
    """How many of ``lines`` differ between the two versions."""
    return sum(1 for line in lines if line.change != "equal")


def _replaced(old_lines: list[str], new_lines: list[str]) -> list[DiffLine]:
    """Lines that stand in each other's place: edited if alike, else removed and added."""
    result = []
    for before, after in zip(old_lines, new_lines, strict=False):
        if difflib.SequenceMatcher(a=before, b=after, autojunk=False).ratio() >= SIMILAR:
            result.append(DiffLine("changed", _word_diff(before, after)))
        else:
            result.append(DiffLine("deleted", _deleted(escape(before))))
            result.append(DiffLine("inserted", _inserted(escape(after))))
    paired = min(len(old_lines), len(new_lines))
    result.extend(DiffLine("deleted", _deleted(escape(line))) for line in old_lines[paired:])
    result.extend(DiffLine("inserted", _inserted(escape(line))) for line in new_lines[paired:])
    return result


def _word_diff(before: str, after: str) -> SafeString:
    old_words, new_words = WORDS.findall(before), WORDS.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(_deleted(escape("".join(old_words[i1:i2]))))
        if j2 > j1:
            parts.append(_inserted(escape("".join(new_words[j1:j2]))))
    return mark_safe("".join(parts))


def _marked(tag: str, word: str, html: str) -> SafeString:
    hidden = '<span class="govuk-visually-hidden">{}</span>'
    return mark_safe(f"<{tag}>{hidden.format(f'[{word}: ')}{html}{hidden.format(']')}</{tag}>")


def _deleted(html: str) -> SafeString:
    return _marked("del", "deleted", html)


def _inserted(html: str) -> SafeString:
    return _marked("ins", "inserted", html)
