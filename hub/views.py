"""Site-wide views that belong to no domain app."""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hub.models import GlossaryTerm

LARGE_PRINT_COOKIE = "hub_large_print"
ONE_YEAR = 60 * 60 * 24 * 365


@require_POST
def display_preferences(request):
    """Switch large print on or off and remember it in a cookie."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("large_print") == "on":
        response.set_cookie(
            LARGE_PRINT_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(LARGE_PRINT_COOKIE, samesite="Lax")
    return response


def glossary(request):
    """Every term and acronym, alphabetically, each with an anchor to link to."""
    return TemplateResponse(request, "hub/glossary.html", {"terms": GlossaryTerm.objects.all()})
