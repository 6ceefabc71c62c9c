"""The search forms: what a reader may ask for, checked before anything reaches an engine."""

from dataclasses import dataclass, field, replace

from django import forms
from django.forms import BoundField

from hub.form_rendering import GovukForm, is_calendar_date
from hub.search_types import FACETS, FACETS_BY_NAME, Facet
from search.engines.base import NEWEST, RELEVANCE, SearchFilters
from search.models import one_line

MAX_PAGE = 500
# The largest value a number facet keeps (see search.models.facet_column).
LARGEST_NUMBER = 32767


@dataclass(frozen=True)
class Scope:
    """What a search page always searches within, and the facets it offers, in order.

    The ``fixed`` facets apply whatever the query string says and are never offered.
    """

    fixed: SearchFilters = field(default_factory=SearchFilters)
    facets: tuple[Facet, ...] = FACETS

    @property
    def offered(self) -> list[Facet]:
        return [facet for facet in self.facets if facet.name not in self.fixed.facets]


EVERYTHING = Scope()
DECISIONS = Scope(
    fixed=SearchFilters(facets={"kind": "Decision"}),
    facets=(
        FACETS_BY_NAME["panel"],
        FACETS_BY_NAME["year"],
        replace(FACETS_BY_NAME["status"], heading="Outcome"),
        FACETS_BY_NAME["milestone"],
    ),
)


class OneLineField(forms.CharField):
    """A name as facet sets keep it, however its spaces and line breaks were typed."""

    def to_python(self, value):
        return one_line(super().to_python(value))


def facet_field(facet: Facet) -> forms.Field:
    if facet.number:
        return forms.IntegerField(
            label=facet.heading, required=False, min_value=0, max_value=LARGEST_NUMBER
        )
    field_class = OneLineField if facet.many else forms.CharField
    return field_class(label=facet.heading, required=False, max_length=facet.max_length)


@dataclass(frozen=True)
class DateBox:
    """A date field as its box shows it: a date picker for a date the picker can show,
    otherwise a text box keeping what was typed (a picker drops a value it cannot show,
    leaving an empty box beside the error)."""

    field: BoundField

    @property
    def input_type(self) -> str:
        return "date" if is_calendar_date(self.field.value()) else "text"


class SearchForm(GovukForm):
    """Words, order, dates and past versions, then a field for each facet the scope offers."""

    scope = EVERYTHING

    q = forms.CharField(label="Search for", required=False, strip=True)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(RELEVANCE, "Most relevant"), (NEWEST, "Newest first")],
    )
    date_from = forms.DateField(label="From", required=False, help_text="For example, 2015-01-31")
    date_to = forms.DateField(label="To", required=False, help_text="For example, 2015-04-30")
    include_past = forms.BooleanField(label="Include past versions of policies", required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for facet in self.scope.offered:
            self.fields[facet.name] = facet_field(facet)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the date range must be on or after its start.")
        return cleaned

    def filters(self) -> SearchFilters:
        """What the reader chose, within what the scope always searches."""
        data = self.cleaned_data
        chosen = {facet.name: data.get(facet.name) for facet in self.scope.offered}
        return SearchFilters(
            facets={**chosen, **self.scope.fixed.facets},
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            include_past=bool(data.get("include_past")),
        )

    @property
    def date_fields(self) -> list[DateBox]:
        return [DateBox(self["date_from"]), DateBox(self["date_to"])]

    @property
    def dates_typed(self) -> bool:
        """Whether a date box is a text box, for which the page says how to write a date."""
        return any(box.input_type == "text" for box in self.date_fields)

    @property
    def asked(self) -> bool:
        """Whether the reader asked for anything: words or any narrowing."""
        return any(self.data.get(name) for name in self.fields if name not in ("sort", "page"))


class DecisionRegisterForm(SearchForm):
    """The register's form: always decisions, so no past versions.

    With no words there is nothing to rank, so decisions come newest first.
    """

    scope = DECISIONS
    include_past = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("q"):
            cleaned["sort"] = cleaned.get("sort") or RELEVANCE
        else:
            cleaned["sort"] = NEWEST
        return cleaned
