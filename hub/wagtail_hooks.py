"""Wagtail hooks for the site as a whole."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks

from hub.audiences import may_see


@hooks.register("before_serve_page", order=-1)
def refuse_signed_in_readers_outside_the_audience(page, request, serve_args, serve_kwargs):
    """A signed-in reader outside a page's audience gets a plain 403, not a login form.

    Anonymous readers fall through to Wagtail's own check, which asks them to sign in.
    """
    if request.user.is_authenticated and not may_see(request.user, page):
        raise PermissionDenied
