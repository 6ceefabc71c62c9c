"""The search page, one search over everything the reader may see, and the decision register."""

from django.template.response import TemplateResponse

from search import selectors
from search.engines.base import EngineUnavailable
from search.forms import DecisionRegisterForm, SearchForm

UNAVAILABLE = 503


def search(request):
    form = SearchForm(request.GET)
    form.is_valid()
    if not form.asked:
        context = {"form": form, "outcome": None, "unavailable": False}
        return TemplateResponse(request, "search/search.html", context)
    return _results(request, "search/search.html", form=form)


def decision_register(request):
    """The decisions the reader may see, all of them newest first until narrowed, each with
    the policy versions it approved that the reader may read."""
    form = DecisionRegisterForm(request.GET)
    form.is_valid()
    response = _results(request, "search/decision_register.html", form=form)
    response.context_data["within_search"] = True
    outcome = response.context_data["outcome"]
    if outcome is not None:
        response.context_data["rows"] = selectors.decision_rows(
            outcome.results.hits, user=request.user, request=request
        )
    return response


def _results(request, template: str, *, form: SearchForm):
    context = {"form": form, "outcome": None, "unavailable": False}
    try:
        context["outcome"] = selectors.search_for(user=request.user, form=form, params=request.GET)
    except EngineUnavailable:
        context["unavailable"] = True
        return TemplateResponse(request, template, context, status=UNAVAILABLE)
    context["query_string"] = selectors.page_query_string(request.GET)
    return TemplateResponse(request, template, context)
