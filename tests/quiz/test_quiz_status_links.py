"""Every public link to a quiz says 未开始, 进行中 or 已结束, from the quiz's window at the moment of the request; the
云竞答 activity's own page (where a poster's QR code leads) links to its quiz."""

import re

import pytest
import time_machine

from eventweek.models import Activity
from tests.quiz.conftest import at


def _badges(html: str) -> list[tuple[str, str, str]]:
    """(quiz URL, status code, label) of each quiz link with its status badge."""
    return re.findall(
        r'<a class="btn primary" href="(/quiz/[^"]+/)">参加“云竞答”：[^<]+</a>\s*'
        r'<span class="badge quiz-status[^"]*" data-status="(\w+)">([^<]+)</span>',
        html,
    )


@pytest.mark.parametrize(
    "when, status, label",
    [
        (at(4, 8, 59), "before", "未开始"),
        (at(4, 9), "open", "进行中"),
        (at(5, 16, 59), "open", "进行中"),
        (at(5, 17), "after", "已结束"),
    ],
)
def test_the_week_page_says_where_each_quiz_stands_now(client, demo, jiangsu_quiz, when, status, label):
    assert (jiangsu_quiz.window_start, jiangsu_quiz.window_end) == (at(4, 9), at(5, 17))
    with time_machine.travel(when, tick=False):
        html = client.get("/weeks/2020-jiangsu/").content.decode()
    assert _badges(html) == [(f"/quiz/{jiangsu_quiz.slug}/", status, label)]


def test_the_quiz_activitys_page_links_to_its_quiz_with_its_status(client, demo, jiangsu_quiz):
    activity = jiangsu_quiz.activity
    assert activity.kind == Activity.Kind.QUIZ and not activity.link
    with time_machine.travel(at(4, 10), tick=False):
        html = client.get(f"/weeks/{activity.week.slug}/activities/{activity.pk}/").content.decode()
    assert _badges(html) == [(f"/quiz/{jiangsu_quiz.slug}/", "open", "进行中")]
    with time_machine.travel(at(6, 10), tick=False):
        html = client.get(f"/weeks/{activity.week.slug}/activities/{activity.pk}/").content.decode()
    assert _badges(html) == [(f"/quiz/{jiangsu_quiz.slug}/", "after", "已结束")]


def test_another_activitys_page_links_to_no_quiz(client, demo, jiangsu_quiz):
    other = Activity.objects.filter(week=jiangsu_quiz.activity.week).exclude(kind=Activity.Kind.QUIZ).first()
    html = client.get(f"/weeks/{other.week.slug}/activities/{other.pk}/").content.decode()
    assert _badges(html) == []
    assert "参加“云竞答”" not in html
