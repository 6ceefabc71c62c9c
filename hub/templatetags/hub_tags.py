"""Navigation, breadcrumbs and following a page, for the base template, filtered by audience."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import Site

from hub import glossary, selectors
from hub.models import Subscription

register = template.Library()


@register.inclusion_tag("components/primary_navigation.html", takes_context=True)
def primary_navigation(context):
    """The menu of sections the reader may see. A view that is not a page names its
    ``section`` page in the context, or says it is ``within_search``, so that its
    section shows as the current one."""
    request = context["request"]
    site = Site.find_for_request(request)
    page, within = context.get("page"), context.get("section")
    sections = selectors.navigation(user=request.user, site_root=site.root_page if site else None)
    items = [
        (section.title, section.get_url(request), _current(section, page=page, within=within))
        for section in sections
    ]
    search_url = reverse("search:search")
    if request.path == search_url:
        items.append(("Search", search_url, "page"))
    else:
        items.append(("Search", search_url, "true" if context.get("within_search") else ""))
    return {"items": items}


def _current(section, *, page, within) -> str:
    """``aria-current`` of a section's link: "page" on the section, "true" on pages below it
    and on views that belong to it."""
    if page is not None and page.path == section.path:
        return "page"
    path = getattr(page or within, "path", "")
    return "true" if path.startswith(section.path) else ""


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(page):
    """The trail from the home page to ``page``."""
    ancestors = page.get_ancestors().filter(depth__gt=1) if page.depth > 2 else []
    return {"trail": [_crumb(ancestor) for ancestor in ancestors], "current": page.title}


@register.inclusion_tag("components/breadcrumbs.html")
def view_breadcrumbs(section, current, via_title=None, via_url=None):
    """The trail of a view that is not a page: home, its ``section`` and the ancestors
    between, then the listing it was reached ``via`` when there is one."""
    trail = [("Home", "/")]
    if section is not None:
        ancestors = section.get_ancestors(inclusive=True).filter(depth__gt=1)
        trail = [_crumb(ancestor) for ancestor in ancestors]
    if via_title:
        trail.append((via_title, via_url))
    return {"trail": trail, "current": current}


def _crumb(page) -> tuple[str, str]:
    return ("Home" if page.depth == 2 else page.title, page.url)


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
