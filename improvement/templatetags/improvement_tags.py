"""Template helpers for the improvement plan."""

from django import template

register = template.Library()


@register.filter
def get_count(counts: dict, key) -> int:
    """``counts[key]``, or 0."""
    return counts.get(key, 0)
