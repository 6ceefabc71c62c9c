"""Tags of the Hub's own admin templates."""

from django import template

from hub import privacy, privacy_overrides

register = template.Library()


@register.simple_tag
def privacy_review(task_state, page):
    """What the privacy check finds in the draft of ``page`` that approving ``task_state``
    publishes, and any reason given to publish it anyway; nothing for another page's task."""
    if str(task_state.workflow_state.object_id) != str(page.pk):
        return {"located": [], "override": None}
    revision = page.get_latest_revision()
    return {
        "located": privacy.findings_for(revision.as_object()),
        "override": privacy_overrides.override_of(revision),
    }
