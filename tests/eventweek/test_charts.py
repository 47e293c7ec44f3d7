"""Server-side SVG charts: accessible (role="img", <title>, <desc>), no script, no style attribute (the CSP's
style-src 'self' refuses them), and every figure read back exactly from the SVG against the data it draws."""

import datetime
import re
import xml.etree.ElementTree as ET

import time_machine
from django.urls import reverse

from eventweek.charts import PLOT_HEIGHT, TOP, Point, bar_chart, hbar_chart, line_chart
from reporting.services.dashboard import build_dashboard
from tests.quiz.conftest import at, finish, jiangsu_quiz  # noqa: F401 (a fixture)
from tests.reporting.conftest import DAY1, submit, travel  # noqa: F401 (fixtures)
from tests.reporting.conftest import at as report_at

SVG = "{http://www.w3.org/2000/svg}"
BASE = TOP + PLOT_HEIGHT


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def _chart_in(html: str, element_id: str) -> ET.Element:
    match = re.search(rf'<div class="chart-wrap" id="{element_id}"[^>]*>(<svg.*?</svg>)</div>', html, re.S)
    assert match, element_id
    return _parse(match.group(1))


def _bars(root: ET.Element) -> list[tuple[str, str, float, str]]:
    """(data-label, data-value, rect height, the figure written on it) of each bar."""
    rows = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "bar":
            continue
        rect = group.find(f"{SVG}rect")
        value = next(t.text for t in group.findall(f"{SVG}text") if t.get("class") == "value")
        size = rect.get("width") if root.get("class") == "chart chart-hbar" else rect.get("height")
        rows.append((group.get("data-label"), group.get("data-value"), float(size), value))
    return rows


def _accessible(root: ET.Element, title: str) -> str:
    """Checks the chart's accessible name and that nothing in it needs a style attribute or a script; its <desc>."""
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title_el, desc_el = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title_el.text == title
    assert root.get("aria-labelledby") == f"{title_el.get('id')} {desc_el.get('id')}"
    assert all(el.get("style") is None for el in root.iter())
    assert not [el for el in root.iter() if el.tag in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")]
    return desc_el.text


def test_a_bar_chart_draws_each_value_to_scale_with_its_label_and_figure():
    root = _parse(bar_chart("每日参与人数", [Point("7月4日", 30), Point("7月5日", 12), Point("7月6日", 0)], unit="人"))
    assert _accessible(root, "每日参与人数") == "7月4日：30人；7月5日：12人；7月6日：0人"
    assert _bars(root) == [("7月4日", "30", 160.0, "30"), ("7月5日", "12", 64.0, "12"), ("7月6日", "0", 0.0, "0")]
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        assert float(rect.get("y")) + float(rect.get("height")) == BASE  # bars stand on the axis
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels == ["7月4日", "7月5日", "7月6日"]
    assert rect.get("fill") == "#15803d"  # a presentation attribute, allowed by the CSP


def test_a_line_chart_puts_each_point_at_its_height_and_names_it():
    root = _parse(line_chart("每小时参与人数", [Point("9时", 4), Point("10时", 8), Point("11时", 2)], unit="人"))
    assert _accessible(root, "每小时参与人数") == "9时：4人；10时：8人；11时：2人"
    points = [
        (g.get("data-label"), g.get("data-value"), float(g.find(f"{SVG}circle").get("cy")))
        for g in root.iter(f"{SVG}g")
    ]
    assert points == [("9时", "4", BASE - 80.0), ("10时", "8", BASE - 160.0), ("11时", "2", BASE - 40.0)]
    polyline = root.find(f"{SVG}polyline").get("points").split()
    assert [float(p.split(",")[1]) for p in polyline] == [BASE - 80.0, BASE - 160.0, BASE - 40.0]


def test_text_in_a_chart_is_escaped():
    root = _parse(hbar_chart("<b>题</b>", [Point('1. "A" & <B>', 50, "50%")], top=100))
    assert _accessible(root, "<b>题</b>") == '1. "A" & <B>：50%'
    assert _bars(root) == [('1. "A" & <B>', "50", 150.0, "50%")]


def test_the_participation_page_charts_the_days_hours_and_scores_exactly(client_for, demo, jiangsu_quiz):  # noqa: F811
    finish(jiangsu_quiz, demo, "13900000001", right=10, started=at(4, 9, 10))
    finish(jiangsu_quiz, demo, "13900000002", right=10, started=at(4, 9, 40))
    finish(jiangsu_quiz, demo, "13900000003", right=7, started=at(4, 11, 5))
    finish(jiangsu_quiz, demo, "13900000004", right=0, started=at(5, 10, 0))
    with time_machine.travel(at(5, 12), tick=False):
        html = (
            client_for(demo.user("jiangsu_admin"))
            .get(reverse("quiz:manage_participation", args=[jiangsu_quiz.pk]))
            .content.decode()
        )
    by_day = _chart_in(html, "chart-by-day")
    assert _accessible(by_day, "每日参与人数") == "7月4日：3人；7月5日：1人"
    assert _bars(by_day) == [("7月4日", "3", 160.0, "3"), ("7月5日", "1", 53.3, "1")]
    by_hour = _chart_in(html, "chart-by-hour")
    assert _accessible(by_hour, "每小时参与人数") == "7月4日 9时：2人；7月4日 11时：1人；7月5日 10时：1人"
    assert [(g.get("data-label"), g.get("data-value")) for g in by_hour.iter(f"{SVG}g")] == [
        ("7月4日 9时", "2"),
        ("7月4日 11时", "1"),
        ("7月5日 10时", "1"),
    ]
    scores = _chart_in(html, "chart-scores")
    expected = {50: 2, 35: 1, 0: 1}
    assert _bars(scores) == [
        (f"{s}分", str(expected.get(s, 0)), {2: 160.0, 1: 80.0}.get(expected.get(s, 0), 0.0), str(expected.get(s, 0)))
        for s in range(0, 55, 5)
    ]


def test_the_question_statistics_chart_each_rate_and_sort_by_it(client_for, demo, jiangsu_quiz):  # noqa: F811
    papers = [finish(jiangsu_quiz, demo, f"1390000000{i}", right=r).paper for i, r in enumerate((10, 5, 5, 0))]
    drawn = {item["q"] for paper in papers for item in paper}
    client = client_for(demo.user("jiangsu_admin"))
    response = client.get(reverse("quiz:manage_questions", args=[jiangsu_quiz.pk]), {"sort": "rate"})
    rows = response.context["rows"]
    rated = [r for r in rows if r["rate"] is not None]
    assert [r["rate"] for r in rated] == sorted(r["rate"] for r in rated)
    assert [r["position"] for r in rows[len(rated) :]] == sorted(r["position"] for r in rows if r["rate"] is None)
    root = _chart_in(response.content.decode(), "chart-rates")
    _accessible(root, "各题正确率")
    bars = _bars(root)
    assert len(bars) == len(rated) == len(drawn)  # each question some paper drew (the bank's others: no rate)
    assert {r["question"].pk for r in rated} == drawn
    for (label, value, width, text), row in zip(bars, rated, strict=True):
        percent = round(row["rate"] * 100, 1)
        assert label.startswith(f"{row['position']}. ")
        assert (float(value), width, text) == (percent, round(percent / 100 * 300, 1), f"{row['rate'] * 100:.1f}%")
    html = response.content.decode()
    assert (
        '<th scope="col" aria-sort="ascending"><a href="?sort=rate&amp;dir=desc" class="is-sorted">正确率↑</a></th>'
    ) in html
    first = rows[0]["question"]
    option_text = first.options[0]
    assert f"A. {option_text}：" in html  # the options' text, not letters only


def test_the_reporting_dashboard_charts_the_rate_of_each_day(demo, submit, travel, client_for):  # noqa: F811
    travel(report_at(DAY1, 15, 0))
    submit("320100")
    travel(report_at(DAY1, 17, 30))
    submit("320200")
    travel(report_at(DAY1 + datetime.timedelta(days=1), 9, 0))
    board = build_dashboard(demo.jiangsu)
    assert (board.day_tallies[0].submitted, board.day_tallies[0].expected) == (2, 13)
    html = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:dashboard", args=["2020-jiangsu"]))
    root = _chart_in(html.content.decode(), "chart-rate-by-day")
    desc = _accessible(root, "每日报送率")
    days = [f"{d.month}月{d.day}日" for d in board.days]
    assert desc == "；".join([f"{days[0]}：15.4%"] + [f"{d}：—" for d in days[1:]])
    assert _bars(root) == [(days[0], "15.4", 24.6, "15.4%")] + [(d, "0", 0.0, "—") for d in days[1:]]
