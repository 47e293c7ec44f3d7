"""The reporting dashboard's figures as an SVG chart (eventweek.charts): the reporting rate of each day."""

from django.utils.translation import gettext as _

from eventweek.charts import Point, bar_chart
from reporting.services.dashboard import Dashboard


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%".replace(".0%", "%")


def rate_by_day_chart(board: Dashboard):
    """Bars of each day's reporting rate (reports received ÷ expected, in percent, on a 0–100 scale); a day with
    nothing expected yet is a bar of 0 written "—"."""
    points = []
    for day, tally in zip(board.days, board.day_tallies, strict=True):
        rate = tally.completeness_rate
        label = f"{day.month}月{day.day}日"
        if rate is None:
            points.append(Point(label, 0, "—"))
        else:
            points.append(Point(label, round(rate * 100, 1), _percent(rate)))
    return bar_chart(_("每日报送率"), points, top=100) if points else None
