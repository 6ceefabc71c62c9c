"""What changed between two versions of a policy: its body as lines and its properties.

The comparison itself is the site's (``hub.diff``); policies give it their text.
"""

from hub.diff import ChangedField, DiffLine, diff_lines, rich_text_lines

# The comparison's names, for the views that compare versions through this module.
__all__ = [
    "ChangedField",
    "DiffLine",
    "body_lines",
    "changed_fields",
    "diff_lines",
    "rich_text_lines",
]


def body_lines(page) -> list[str]:
    """The policy's body as lines of plain text, one per paragraph, item or step."""
    lines = []
    for block in page.body:
        lines.extend(_block_lines(block.block_type, block.value))
    return lines


def _block_lines(kind: str, value) -> list[str]:
    if kind == "heading":
        return [str(value)]
    if kind == "text":
        return rich_text_lines(value.source)
    if kind == "threshold_levels":
        lines = [value["heading"]]
        for level in value["levels"]:
            lines.append(f"{level['level']}: {level['name']}")
            lines.extend(rich_text_lines(level["description"].source))
            lines.extend(f"Indicator: {indicator}" for indicator in level["indicators"])
            lines.append(f"Service that responds: {level['service']}")
        return lines
    if kind == "procedure":
        lines = [value["heading"]]
        for number, step in enumerate(value["steps"], start=1):
            lines.append(f"Step {number}: {step['title']}")
            lines.extend(rich_text_lines(step["detail"].source))
            if step["responsible"]:
                lines.append(f"Responsible: {step['responsible']}")
            if step["timescale"]:
                lines.append(f"Timescale: {step['timescale']}")
        return lines
    if kind == "callout":
        return [
            f"{value['kind'].title()}: {value['heading']}",
            *rich_text_lines(value["text"].source),
        ]
    if kind == "document":
        document = value["document"]
        return [f"Document: {value['title'] or (document.title if document else 'removed')}"]
    return []


def changed_fields(old, new) -> list[ChangedField]:
    """The policy's properties (not its body) that differ between two versions."""
    fields = [
        ("Title", lambda page: page.title),
        ("Summary", lambda page: page.summary),
        ("Kind", lambda page: page.get_kind_display()),
        ("Who may read it", lambda page: page.get_audience_display()),
        ("Policy owner", lambda page: _person(page.policy_owner)),
        ("Approver", lambda page: _person(page.approver)),
        ("Review interval", lambda page: f"{page.review_interval_months} months"),
        ("Readers must confirm", lambda page: "Yes" if page.requires_acknowledgement else "No"),
    ]
    changes = []
    for label, read in fields:
        before, after = read(old), read(new)
        if before != after:
            changes.append(ChangedField(label, before, after))
    return changes


def _person(user) -> str:
    return user.get_full_name() or user.get_username()
