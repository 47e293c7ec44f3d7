"""The organizer's quiz figures as SVG charts (eventweek.charts): participation by day and by hour, the score
distribution, the correct rate of each question."""

from django.utils.translation import gettext as _

from eventweek.charts import Point, bar_chart, hbar_chart, line_chart
from eventweek.dates import cn_date
from quiz.models import Quiz
from quiz.services.results import score_distribution

QUESTION_LABEL_CHARS = 16


def participation_charts(data: dict) -> dict:
    """Charts of quiz_participation's figures: {"by_day": bars, "by_hour": a line}."""
    days = [Point(cn_date(day, weekday=False), n) for day, n in data["by_day"]]
    hours = [
        Point(f"{cn_date(row['hour'], weekday=False)} {row['hour'].hour}时", row["count"]) for row in data["by_hour"]
    ]
    return {
        "by_day": bar_chart(_("每日参与人数"), days, unit=_("人")) if days else None,
        "by_hour": line_chart(_("每小时参与人数"), hours, unit=_("人")) if hours else None,
    }


def score_chart(quiz: Quiz):
    """Bars of how many submitted papers reached each score."""
    points = [Point(_("%(score)s分") % {"score": score}, n) for score, n in score_distribution(quiz)]
    return bar_chart(_("成绩分布（交卷人数）"), points, unit=_("人"))


def question_label(row: dict) -> str:
    """A question as a chart labels it: its number and the start of its text."""
    text = row["question"].text
    short = text if len(text) <= QUESTION_LABEL_CHARS else text[: QUESTION_LABEL_CHARS - 1] + "…"
    return f"{row['position']}. {short}"


def question_rate_chart(rows: list[dict]):
    """Horizontal bars of each answered question's correct rate in percent, in the rows' order."""
    points = [
        Point(question_label(row), round(row["rate"] * 100, 1), f"{row['rate'] * 100:.1f}%")
        for row in rows
        if row["rate"] is not None
    ]
    return hbar_chart(_("各题正确率"), points, unit="", top=100) if points else None
