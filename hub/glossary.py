"""Marking glossary acronyms in rendered text with <abbr title>, on first use."""

import re

from bs4 import BeautifulSoup, NavigableString

from hub.models import GlossaryTerm

SKIP_INSIDE = {"abbr", "a", "script", "style", "code", "pre", "h1"}


def glossary_expansions() -> dict[str, str]:
    return dict(GlossaryTerm.objects.values_list("term", "expansion"))


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
