"""Reads the home page and the base template need, always through audiences."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from wagtail import hooks
from wagtail.models import Page

from hub.audiences import visible_to

ATTENTION_HOOK = "hub_attention_panels"


@dataclass(frozen=True)
class AttentionItem:
    """One thing someone should look at: a label, where it is, and why."""

    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class AttentionPanel:
    """A titled list on the home page, contributed by a domain app through a hook."""

    title: str
    items: list[AttentionItem] = field(default_factory=list)
    empty_text: str = "Nothing to show."


def recently_published(*, user) -> QuerySet:
    """Pages ``user`` may see, the most recently published first."""
    pages = (
        Page.objects.live()
        .filter(depth__gt=2, last_published_at__isnull=False)
        .order_by("-last_published_at")
    )
    return visible_to(user, pages)


def recent_changes(*, user, limit: int = 8) -> list[Page]:
    return list(recently_published(user=user)[:limit])


def attention_panels(*, request) -> list[AttentionPanel]:
    """Panels from every app that registered ``hub_attention_panels``, for this person.

    A hook returns ``None`` when it has nothing for this person (for example,
    a policy editor's review list shown to a reader).
    """
    if not request.user.is_authenticated:
        return []
    panels = (hook(request) for hook in hooks.get_hooks(ATTENTION_HOOK))
    return [panel for panel in panels if panel is not None]


def navigation(*, user, site_root: Page | None) -> list[Page]:
    """The sections under the home page that are shown in menus and that ``user`` may see."""
    if site_root is None:
        return []
    return list(visible_to(user, site_root.get_children().live().in_menu()))
