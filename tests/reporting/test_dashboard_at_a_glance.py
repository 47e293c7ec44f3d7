"""The dashboard reads at a glance: today's column marked (not by colour alone), a report filed on a later day shows
its date, and each rate shows what it is taken over."""

import datetime
import re

import pytest
from django.urls import reverse

from eventweek.models import Week
from reporting.services import dashboard as services

from .conftest import DAY1, at

DAY2 = DAY1 + datetime.timedelta(days=1)
URL = reverse("reporting:dashboard", args=["2020-jiangsu"])


@pytest.fixture
def three_city_week(demo):
    """A copy of the Jiangsu week reported by three cities."""
    week = Week.objects.get(pk=demo.jiangsu.pk)
    week.pk = None
    week.slug = "2020-jiangsu-3"
    week.save()
    week.report_orgs.set([demo.org("320100"), demo.org("320200"), demo.org("320300")])
    return week


def test_todays_column_is_marked_with_aria_current_and_the_word_today(demo, travel, client_for):
    travel(at(DAY2, 10, 0))
    html = client_for(demo.user("jiangsu_reviewer")).get(URL).content.decode()
    headers = re.findall(r'<th scope="col"( class="rp-today" aria-current="date")?>(\d+/\d+)<br><span class="small muted">([^<]+)</span>', html)  # fmt: skip
    assert [(bool(mark), day, word) for mark, day, word in headers][:3] == [
        (False, "6/29", "星期一"),
        (True, "6/30", "今天"),
        (False, "7/1", "星期三"),
    ]
    assert html.count('aria-current="date"') == 1
    assert html.count('<td class="cell st-bg-not_due rp-today" data-day="2020-06-30"') == 13


def test_no_column_is_marked_when_today_is_outside_the_week(demo, travel, client_for):
    travel(at(DAY1 + datetime.timedelta(days=10), 10, 0))
    html = client_for(demo.user("jiangsu_reviewer")).get(URL).content.decode()
    assert ("aria-current" in html, 'rp-today"' in html, "今天" in html) == (False, False, False)


def test_a_report_filed_on_a_later_day_shows_its_date_and_one_filed_that_day_its_time(demo, submit, travel):
    travel(at(DAY1, 15, 20))
    submit("320100")
    travel(at(DAY2, 1, 16))
    submit("320200", day=DAY1)
    board = services.build_dashboard(demo.jiangsu)
    nanjing, wuxi = board.rows[0].cells[0], board.rows[1].cells[0]
    assert [(c.short_label, c.submitted_text) for c in (nanjing, wuxi)] == [("按时", "15:20"), ("迟报", "6/30 01:16")]


def test_the_page_shows_late_and_its_date_in_the_cell(demo, submit, travel, client_for):
    travel(at(DAY2, 1, 16))
    submit("320200", day=DAY1)
    html = client_for(demo.user("jiangsu_reviewer")).get(URL).content.decode()
    assert re.search(r'<span class="cell-l">迟报</span>\s*<span class="cell-t">6/30 01:16</span>', html)


def test_early_in_the_week_the_rates_show_their_base(demo, submit, travel, client_for, three_city_week):
    week = three_city_week
    travel(at(DAY1, 15, 0))
    submit("320100", week=week)
    travel(at(DAY1, 16, 30))
    html = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:dashboard", args=[week.slug])).content.decode()  # fmt: skip
    kpis = re.findall(r'data-kpi="([a-z-]+)">([^<]+)</span><span class="kpi-l">(\w+)<span class="kpi-b" data-kpi-base="[a-z-]+">([^<]+)</span>', html)  # fmt: skip
    assert kpis == [
        ("completeness", "33.3%", "报送率", "（1/3 应报）"),
        ("on-time", "33.3%", "按时报送率", "（1/3 应报）"),
    ]
    board = services.build_dashboard(week)
    assert (board.total.completeness_base, board.total.on_time_base) == ("1/3 应报", "1/3 应报")
    assert '<td class="num">33.3%<br><span class="small muted">1/3</span></td>' in html


def test_a_single_report_due_reads_100_percent_of_one(demo, submit, travel, three_city_week):
    week = three_city_week
    week.report_orgs.set([demo.org("320100")])
    travel(at(DAY1, 15, 0))
    submit("320100", week=week)
    total = services.build_dashboard(week).total
    assert (total.completeness_text, total.completeness_base, total.on_time_base) == ("100%", "1/1 应报", "1/1 应报")
