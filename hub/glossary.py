"""Marking glossary acronyms in rendered text with <abbr title>, on first use."""

import hashlib
import re

from bs4 import BeautifulSoup, NavigableString
from django.core.cache import cache

from hub.models import GlossaryTerm

SKIP_INSIDE = {"abbr", "a", "script", "style", "code", "pre", "h1"}


# Marking is the same for the same text and glossary, and parsing HTML is not free.
CACHE_SECONDS = 300


def glossary_entries() -> list[tuple[str, str, str]]:
    """Every term with its expansion and synonyms, for marking text and for search."""
    return cache.get_or_set(
        "hub:glossary",
        lambda: list(GlossaryTerm.objects.values_list("term", "expansion", "synonyms")),
        CACHE_SECONDS,
    )


def glossary_expansions() -> dict[str, str]:
    """Every term and its expansion."""
    return {term: expansion for term, expansion, _ in glossary_entries()}


def forget_glossary() -> None:
    """Called when editors change a term, so readers and search see it at once."""
    cache.delete("hub:glossary")


def marked(html: str) -> str:
    """``html`` with glossary terms marked, remembered for identical text and glossary."""
    expansions = glossary_expansions()
    digest = hashlib.sha256(f"{sorted(expansions.items())}{html}".encode()).hexdigest()
    return cache.get_or_set(
        f"hub:abbr:{digest}", lambda: mark_abbreviations(html, expansions), CACHE_SECONDS
    )


def mark_abbreviations(html: str, expansions: dict[str, str]) -> str:
    """``html`` with the first use of each known term wrapped in ``<abbr title>``."""
    if not expansions:
        return html
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(term) for term in sorted(expansions, key=len, reverse=True))
        + r")(?![\w-])"
    )
    soup = BeautifulSoup(html, "html.parser")
    # A term the author already explained counts as used.
    seen = {abbr.get_text(strip=True) for abbr in soup.find_all("abbr")}
    for text in list(soup.find_all(string=True)):
        if not isinstance(text, NavigableString) or _inside_skipped(text):
            continue
        _mark_text(soup, text, pattern, expansions, seen)
    return str(soup)


def _inside_skipped(text) -> bool:
    return any(parent.name in SKIP_INSIDE for parent in text.parents)


def _mark_text(soup, text, pattern, expansions, seen) -> None:
    remaining = str(text)
    pieces = []
    for match in pattern.finditer(remaining):
        term = match.group(1)
        if term in seen:
            continue
        seen.add(term)
        pieces.append((match.start(), match.end(), term))
    if not pieces:
        return
    position, nodes = 0, []
    for start, end, term in pieces:
        nodes.append(NavigableString(remaining[position:start]))
        abbr = soup.new_tag("abbr", title=expansions[term])
        abbr.string = term
        nodes.append(abbr)
        position = end
    nodes.append(NavigableString(remaining[position:]))
    for node in reversed(nodes):
        text.insert_after(node)
    text.extract()
