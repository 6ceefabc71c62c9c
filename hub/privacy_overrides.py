"""Publishing past the privacy check: the reason, kept in the page's history for its approvers.

The editor's form refuses to publish or send for approval a page the check finds
something in (``hub.forms.HubPageForm``) unless a reason is given. The reason is
logged against the revision it was given for, with what was found, so approvers
and the history read both.
"""

from wagtail.log_actions import log
from wagtail.models import PageLogEntry, Revision

from hub import privacy

OVERRIDE = "hub.privacy_override"


def record_override(*, page, user, reason: str) -> PageLogEntry | None:
    """Keep ``reason`` for publishing the page's latest revision with what the check finds."""
    revision = page.latest_revision
    located = privacy.findings_for(revision.as_object()) if revision else []
    if not located or not reason.strip():
        return None
    return log(
        instance=page,
        action=OVERRIDE,
        user=user,
        revision=revision,
        data={"reason": reason.strip(), "findings": [item.summary for item in located]},
    )


def override_of(revision: Revision | None) -> PageLogEntry | None:
    """The reason given for publishing ``revision`` past the check, if one was."""
    if revision is None:
        return None
    return (
        PageLogEntry.objects.filter(revision=revision, action=OVERRIDE)
        .select_related("user")
        .order_by("-timestamp")
        .first()
    )
