"""Small accessible SVG charts drawn on the server: bars and a line, no JavaScript, no library, no CDN.

Each chart is an inline <svg role="img"> with a <title> and a <desc> (the figures in words), every figure written as
a label, and colours as presentation attributes (fill=, stroke=): the Content-Security-Policy's style-src 'self'
refuses style= attributes, not these. Each bar or point carries data-label and data-value, so tests read the
figures back."""

from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GREEN = "#15803d"
BLUE = "#1d4ed8"
AXIS = "#6b7280"
TEXT = "#1f2937"
GRID = "#e5e7eb"

PLOT_HEIGHT = 160  # px of the tallest bar
TOP, BOTTOM, LEFT, RIGHT = 24, 44, 44, 12
MIN_BAR_WIDTH = 28

_ids = count(1)


@dataclass(frozen=True)
class Point:
    """One figure: its label under the axis, its value, and the text written on the bar (default: the value)."""

    label: str
    value: float
    text: str = ""

    @property
    def shown(self) -> str:
        return self.text or _number(self.value)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def scaled(value: float, top: float) -> float:
    """A value's height in px on a plot whose top is `top` (rounded to 0.1 px)."""
    return round(value / top * PLOT_HEIGHT, 1) if top else 0.0


def _svg(kind: str, title: str, desc: str, width: int, height: int, axis: str, body: list[str]) -> SafeString:
    uid = f"chart-{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="sans-serif" font-size="12" fill="{TEXT}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
    )
    return mark_safe(head + axis + "".join(body) + "</svg>")  # every text inside went through escape()


def _frame(kind: str, title: str, desc: str, width: int, body: list[str]) -> SafeString:
    """A chart with one column per point: its axis along the bottom of the plot."""
    base = TOP + PLOT_HEIGHT
    axis = f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{width - RIGHT}" y2="{base}" stroke="{AXIS}"/>'
    return _svg(kind, title, desc, width, base + BOTTOM, axis, body)


def _columns(points: list[Point], top: float, unit: str) -> tuple[int, int, int, list[str]]:
    """The layout shared by the bar and line charts: (slot, width, label every n-th, the body's top tick and grid)."""
    slot = max(MIN_BAR_WIDTH, 560 // max(1, len(points)))
    width = LEFT + RIGHT + slot * max(1, len(points))
    body = [
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{escape(_number(top))}{escape(unit)}</text>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{width - RIGHT}" y2="{TOP}" stroke="{GRID}"/>',
    ]
    return slot, width, _label_every(points, slot), body


def _describe(points: list[Point], unit: str) -> str:
    return "；".join(f"{p.label}：{p.shown}{unit}" for p in points)


def _text_width(text: str) -> int:
    """About how wide a label is at font-size 12 (a Chinese character is a full em, Latin about half)."""
    return sum(12 if ord(c) > 255 else 7 for c in text)


def _label_every(points: list[Point], slot: float) -> int:
    """Label every n-th point so that the labels under the axis never overlap (all stay in the description)."""
    widest = max((_text_width(p.label) for p in points), default=0) + 6
    return max(1, -(-widest // int(slot)))


def _top(points: list[Point], top: float | None) -> float:
    return top if top is not None else max((p.value for p in points), default=0) or 1


def bar_chart(title: str, points: list[Point], *, unit: str = "", top: float | None = None):
    """A vertical bar chart of the points (heights on a scale from 0 to `top`, default the largest value); labels
    under as many bars as fit (all figures stay in the description and on each bar)."""
    top = _top(points, top)
    slot, width, label_every, body = _columns(points, top, unit)
    base = TOP + PLOT_HEIGHT
    for i, point in enumerate(points):
        height = scaled(point.value, top)
        x = LEFT + i * slot + slot * 0.15
        bar_width = round(slot * 0.7, 1)
        middle = round(x + bar_width / 2, 1)
        body.append(
            f'<g class="bar" data-label="{escape(point.label)}" data-value="{escape(_number(point.value))}">'
            f'<rect x="{round(x, 1)}" y="{round(base - height, 1)}" width="{bar_width}" height="{height}" '
            f'fill="{GREEN}"><title>{escape(point.label)}：{escape(point.shown)}{escape(unit)}</title></rect>'
            f'<text class="value" x="{middle}" y="{round(base - height - 4, 1)}" text-anchor="middle">'
            f"{escape(point.shown)}</text>"
        )
        if i % label_every == 0:
            body.append(
                f'<text class="label" x="{middle}" y="{base + 16}" text-anchor="middle">{escape(point.label)}</text>'
            )
        body.append("</g>")
    return _frame("bar", title, _describe(points, unit), width, body)


def line_chart(title: str, points: list[Point], *, unit: str = "", top: float | None = None):
    """A line through the points with a dot and its figure at each (scale 0 to `top`, default the largest value)."""
    top = _top(points, top)
    slot, width, label_every, body = _columns(points, top, unit)
    base = TOP + PLOT_HEIGHT
    coords = [
        (round(LEFT + i * slot + slot / 2, 1), round(base - scaled(p.value, top), 1)) for i, p in enumerate(points)
    ]
    if len(coords) > 1:
        path = " ".join(f"{x},{y}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for i, (point, (x, y)) in enumerate(zip(points, coords, strict=True)):
        body.append(
            f'<g class="point" data-label="{escape(point.label)}" data-value="{escape(_number(point.value))}">'
            f'<circle cx="{x}" cy="{y}" r="4" fill="{BLUE}"><title>{escape(point.label)}：{escape(point.shown)}'
            f"{escape(unit)}</title></circle>"
            f'<text class="value" x="{x}" y="{round(y - 8, 1)}" text-anchor="middle">{escape(point.shown)}</text>'
        )
        if i % label_every == 0:
            body.append(
                f'<text class="label" x="{x}" y="{base + 16}" text-anchor="middle">{escape(point.label)}</text>'
            )
        body.append("</g>")
    return _frame("line", title, _describe(points, unit), width, body)


def hbar_chart(title: str, points: list[Point], *, unit: str = "", top: float | None = None, label_width: int = 220):
    """Horizontal bars, one row per point, for long labels (e.g. a question's text): the label left, the bar, its
    figure right."""
    top = _top(points, top)
    row, plot = 26, 300
    height = TOP + row * max(1, len(points)) + 8
    width = label_width + plot + 80
    body = []
    for i, point in enumerate(points):
        y = TOP + i * row
        length = round(point.value / top * plot, 1) if top else 0.0
        body.append(
            f'<g class="bar" data-label="{escape(point.label)}" data-value="{escape(_number(point.value))}">'
            f'<text class="label" x="{label_width - 8}" y="{y + 16}" text-anchor="end">{escape(point.label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="{row - 8}" fill="{GREEN}">'
            f"<title>{escape(point.label)}：{escape(point.shown)}{escape(unit)}</title></rect>"
            f'<text class="value" x="{round(label_width + length + 6, 1)}" y="{y + 16}">{escape(point.shown)}</text>'
            "</g>"
        )
    axis = f'<line class="axis" x1="{label_width}" y1="{TOP}" x2="{label_width}" y2="{height - 4}" stroke="{AXIS}"/>'
    return _svg("hbar", title, _describe(points, unit), width, height, axis, body)
