"""Charts drawn on the server as SVG, each with a title and a data table beside it."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_WIDTH = 36
GAP = 14
HEIGHT = 180
TOP = 20
LABEL_SPACE = 40
# Labels are drawn at 14px at the chart's natural width, which is never less than the
# 36rem (576px) that ``hub-chart`` keeps it to on a narrow screen: so it is never shrunk
# there, and a wider chart (``hub-chart--wide``) scrolls in its region at full size.
FONT_SIZE = 14
MIN_WIDTH = 576


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar: its name, its fill and a pattern so it is not colour alone."""

    key: str
    label: str
    fill: str
    pattern: str = ""


PATTERNS = {
    "hatch": '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="{fill}"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern>',
    "dots": '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="{fill}"/>'
    '<circle cx="3" cy="3" r="1.3" fill="#fff"/></pattern>',
}


def stacked_bars(
    *, chart_id: str, title: str, labels: list[str], series: list[Series], values
) -> SafeString:
    """A stacked bar chart; ``values[label][series.key]`` is each segment's count."""
    return _bars(chart_id, title, labels, series, values, stacked=True)


def grouped_bars(
    *, chart_id: str, title: str, labels: list[str], series: list[Series], values
) -> SafeString:
    """Bars side by side for each label, one per series."""
    return _bars(chart_id, title, labels, series, values, stacked=False)


def _bars(chart_id, title, labels, series, values, *, stacked: bool) -> SafeString:
    heights = [
        sum(values[label].get(s.key, 0) for s in series)
        if stacked
        else max([values[label].get(s.key, 0) for s in series], default=0)
        for label in labels
    ]
    scale = (HEIGHT - TOP) / max([*heights, 1])
    bar = BAR_WIDTH if stacked else BAR_WIDTH / len(series)
    natural = len(labels) * (BAR_WIDTH + GAP) + GAP
    width = max(natural, MIN_WIDTH)
    # Each label's slot: the bars spread over the whole width when there are few of them.
    slot = (width - GAP) / max(len(labels), 1)
    wide = " hub-chart--wide" if natural > MIN_WIDTH else ""
    defs = "".join(
        PATTERNS[s.pattern].replace("{fill}", s.fill).replace('id="', f'id="{chart_id}-')
        for s in series
        if s.pattern
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hub-chart{wide}" role="img" '
        f'aria-labelledby="{chart_id}-title" width="{width:g}" height="{HEIGHT + LABEL_SPACE}" '
        f'viewBox="0 0 {width:g} {HEIGHT + LABEL_SPACE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title><defs>{defs}</defs>',
        f'<line x1="0" y1="{HEIGHT}" x2="{width}" y2="{HEIGHT}" stroke="#0b0c0c"/>',
    ]
    for index, label in enumerate(labels):
        left = GAP + index * slot + (slot - GAP - BAR_WIDTH) / 2
        top = HEIGHT
        for position, s in enumerate(series):
            count = values[label].get(s.key, 0)
            if not count:
                continue
            height = count * scale
            x = left if stacked else left + position * bar
            y = top - height if stacked else HEIGHT - height
            if stacked:
                top = y
            fill = f"url(#{chart_id}-{s.pattern})" if s.pattern else s.fill
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{fill}" stroke="#0b0c0c" stroke-width="0.5"/>'
            )
            if not stacked:
                parts.append(_value_label(x + bar / 2, y, count))
        if stacked and heights[index]:
            parts.append(_value_label(left + BAR_WIDTH / 2, top, heights[index]))
        parts.append(
            f'<text x="{left + BAR_WIDTH / 2:.1f}" y="{HEIGHT + FONT_SIZE + 6}" '
            f'text-anchor="middle" font-size="{FONT_SIZE}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _value_label(x: float, y: float, value: int) -> str:
    return (
        f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
        f'font-size="{FONT_SIZE}">{value}</text>'
    )
