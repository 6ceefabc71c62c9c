"""Response headers, idle sessions, answers to bad input, and the doors to Wagtail's admin."""

import time
from functools import cache
from urllib.parse import quote

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

from hub.admin_access import open_pages
from hub.audiences import visible_to
from hub.params import TOO_LARGE, BadParameter, database_int

# The public site needs no inline script or style; Wagtail's admin does.
SITE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
ADMIN_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'; frame-src 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = ("/admin/", "/django-admin/", settings.STATIC_URL)

    def __call__(self, request):
        response = self.get_response(request)
        policy = ADMIN_POLICY if request.path.startswith(self.admin_prefixes) else SITE_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivateResponseMiddleware:
    """Keeps what a signed-in person sees out of shared and browser caches.

    Restricted pages are only ever served to signed-in people, so this also
    covers every private page, document and export.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True, no_store=True)
        return response


def uses_admin(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


class IdleSessionMiddleware:
    """Ends a signed-in session left idle: 30 minutes for admin users, a day for readers.

    The admin's own background calls (the editor telling others who else is
    editing) do not count as activity, or an open tab would never time out.
    """

    SEEN = "hub_last_seen"
    BACKGROUND = ("/admin/editing-sessions/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_out = self._sign_out_if_idle(request)
            if signed_out is not None:
                return signed_out
        return self.get_response(request)

    def _sign_out_if_idle(self, request):
        now = int(time.time())
        admin = uses_admin(request.user)
        minutes = settings.HUB_ADMIN_IDLE_MINUTES if admin else settings.HUB_READER_IDLE_MINUTES
        seen = request.session.get(self.SEEN)
        if seen is not None and now - seen > minutes * 60:
            logout(request)
            messages.info(
                request,
                f"You were signed out after {minutes} minutes without activity. "
                "Sign in again to carry on.",
            )
            return redirect_to_login(request.get_full_path())
        # A minute's precision is plenty, and spares a session write on every request.
        background = request.path.startswith(self.BACKGROUND)
        if seen is None or (not background and now - seen >= 60):
            request.session[self.SEEN] = now
        return None


class TwoFactorForAdminMiddleware:
    """Anyone who can use the admin sets up a second factor before anything else opens.

    Their account reads what the public site restricts as well as the admin, so
    every page waits, except signing in and out and setting the factor up.
    Signing in then asks for the code from their authenticator app (allauth's
    sign-in does, and Wagtail's own sign-in page sends people to it).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = ("/accounts/", settings.STATIC_URL)

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.open_paths)
            and uses_admin(user)
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                "Set up an authenticator app before going on: your account can use the "
                "admin, and a second factor keeps safeguarding records safe if your "
                "password is ever guessed or stolen.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class BadInputMiddleware:
    """Answers input no page could use with a 400 that says what was wrong, never a 500.

    ``OverflowError`` is how SQLite's driver refuses a number beyond 64 bits,
    wherever a view, or a filter of Wagtail's own admin, passes one through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            message = str(exception)
        elif isinstance(exception, OverflowError):
            message = TOO_LARGE
        else:
            return None
        return render(request, "400.html", {"message": message}, status=400)


class AdminAddressGuard:
    """No admin address answers about a page or record its reader may not open.

    Wagtail asks ``hub.admin_access`` in most admin views, but some say a page's
    title before they ask, or never ask: the explorer with a page as its parent,
    the page chooser, move confirmation, bulk actions, workflow messages, and
    snippet edit, history, usage, copy and delete. Every page and record with an
    audience that an admin address names (in its path, its ``id`` and ``childOf``
    parameters or a posted parent page) must open to the reader, or the answer
    is 404, before any view runs. Superusers open everything.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_superuser or not _in_admin(request.path):
            return None
        try:
            named = list(_named(request.resolver_match, request))
        except ValueError as error:
            raise Http404("No such page or record") from error
        if any(each.exclude(pk__in=_opening(user, each)).exists() for each in named):
            raise Http404("No such page or record")
        return None


PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
POSTED_PAGES = ("parent_page", "new_parent_page")
# Address arguments naming a record that shows a page: (model, the field naming the page).
RECORDS_SHOWING_PAGES = {"redirect_id": (Redirect, "redirect_page")}


def _in_admin(path: str) -> bool:
    return path.startswith(reverse("wagtailadmin_home"))


def _opening(user, queryset):
    if issubclass(queryset.model, Page):
        return open_pages(user, queryset)
    if hasattr(queryset.model, "audience"):
        return visible_to(user, queryset)
    if hasattr(queryset, "readable_by"):
        return queryset.readable_by(user)
    return queryset


def _ids(values) -> list[int]:
    """Ids as the database would read them; anything else names nothing the view could find."""
    return [database_int(value) for value in values if value not in (None, "")]


def _named(match, request):
    """Querysets of the pages and records an admin address names."""
    kwargs = match.kwargs
    pages = [kwargs[name] for name in PAGE_ARGUMENTS if name in kwargs]
    if match.namespace == "wagtailadmin_pages" and "pk" in kwargs:
        pages.append(kwargs["pk"])
    pages += request.GET.getlist("childOf")
    pages += [request.POST.get(name) for name in POSTED_PAGES]
    if match.url_name == "wagtailadmin_choose_page_chosen_multiple":
        pages += request.GET.getlist("id")
    yield Page.objects.filter(pk__in=_ids(pages))
    for argument, (model, field) in RECORDS_SHOWING_PAGES.items():
        if argument in kwargs:
            shown = model._default_manager.filter(pk=kwargs[argument]).values(field)
            yield Page.objects.filter(pk__in=shown)
    model = _model_of(match)
    if model is None:
        return
    ids = request.GET.getlist("id")
    if "all" in ids:
        yield _everything_chosen(model, request)
    else:
        named = [kwargs[name] for name in ("pk", "object_id") if name in kwargs]
        yield model._default_manager.filter(pk__in=_ids(named + ids))


def _everything_chosen(model, request):
    """What "select all" names in a bulk action: a page's children (or all beneath it), or all."""
    everything = model._default_manager.all()
    parents = _ids(request.GET.getlist("childOf"))
    if not issubclass(model, Page) or not parents:
        return everything
    parent = Page.objects.filter(pk__in=parents).first()
    if parent is None:
        return everything.none()
    if request.GET.get("q"):
        return everything.descendant_of(parent)
    return everything.child_of(parent)


def _model_of(match):
    """The model an admin address is about: a snippet viewset's, or named by its arguments."""
    if "app_label" in match.kwargs and "model_name" in match.kwargs:
        try:
            return apps.get_model(match.kwargs["app_label"], match.kwargs["model_name"])
        except LookupError:
            return None
    return _snippet_namespaces().get(match.namespace)


@cache
def _snippet_namespaces() -> dict:
    return {
        namespace: model
        for model in get_snippet_models()
        for namespace in (
            model.snippet_viewset.url_namespace,
            model.snippet_viewset.chooser_viewset.url_namespace,
        )
    }
