"""Navigation, breadcrumbs and following a page, for the base template, filtered by audience."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import Site

from hub import glossary, selectors
from hub.models import Subscription

register = template.Library()


@register.inclusion_tag("components/primary_navigation.html", takes_context=True)
def primary_navigation(context):
    request = context["request"]
    site = Site.find_for_request(request)
    current_path = getattr(context.get("page"), "path", "")
    sections = selectors.navigation(user=request.user, site_root=site.root_page if site else None)
    return {
        "request": request,
        "sections": [(section, _current(section, current_path)) for section in sections],
    }


def _current(section, current_path: str) -> str:
    """``aria-current`` of a section's link: "page" on the section, "true" on pages below it."""
    if current_path == section.path:
        return "page"
    return "true" if current_path.startswith(section.path) else ""


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    ancestors = page.get_ancestors().filter(depth__gt=1) if page.depth > 2 else []
    return {"request": context["request"], "ancestors": ancestors, "page": page}


@register.filter(is_safe=True)
def abbreviate(html):
    """Marks the first use of each glossary term in ``html`` with ``<abbr title>``."""
    return mark_safe(glossary.marked(str(html)))


@register.inclusion_tag("components/follow.html", takes_context=True)
def follow_button(context, page):
    """Follow or stop following ``page``, for someone signed in; nothing for anyone else."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"shown": False}
    return {
        "shown": True,
        "page": page,
        "following": Subscription.objects.filter(user=user, page=page).exists(),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def machine_time(value):
    """A date and time as ``<time datetime>`` takes it: to the second, with its UTC offset.

    Django's ``c`` format keeps microseconds, which the attribute does not allow.
    """
    return timezone.localtime(value).replace(microsecond=0).isoformat()
