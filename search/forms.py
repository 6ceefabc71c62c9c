"""The search form: what a reader may ask for, checked before anything reaches an engine."""

from django import forms

from search.engines.base import NEWEST, RELEVANCE, SearchFilters
from search.models import milestone_name

MAX_PAGE = 500


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, strip=True)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(RELEVANCE, "Most relevant"), (NEWEST, "Newest first")],
    )
    kind = forms.CharField(required=False, max_length=60)
    policy_kind = forms.CharField(required=False, max_length=100)
    panel = forms.CharField(required=False, max_length=200)
    status = forms.CharField(required=False, max_length=60)
    milestone = forms.CharField(required=False, max_length=100)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    date_from = forms.DateField(label="From", required=False, help_text="For example, 2015-01-31")
    date_to = forms.DateField(label="To", required=False, help_text="For example, 2015-04-30")
    include_past = forms.BooleanField(label="Include past versions of policies", required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_milestone(self) -> str:
        return milestone_name(self.cleaned_data["milestone"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the date range must be on or after its start.")
        return cleaned

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            kind=data.get("kind") or "",
            policy_kind=data.get("policy_kind") or "",
            panel=data.get("panel") or "",
            year=data.get("year"),
            status=data.get("status") or "",
            milestone=data.get("milestone") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            include_past=bool(data.get("include_past")),
        )

    @property
    def date_fields(self) -> list:
        return [self["date_from"], self["date_to"]]

    @property
    def asked(self) -> bool:
        """Whether the reader asked for anything: words or any narrowing."""
        return any(self.data.get(name) for name in self.fields if name not in ("sort", "page"))


class DecisionRegisterForm(SearchForm):
    """The register's form: always decisions, so no kind, policy kind or past versions.

    With no words there is nothing to rank, so decisions come newest first.
    """

    kind = None
    policy_kind = None
    include_past = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("q"):
            cleaned["sort"] = cleaned.get("sort") or RELEVANCE
        else:
            cleaned["sort"] = NEWEST
        return cleaned
