"""Running a reader's search and shaping the answer for the page."""

import math
from dataclasses import dataclass, field, replace

from django.http import QueryDict

from hub import changes
from hub.audiences import viewer
from search.engines import get_engine
from search.engines.base import FACETS, RELEVANCE, SearchFilters, SearchRequest, SearchResults
from search.forms import SearchForm
from search.query import ParsedQuery, load_glossary, parse

PER_PAGE = 20


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet on the page: its count and the link that chooses or removes it."""

    name: str
    heading: str
    value: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class FacetGroup:
    """A facet's heading and the values the reader may narrow to."""

    name: str
    heading: str
    options: list[FacetOption]


@dataclass(frozen=True)
class ResultsPage:
    """Which page of results this is, in the shape the pagination component reads."""

    number: int
    per_page: int
    total: int

    @property
    def paginator(self) -> "ResultsPage":
        return self

    @property
    def count(self) -> int:
        return self.total

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_position(self) -> int:
        return (self.number - 1) * self.per_page + 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class Scope:
    """What a search page always searches within, and the facets it offers, in order.

    The ``fixed`` facets apply whatever the query string says and are never offered.
    """

    fixed: SearchFilters = field(default_factory=SearchFilters)
    facets: tuple[tuple[str, str], ...] = FACETS


EVERYTHING = Scope()
DECISIONS = Scope(
    fixed=SearchFilters(kind="Decision"),
    facets=(
        ("panel", "Panel"),
        ("year", "Year"),
        ("status", "Outcome"),
        ("milestone", "Milestone"),
    ),
)


@dataclass(frozen=True)
class SearchOutcome:
    """Everything the results page shows."""

    query: ParsedQuery
    results: SearchResults
    page: ResultsPage
    facets: list[FacetGroup]
    chosen: list[FacetOption]


def audience_keys(user) -> frozenset[str] | None:
    """The keys ``user``'s search is filtered on; None for someone who may see everything."""
    who = viewer(user)
    return None if who.is_superuser else who.keys


def search_for(
    *, user, form: SearchForm, params: QueryDict, scope: Scope = EVERYTHING
) -> SearchOutcome:
    """Search as ``user`` with a validated ``form`` within ``scope``.

    ``params`` are the page's own query string, from which facet links are made.
    """
    query = parse(form.cleaned_data.get("q") or "", load_glossary())
    fixed = scope.fixed.facet_values()
    filters = replace(form.filters(), **fixed)
    number = form.cleaned_data.get("page") or 1
    request = SearchRequest(
        query=query,
        audience_keys=audience_keys(user),
        filters=filters,
        sort=form.cleaned_data.get("sort") or RELEVANCE,
        page=number,
        per_page=PER_PAGE,
    )
    if query.is_empty and query.raw.strip():
        # Only exclusions or punctuation: there is nothing to find, not everything.
        results = SearchResults(hits=[], total=0, facets={})
    else:
        # Changes this transaction made are found, as the database itself would show them.
        changes.settle()
        results = get_engine().search(request)
    chosen_values = filters.facet_values()
    offered = [(name, heading) for name, heading in scope.facets if name not in fixed]
    facets = [
        FacetGroup(name, heading, _options(name, heading, results, chosen_values, params))
        for name, heading in offered
    ]
    chosen = [
        FacetOption(
            name, heading, str(chosen_values[name]), results.total, True, link(params, name, None)
        )
        for name, heading in offered
        if name in chosen_values
    ]
    return SearchOutcome(
        query=query,
        results=results,
        page=ResultsPage(number=number, per_page=PER_PAGE, total=results.total),
        facets=[group for group in facets if group.options],
        chosen=chosen,
    )


def _options(name, heading, results, chosen_values, params) -> list[FacetOption]:
    values = results.facets.get(name, [])
    if name == "year":
        values = sorted(values, key=lambda facet: facet.value, reverse=True)
    return [
        FacetOption(
            name=name,
            heading=heading,
            value=facet.value,
            count=facet.count,
            selected=str(chosen_values.get(name, "")) == facet.value,
            url=link(params, name, facet.value),
        )
        for facet in values
    ]


def link(params: QueryDict, name: str, value: str | None) -> str:
    """The page's address with facet ``name`` set to ``value`` (or removed), from page one."""
    changed = params.copy()
    changed.pop("page", None)
    if value is None:
        changed.pop(name, None)
    else:
        changed[name] = value
    return f"?{changed.urlencode()}"


def page_query_string(params: QueryDict) -> str:
    """The page's query string without its page number, for the pagination links."""
    changed = params.copy()
    changed.pop("page", None)
    return changed.urlencode()
