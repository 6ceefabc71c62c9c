"""Turns a page going live (``hub.signals.page_went_live``) into a recorded policy version."""

from policies import services
from policies.models import PolicyPage


def record_published_version(sender, instance, revision, **kwargs):
    """Called for every page published; acts only when a policy's revision went live now.

    A publish scheduled for later also announces itself; its version is
    recorded when the scheduled time comes and the revision really goes live.
    """
    if not isinstance(instance, PolicyPage):
        return
    if instance.live and instance.live_revision_id == revision.pk:
        services.record_version(page=instance, revision=revision)
