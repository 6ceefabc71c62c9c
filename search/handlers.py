"""Turning content changes announced by Wagtail and the domain apps into indexing tasks."""

from wagtail.models import Page

from hub.search_types import page_owner
from search.tasks import refresh_search_records


def refresh_owners(owners: list[str]) -> None:
    if owners:
        refresh_search_records.enqueue(sorted(set(owners)))


def page_changed(sender, instance, **kwargs):
    """Published or unpublished: that page's records follow."""
    refresh_owners([page_owner(instance.pk)])


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        refresh_owners([page_owner(instance.pk)])


def page_moved(sender, instance, **kwargs):
    """A move changes the addresses of the page and everything beneath it."""
    beneath = Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    refresh_owners([page_owner(pk) for pk in beneath])


def records_changed(sender, owners, **kwargs):
    """A domain app's announcement through ``hub.signals.records_changed``."""
    refresh_owners(list(owners))
