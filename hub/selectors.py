"""Reads the home page and the base template need, always through audiences."""

import datetime
from dataclasses import dataclass, field
from itertools import chain

from wagtail import hooks
from wagtail.models import Page

from hub.audiences import visible_to

ATTENTION_HOOK = "hub_attention_panels"
RECENT_HOOK = "hub_recently_published"


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


@dataclass(frozen=True)
class RecentItem:
    """Something published: what it is, where to read it, and the day it was published."""

    kind: str
    title: str
    url: str
    published: datetime.date
    detail: str = ""
    # What the date is the day of: a decision is dated by the meeting that made it.
    published_label: str = "Published"


def recent_changes(*, user, limit: int = 8) -> list[RecentItem]:
    """What ``user`` may read, newest first, from every app that registered ``RECENT_HOOK``.

    Each hook returns its own newest ``limit`` items, so merging them reads no more.
    """
    found = chain.from_iterable(
        hook(user=user, limit=limit) for hook in hooks.get_hooks(RECENT_HOOK)
    )
    return sorted(found, key=lambda item: item.published, reverse=True)[:limit]


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
