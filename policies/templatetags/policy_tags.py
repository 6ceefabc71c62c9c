"""Template helpers for policy pages."""

from django import template

register = template.Library()


@register.filter
def attachment_url(urls: dict, document_id) -> str:
    """The address of a version's copy of a document, or an empty string."""
    return (urls or {}).get(document_id, "")
