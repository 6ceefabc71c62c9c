"""What every search engine is asked and what it answers, whatever runs underneath."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hub.search_types import FACETS, FACETS_BY_NAME
from search.query import ParsedQuery

FACET_NAMES = tuple(facet.name for facet in FACETS)
RELEVANCE, NEWEST = "relevance", "date"

# Engines mark matches with these private-use characters; they are stripped from
# indexed text, so after escaping the only ones left are the engine's own.
MARK_START, MARK_END = "\ue000", "\ue001"


class EngineUnavailable(Exception):
    """The engine could not answer (a server down or unreachable); readers get a message."""


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing chosen on the page: a value of some facets, a date range, past versions or not."""

    facets: Mapping[str, object] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    include_past: bool = False

    def __post_init__(self):
        unknown = set(self.facets) - set(FACETS_BY_NAME)
        if unknown:
            raise ValueError(f"No facet is named {', '.join(sorted(unknown))}.")

    @classmethod
    def of(cls, **chosen) -> "SearchFilters":
        """Filters from keywords: facets by name, and the date range and past versions."""
        own = {item.name for item in fields(cls)} - {"facets"}
        return cls(
            facets={name: value for name, value in chosen.items() if name not in own},
            **{name: value for name, value in chosen.items() if name in own},
        )

    def facet_values(self) -> dict[str, object]:
        """The facets chosen, by name, leaving out those not chosen."""
        return {name: value for name, value in self.facets.items() if value not in ("", None)}


@dataclass(frozen=True)
class SearchRequest:
    """One search: the parsed query, who asks (their audience keys), filters, order and page."""

    query: ParsedQuery
    # None for someone who may see everything (a superuser).
    audience_keys: frozenset[str] | None
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: str = RELEVANCE
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Hit:
    """One result as the page lists it; ``title`` and ``snippet`` are safe HTML with marks."""

    key: str
    kind: str
    title: SafeString
    url: str
    date: datetime.date | None
    snippet: SafeString
    # The values of the facets shown on hits, by facet name.
    facets: Mapping[str, str] = field(default_factory=dict)

    @property
    def facts(self) -> list[tuple[str, str]]:
        """(heading, value) of each facet shown on hits that this hit has, in facet order."""
        return [
            (facet.heading, self.facets[facet.name])
            for facet in FACETS
            if facet.on_hits and self.facets.get(facet.name)
        ]


@dataclass(frozen=True)
class FacetValue:
    """A value of a facet and how many results the reader may see have it."""

    value: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, the total the reader may see, and facet counts over that total."""

    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    # True when the words are in so many records that the total and facet counts
    # are estimates (rounded) and the hits are the newest matches, not the best.
    estimated: bool = False


class SearchEngine(Protocol):
    """The interface each engine offers the search page and the indexer."""

    name: str
    # Whether the engine keeps an index of its own that must be told of changed
    # records, or answers from the records table itself.
    keeps_own_index: bool

    def search(self, request: SearchRequest) -> SearchResults: ...

    def health(self) -> str:
        """What is wrong with the engine, or "" when it answers."""

    def records_written(self, keys: list[str]) -> None:
        """Records with these keys were added or changed in the projection."""

    def records_removed(self, keys: list[str]) -> None:
        """Records with these keys left the projection."""

    def rebuild(self, progress=None) -> int:
        """Re-read the whole projection; returns the number of records indexed."""


def marked_html(text: str) -> SafeString:
    """Escape engine output, then turn its match markers into ``<mark>`` elements."""
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def without_markers(text: str) -> str:
    """Text safe to index: with any characters the engines use as markers removed."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


def facet_list(counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    """Facet counts sorted most common first, then by value, for every facet."""
    return {
        name: [
            FacetValue(str(value), count)
            for value, count in sorted(
                counts.get(name, {}).items(), key=lambda item: (-item[1], str(item[0]))
            )
            if value not in ("", None)
        ]
        for name in FACET_NAMES
    }
