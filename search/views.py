"""The search page: one search over everything the reader may see."""

from django.template.response import TemplateResponse

from search import selectors
from search.engines.base import EngineUnavailable
from search.forms import SearchForm

UNAVAILABLE = 503


def search(request):
    form = SearchForm(request.GET)
    context = {"form": form, "outcome": None, "unavailable": False}
    form.is_valid()
    if not form.asked:
        return TemplateResponse(request, "search/search.html", context)
    try:
        context["outcome"] = selectors.search_for(user=request.user, form=form, params=request.GET)
    except EngineUnavailable:
        context["unavailable"] = True
        return TemplateResponse(request, "search/search.html", context, status=UNAVAILABLE)
    context["query_string"] = selectors.page_query_string(request.GET)
    return TemplateResponse(request, "search/search.html", context)
