"""Site-wide views that belong to no domain app."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import page_not_found
from wagtail.images import get_image_model

from hub import health, notices, records
from hub.collections import admits
from hub.models import GlossaryTerm
from hub.notice_forms import SubscribeForm, SubscriptionChangeForm

LARGE_PRINT_COOKIE = "hub_large_print"
ONE_DAY = 60 * 60 * 24
ONE_YEAR = ONE_DAY * 365


# Without a CSRF token in the footer, public pages set no cookie and shared caches
# can keep them. Another site could at worst change a reader's print size.
@csrf_exempt
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


@require_GET
def print_origin(request):
    """The site's address for the print stylesheet, which writes out every link in full.

    CSS can only print a link's ``href`` as written, and the Hub's links are relative; this
    gives the print stylesheet the part before them.
    """
    origin = json.dumps(request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(f":root {{ --hub-origin: {origin}; }}\n", content_type="text/css")
    patch_cache_control(response, public=True, max_age=ONE_DAY)
    return response


def glossary(request):
    """Every term and acronym, alphabetically, each with an anchor to link to."""
    return TemplateResponse(request, "hub/glossary.html", {"terms": GlossaryTerm.objects.all()})


@require_GET
def image_file(request, path):
    """An image or a size of one from the media folder, only to its collection's audience.

    Documents and policy attachments are served by addresses of their own that
    check who may read them; nothing else in the media folder is served.
    """
    Image = get_image_model()
    image = Image.objects.filter(file=path).select_related("collection").first()
    rendition = None
    if image is None:
        rendition = (
            Image.get_rendition_model()
            .objects.filter(file=path)
            .select_related("image__collection")
            .first()
        )
        image = rendition.image if rendition else None
    if image is None:
        raise Http404("No such image")
    if not admits(request, image.collection):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.get_full_path())
    return FileResponse((rendition or image).file.open("rb"))


def not_found(request, exception):
    """Page not found, unless a page here was withdrawn: its readers are told when and why."""
    withdrawal = records.withdrawal_shown_at(request)
    if withdrawal is None:
        return page_not_found(request, exception)
    return TemplateResponse(request, "hub/withdrawn.html", {"withdrawal": withdrawal}, status=410)


def admin_sign_in(request):
    """Wagtail's sign-in address leads to the Hub's, which asks for the second factor."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("wagtailadmin_home")
    return redirect_to_login(target)


def _health_response(outcomes: dict[str, health.Outcome]) -> JsonResponse:
    well = all(outcome.ok for outcome in outcomes.values())
    return JsonResponse(
        {
            "status": "ok" if well else "failing",
            "checks": {
                name: {"ok": outcome.ok, "detail": outcome.detail}
                for name, outcome in outcomes.items()
            },
        },
        status=200 if well else 503,
    )


@never_cache
@require_GET
def healthz(request):
    """Whether this process can serve: its database, cache, task queue and search."""
    return _health_response(health.health())


@never_cache
@require_GET
def readyz(request):
    """Health, and no migration waiting: a new release takes requests only then."""
    return _health_response(health.readiness())


@never_cache
@login_required
def notifications(request):
    """Your notifications: what you follow and how often, which reminders you get, what was sent."""
    if request.method == "POST":
        form = SubscriptionChangeForm(request.POST, user=request.user)
        if form.is_valid():
            messages.success(request, form.save())
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return HttpResponseRedirect(reverse("notifications"))
    return TemplateResponse(
        request, "hub/notifications.html", notices.settings_for(user=request.user)
    )


@never_cache
@require_POST
@login_required
def subscribe(request):
    """Follow a page, or stop following it, then go back to it."""
    form = SubscribeForm(request.POST, user=request.user)
    if not form.is_valid():
        raise Http404("Nothing here to follow")
    messages.success(request, form.save())
    return HttpResponseRedirect(form.cleaned_data["page"].url or reverse("notifications"))


# The token in the address is the proof, so mail programs may post without a CSRF token
# (RFC 8058's one-click unsubscribe) and nobody needs to sign in.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Stop what one email's link names: asks first, then stops it when the form is sent."""
    found = notices.read_unsubscribe_token(token)
    if found is None:
        return TemplateResponse(request, "hub/unsubscribe.html", {"invalid": True}, status=404)
    user_id, topic = found
    if request.method == "POST":
        stopped = notices.unsubscribe(user_id=user_id, topic=topic)
        return TemplateResponse(request, "hub/unsubscribe.html", {"stopped": stopped})
    return TemplateResponse(request, "hub/unsubscribe.html", {"label": notices.topic_label(topic)})
