"""The one path a change takes to the copies kept of it (search records, kept pages).

1. A domain service changes state and records its history, then calls
   ``announce(owners)`` with the owners (see ``hub.search_types``) whose records
   show what changed; each app says which in its ``search_records`` module.
2. Owners gather for the transaction they were announced in; ``records_changed``
   is sent once, with all of them, when that transaction commits (at once
   outside a transaction). A transaction rolled back takes its announcements
   with it.
3. Wagtail's page signals come here first: a page going live or moving is
   settled by the domain apps (``page_went_live``, ``page_moved``) and announced
   in one transaction, so what a receiver records is always in place before
   the records are rewritten, whatever order the apps were installed in.

A reader in the same transaction that must see its own changes (a search just
after a save) calls ``settle()`` first. A bulk load runs inside ``deferred()``:
nothing is announced as it goes, and ``all_records_changed`` is sent once at
the end, for one rebuild. The site's settings and glossary, which any page may
show, send ``site_changed`` as they commit. Pages kept for anonymous readers
(``hub.page_cache``) go stale on all three.
"""

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from wagtail.models import Page, PageViewRestriction

from hub.search_types import page_owner
from hub.signals import (
    all_records_changed,
    page_moved,
    page_went_live,
    records_changed,
    site_changed,
)

_bulk = threading.local()


class Gathered:
    """The owners announced in one transaction, kept among its commit hooks until it commits."""

    def __init__(self):
        self.owners: set[str] = set()
        self.sent = False

    def __call__(self) -> None:
        if not self.sent:
            self.sent = True
            records_changed.send(sender=Gathered, owners=sorted(self.owners))


def announce(owners: Iterable[str]) -> None:
    """Say the records of ``owners`` changed; they are rewritten when the transaction commits."""
    owners = set(owners)
    if not owners or getattr(_bulk, "depth", 0):
        return
    if not connection.in_atomic_block:
        records_changed.send(sender=Gathered, owners=sorted(owners))
        return
    gathered = _gathered()
    if gathered is None:
        gathered = Gathered()
        transaction.on_commit(gathered)
    gathered.owners |= owners


def settle() -> None:
    """Send now what this transaction has announced, so a read in it sees its own changes.

    Announcements after this gather afresh, to be sent at commit or the next settle.
    """
    gathered = _gathered()
    if gathered is not None:
        gathered()


def _gathered() -> Gathered | None:
    # Django drops the hooks of a rolled-back transaction or savepoint, and this with them.
    hooks = (hook for _, hook, _ in connection.run_on_commit)
    return next((hook for hook in hooks if isinstance(hook, Gathered) and not hook.sent), None)


@contextmanager
def deferred() -> Iterator[None]:
    """Announce nothing while loading in bulk, then ask once for every record to be rebuilt."""
    _bulk.depth = getattr(_bulk, "depth", 0) + 1
    try:
        yield
    finally:
        _bulk.depth -= 1
    if _bulk.depth == 0:
        all_records_changed.send(sender=Gathered)


def shown_everywhere(sender, raw=False, **kwargs):
    """The site's settings or a glossary term changed: any page may show them."""
    if raw or getattr(_bulk, "depth", 0):
        return
    transaction.on_commit(lambda: site_changed.send(sender=sender))


# Wagtail's signals ---------------------------------------------------------------------------


def page_published(sender, instance, revision, **kwargs):
    with transaction.atomic():
        page_went_live.send(sender=sender, instance=instance, revision=revision)
        announce([page_owner(instance.pk)])


def page_unpublished(sender, instance, **kwargs):
    announce([page_owner(instance.pk)])


def page_deleted(sender, instance, **kwargs):
    announce([page_owner(instance.pk)])


def page_was_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """A move changes the addresses of the page and everything beneath it."""
    with transaction.atomic():
        page_moved.send(
            sender=sender,
            instance=instance,
            parent_page_before=parent_page_before,
            parent_page_after=parent_page_after,
        )
        announce_beneath([instance.pk])


def restriction_saved(sender, instance, raw=False, **kwargs):
    """A view restriction covers its page and everything beneath it."""
    if not raw:
        announce_beneath([instance.page_id])


def restriction_deleted(sender, instance, origin=None, **kwargs):
    # A deleted page takes its restrictions along and announces itself; reading
    # beneath it here would read pages half way through being deleted.
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if not issubclass(model, Page):
        announce_beneath([instance.page_id])


def restriction_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Wagtail's privacy dialog saves a restriction, then sets its groups: both count."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            announce_beneath([instance.page_id])
        return
    # From a group's side, ``pk_set`` names restrictions; a clear names none, so the
    # restrictions are noted before it and announced once the group has left them.
    if action == "pre_clear":
        instance._restricted_pages = list(
            instance.pageviewrestriction_set.values_list("page_id", flat=True)
        )
    elif action == "post_clear":
        announce_beneath(instance.__dict__.pop("_restricted_pages", []))
    elif action in ("post_add", "post_remove"):
        pages = PageViewRestriction.objects.filter(pk__in=pk_set).values_list("page_id", flat=True)
        announce_beneath(list(pages))


def announce_beneath(page_ids: list[int]) -> None:
    """Announce these pages and every page beneath them."""
    paths = Page.objects.filter(pk__in=page_ids).values_list("path", flat=True)
    beneath = Q()
    for path in paths:
        beneath |= Q(path__startswith=path)
    if beneath:
        pages = Page.objects.filter(beneath).values_list("pk", flat=True)
        announce(page_owner(pk) for pk in pages)
