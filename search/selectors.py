"""Running a reader's search and shaping the answer for the page."""

import html
import math
import re
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Length, Replace, StrIndex, Substr
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hub import changes
from hub.audiences import viewer
from hub.search_types import ATTACHMENT_KIND, PAGE_BREAK, Facet
from search import sources
from search.engines import get_engine
from search.engines.base import RELEVANCE, Hit, SearchRequest, SearchResults
from search.forms import SearchForm
from search.models import SearchRecord
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
    # The total is an estimate (see ``SearchResults.estimated``).
    estimated: bool = False

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
class Listed:
    """A result as the page lists it; for an attached file, the page its words were found on."""

    hit: Hit
    found_on_page: int | None = None

    @property
    def snippet(self) -> SafeString:
        return mark_safe(str(self.hit.snippet).replace(PAGE_BREAK, " "))


@dataclass(frozen=True)
class SearchOutcome:
    """Everything the results page shows."""

    query: ParsedQuery
    results: SearchResults
    page: ResultsPage
    facets: list[FacetGroup]
    chosen: list[FacetOption]
    listed: list[Listed]


def audience_keys(user) -> frozenset[str] | None:
    """The keys ``user``'s search is filtered on; None for someone who may see everything."""
    who = viewer(user)
    return None if who.is_superuser else who.keys


def search_for(*, user, form: SearchForm, params: QueryDict) -> SearchOutcome:
    """Search as ``user`` with a validated ``form``, within the form's scope.

    ``params`` are the page's own query string, from which facet links are made.
    """
    query = parse(form.cleaned_data.get("q") or "", load_glossary())
    filters = form.filters()
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
    offered = form.scope.offered
    facets = [
        FacetGroup(facet.name, facet.heading, _options(facet, results, chosen_values, params))
        for facet in offered
    ]
    chosen = [
        FacetOption(
            facet.name,
            facet.heading,
            str(chosen_values[facet.name]),
            results.total,
            True,
            link(params, facet.name, None),
        )
        for facet in offered
        if facet.name in chosen_values
    ]
    return SearchOutcome(
        query=query,
        results=results,
        page=ResultsPage(
            number=number, per_page=PER_PAGE, total=results.total, estimated=results.estimated
        ),
        facets=[group for group in facets if group.options],
        chosen=chosen,
        listed=listed(results.hits),
    )


def listed(hits: list[Hit]) -> list[Listed]:
    pages = found_on_pages(hits)
    return [Listed(hit, pages.get(hit.key)) for hit in hits]


def found_on_pages(hits: list[Hit]) -> dict[str, int]:
    """For each hit on an attached file, the page of the file its snippet was taken from.

    The snippet's first marked passage is found in the record's text, and the page
    breaks before it counted, in the database: one query for a page of results, and
    no file's text is read into the site. A passage not found gives no page.
    """
    marked = (
        (hit.key, _marked_passage(hit.snippet)) for hit in hits if hit.kind == ATTACHMENT_KIND
    )
    passages = {key: passage for key, passage in marked if passage}
    if not passages:
        return {}
    position = Case(
        *(When(key=key, then=StrIndex("text", Value(text))) for key, text in passages.items()),
        output_field=IntegerField(),
    )
    before = Substr("text", 1, F("position"))
    records = (
        SearchRecord.objects.filter(key__in=passages)
        .annotate(position=position)
        .annotate(breaks=Length(before) - Length(Replace(before, Value(PAGE_BREAK), Value(""))))
    )
    return {
        key: breaks + 1
        for key, position, breaks in records.values_list("key", "position", "breaks")
        if position
    }


def _marked_passage(snippet: str) -> str:
    """The text of the snippet's first fragment with a mark, as the record's text has it."""
    fragments = re.split(rf"…|{PAGE_BREAK}", str(snippet))
    marked = next((fragment for fragment in fragments if "<mark>" in fragment), "")
    return html.unescape(re.sub(r"</?mark>", "", marked)).strip()


def _options(facet: Facet, results, chosen_values, params) -> list[FacetOption]:
    """A facet's values, most common first; numbers (years) highest first."""
    values = results.facets.get(facet.name, [])
    if facet.number:
        values = sorted(values, key=lambda value: int(value.value), reverse=True)
    return [
        FacetOption(
            name=facet.name,
            heading=facet.heading,
            value=value.value,
            count=value.count,
            selected=str(chosen_values.get(facet.name, "")) == value.value,
            url=link(params, facet.name, value.value),
        )
        for value in values
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


def decision_rows(hits: list[Hit], *, user, request=None) -> list["DecisionRow"]:
    """Each hit of the decision register with the policy versions its decision approved that
    ``user`` may read, and who made it: the same queries for a page of results however many
    there are."""
    keys = [hit.key for hit in hits]
    approvals = sources.decision_approvals(keys, user=user, request=request) if keys else {}
    makers = _decision_makers(keys)
    return [DecisionRow(hit, approvals.get(hit.key, []), makers.get(hit.key, "")) for hit in hits]


def _decision_makers(keys: list[str]) -> dict[str, str]:
    """Who made each decision, by record key: the last line of its record's text, after the
    decision and its reasons (see ``panels.search_records``). One query for a page."""
    records = SearchRecord.objects.filter(key__in=keys)
    return {
        key: text.rsplit("\n", 1)[-1].strip() for key, text in records.values_list("key", "text")
    }


@dataclass(frozen=True)
class DecisionRow:
    """A row of the register: the decision, the versions it approved the reader may read,
    and who made it, in a cell of its own."""

    hit: Hit
    approved: list[dict]
    maker: str

    @property
    def decided(self) -> str:
        """The snippet without the decision-maker its record's text ends with."""
        return without_ending(self.hit.snippet, self.maker)


def without_ending(snippet: str, ending: str) -> str:
    """``snippet`` (HTML with marks) without ``ending`` where it ends with those words,
    marked or not; unchanged when it does not, or when cutting would split a mark."""
    words = str(escape(ending)).split()
    if not words:
        return snippet
    inside = r"(?:</?mark>)*"
    pattern = (
        r"\s*(?:<mark>)*"
        + rf"{inside}\s+{inside}".join(inside.join(map(re.escape, word)) for word in words)
        + r"(?:</mark>)*\s*$"
    )
    found = re.search(pattern, str(snippet))
    if found is None or found.group().count("<mark>") != found.group().count("</mark>"):
        return snippet
    return mark_safe(str(snippet)[: found.start()])
