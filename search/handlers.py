"""Turning content changes announced by Wagtail and the domain apps into indexing tasks."""

from django.db.models import Q, QuerySet
from wagtail.models import Page, PageViewRestriction

from hub.search_types import page_owner
from search import indexing
from search.engines import get_engine
from search.tasks import update_engine


def refresh_owners(owners: list[str]) -> None:
    """Bring the records of ``owners`` in step now; an engine with its own index, by a task.

    The embedded engines search the records table itself, so it changes with the
    content, in the same transaction: a page restricted or unpublished is hidden
    from the next search. Elasticsearch is told later, so a slow server never
    holds up the save.
    """
    changed = indexing.refresh(owners)
    if get_engine().keeps_own_index and (changed.removed or changed.written):
        update_engine.enqueue(changed.removed, changed.written)


def page_changed(sender, instance, **kwargs):
    """Published or unpublished: that page's records follow."""
    refresh_owners([page_owner(instance.pk)])


def page_deleted(sender, instance, **kwargs):
    refresh_owners([page_owner(instance.pk)])


def page_moved(sender, instance, **kwargs):
    """A move changes the addresses of the page and everything beneath it."""
    beneath = Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    refresh_owners([page_owner(pk) for pk in beneath])


def records_changed(sender, owners, **kwargs):
    """A domain app's announcement through ``hub.signals.records_changed``."""
    refresh_owners(list(owners))


def restriction_saved(sender, instance, raw=False, **kwargs):
    """A view restriction covers its page and everything beneath it."""
    if not raw:
        refresh_beneath([instance.page_id])


def restriction_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a page takes its restrictions along, and each deleted page refreshes its own
    # records; refreshing here would read pages half way through being deleted.
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if not issubclass(model, Page):
        refresh_beneath([instance.page_id])


def restriction_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Wagtail's privacy dialog saves a restriction, then sets its groups: both count."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_beneath([instance.page_id])
        return
    # From a group's side, ``pk_set`` names restrictions; a clear names none, so the
    # restrictions are noted before it and refreshed once the group has left them.
    if action == "pre_clear":
        instance._search_restricted_pages = list(
            instance.pageviewrestriction_set.values_list("page_id", flat=True)
        )
    elif action == "post_clear":
        refresh_beneath(instance.__dict__.pop("_search_restricted_pages", []))
    elif action in ("post_add", "post_remove"):
        pages = PageViewRestriction.objects.filter(pk__in=pk_set).values_list("page_id", flat=True)
        refresh_beneath(list(pages))


def refresh_beneath(page_ids: list[int]) -> None:
    """Refresh the records of these pages and every page beneath them."""
    paths = Page.objects.filter(pk__in=page_ids).values_list("path", flat=True)
    beneath = Q()
    for path in paths:
        beneath |= Q(path__startswith=path)
    if beneath:
        pages = Page.objects.filter(beneath).values_list("pk", flat=True)
        refresh_owners([page_owner(pk) for pk in pages])
