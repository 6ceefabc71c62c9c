"""Reading what someone typed into a search: words, "phrases", -exclusions and glossary terms.

The parser keeps only letters and digits from what was typed, so nothing a
reader types can reach an engine as syntax: each engine quotes or binds the
words it is given. Long queries are cut to a fixed number of words.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from hub.glossary import glossary_entries

MAX_CHARACTERS = 1000
MAX_WORDS = 32
MAX_WORD_LENGTH = 60
# The longest glossary phrase matched among unquoted words.
MAX_PHRASE_WORDS = 6

WORD = re.compile(r"[^\W_]+")
# A quoted phrase (a missing closing quote ends it at the end), or a run of other characters.
PIECE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """Something every result must contain: any one of its phrases, words in order."""

    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class Expansion:
    """A glossary term found in the query and what else was searched for because of it."""

    written: str
    also: tuple[str, ...]


@dataclass(frozen=True)
class Glossary:
    """Groups of phrases that mean the same, keyed by each phrase in lower case."""

    groups: dict[Phrase, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, str, str]]) -> "Glossary":
        """Entries are (term, expansion, comma-separated synonyms), as editors write them."""
        groups: dict[Phrase, tuple[str, ...]] = {}
        for term, expansion, synonyms in entries:
            names = [term, expansion, *synonyms.split(",")]
            group = tuple(dict.fromkeys(name.strip() for name in names if words_of(name)))
            for name in group:
                groups.setdefault(words_of(name), group)
        return cls(groups)

    def group_of(self, phrase: Phrase) -> tuple[str, ...] | None:
        return self.groups.get(phrase)


@dataclass(frozen=True)
class ParsedQuery:
    """What to search for: terms all required, phrases excluded, glossary terms expanded."""

    raw: str
    terms: tuple[Term, ...] = ()
    excluded: tuple[Phrase, ...] = ()
    expansions: tuple[Expansion, ...] = ()
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def words(self) -> list[str]:
        """Every word searched for, expansions included, for engines that want them flat."""
        return [word for term in self.terms for phrase in term.phrases for word in phrase]


def words_of(text: str) -> Phrase:
    """The words in ``text``, lower case, each cut to the longest word an engine indexes."""
    return tuple(word.lower()[:MAX_WORD_LENGTH] for word in WORD.findall(text))


def load_glossary() -> Glossary:
    """The site's glossary as search synonyms; editors' changes apply at once."""
    return Glossary.from_entries(glossary_entries())


def parse(raw: str, glossary: Glossary | None = None) -> ParsedQuery:
    """Read ``raw`` as typed; never fails, whatever it contains."""
    glossary = glossary or Glossary()
    text = raw[:MAX_CHARACTERS]
    shortened = len(raw) > MAX_CHARACTERS
    wanted: list[tuple[Phrase, bool]] = []
    excluded: list[Phrase] = []
    budget = MAX_WORDS
    for match in PIECE.finditer(text):
        minus = match.group(1) or match.group(3)
        quoted = match.group(2) is not None
        phrase = words_of(match.group(2) if quoted else match.group(4))
        if not phrase:
            continue
        if len(phrase) > budget:
            phrase, shortened = phrase[:budget], True
        budget -= len(phrase)
        if minus:
            excluded.append(phrase)
        else:
            # Unquoted words stand alone, so glossary phrases can be found among them.
            wanted.extend([(phrase, True)] if quoted or len(phrase) > 1 else [(phrase, False)])
        if budget <= 0:
            shortened = shortened or match.end() < len(text.rstrip())
            break
    terms, expansions = _expand(wanted, glossary)
    return ParsedQuery(
        raw=raw,
        terms=tuple(terms),
        excluded=tuple(dict.fromkeys(excluded)),
        expansions=tuple(expansions),
        shortened=shortened,
    )


def _expand(
    wanted: list[tuple[Phrase, bool]], glossary: Glossary
) -> tuple[list[Term], list[Expansion]]:
    """Turn wanted phrases into terms, widening any that the glossary knows."""
    terms: list[Term] = []
    expansions: dict[str, Expansion] = {}
    position = 0
    while position < len(wanted):
        phrase, length = _longest_glossary_match(wanted, position, glossary)
        group = glossary.group_of(phrase)
        if group is None:
            terms.append(Term((phrase,)))
        else:
            written = next(name for name in group if words_of(name) == phrase)
            others = tuple(name for name in group if name != written)
            expansions.setdefault(written.lower(), Expansion(written, others))
            terms.append(Term(tuple(dict.fromkeys(words_of(name) for name in group))))
        position += length
    return list(dict.fromkeys(terms)), list(expansions.values())


def _longest_glossary_match(
    wanted: list[tuple[Phrase, bool]], start: int, glossary: Glossary
) -> tuple[Phrase, int]:
    """The longest run of single unquoted words from ``start`` that the glossary knows."""
    first, stands_alone = wanted[start]
    if stands_alone:
        return first, 1
    run: list[str] = []
    for phrase, alone in wanted[start : start + MAX_PHRASE_WORDS]:
        if alone:
            break
        run.append(phrase[0])
    for length in range(len(run), 1, -1):
        if glossary.group_of(tuple(run[:length])) is not None:
            return tuple(run[:length]), length
    return first, 1
