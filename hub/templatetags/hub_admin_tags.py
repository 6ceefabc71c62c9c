"""Tags of the Hub's own admin templates."""

from django import template

from hub import privacy, privacy_overrides

register = template.Library()


@register.simple_tag
def privacy_review(revision):
    """What the privacy check finds in ``revision`` and any reason given to publish it anyway."""
    return {
        "located": privacy.findings_for(revision.as_object()),
        "override": privacy_overrides.override_of(revision),
    }
