"""Addresses beneath a page that Wagtail's own page addresses cannot hold."""

from django.urls import URLPattern, re_path
from wagtail.views import serve


def compare_address(route: str, *, name: str) -> URLPattern:
    """``…/<route>/A...B/`` under any page, served by that page's own routes.

    Wagtail's page addresses allow only letters, digits, "-" and "_" in each part, so
    a comparison (``versions/compare/2...3/``) is routed to the page explicitly. Wagtail's
    serve view still finds the page and applies its view restrictions.
    """
    return re_path(rf"^((?:[\w\-]+/)+{route}/\d+\.\.\.\d+/)$", serve, name=name)
