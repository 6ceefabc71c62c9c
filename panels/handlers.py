"""Who may read a panel's pages follows what Wagtail publishes and moves, never a draft."""

from panels import services
from panels.models import MeetingPage, PanelPage


def page_published(sender, instance, revision, **kwargs):
    """Every way a page goes live ends here: directly, by a workflow, on a schedule, a revert.

    A publish scheduled for later also announces itself; who may read changes
    when the revision really goes live.
    """
    if not isinstance(instance, PanelPage | MeetingPage):
        return
    if instance.live and instance.live_revision_id == revision.pk:
        services.settle_published(page=instance)


def page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """A meeting moved to another panel takes that panel's audience."""
    if issubclass(sender, MeetingPage) and parent_page_before.pk != parent_page_after.pk:
        services.restrict_meeting(meeting=instance.specific)
