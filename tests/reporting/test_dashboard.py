"""The provincial dashboard: the grid, the rates, constant queries, fresh after every submission."""

import datetime

import pytest
from django.urls import reverse

from eventweek.deadlines import DeadlineStatus as ReportStatus
from eventweek.models import Week
from reporting.services import dashboard as services

from .conftest import DAY1, at, image_bytes, item

DAY2 = DAY1 + datetime.timedelta(days=1)


@pytest.fixture
def three_city_week(demo):
    week = Week.objects.get(pk=demo.jiangsu.pk)  # a copy: demo.jiangsu stays the 13-city week
    week.pk = None
    week.slug = "2020-jiangsu-3"
    week.save()
    week.report_orgs.set([demo.org("320100"), demo.org("320200"), demo.org("320300")])
    return week


def _filed_day_two(demo, submit, travel):
    travel(at(DAY1, 15, 0))
    submit("320100", items=[item("启动会", pictures=[image_bytes(), image_bytes()]), item("讲座")])
    travel(at(DAY1, 17, 30))
    submit("320200")
    travel(at(DAY2, 9, 0))


def test_the_grid_shows_each_cells_status_and_the_rates(demo, submit, travel):
    _filed_day_two(demo, submit, travel)
    board = services.build_dashboard(demo.jiangsu)
    assert [row.org.code for row in board.rows][:3] == ["320100", "320200", "320300"]
    nanjing, wuxi, xuzhou = board.rows[:3]
    assert [c.status for c in nanjing.cells[:3]] == [ReportStatus.ON_TIME, ReportStatus.NOT_DUE, ReportStatus.NOT_DUE]
    assert nanjing.cells[0].submitted_at == at(DAY1, 15, 0)
    assert wuxi.cells[0].status == ReportStatus.LATE
    assert xuzhou.cells[0].status == ReportStatus.MISSING
    assert (nanjing.tally.items, nanjing.tally.pictures) == (2, 2)
    assert (nanjing.tally.completeness_rate, nanjing.tally.on_time_rate) == (1.0, 1.0)
    assert (wuxi.tally.completeness_rate, wuxi.tally.on_time_rate) == (1.0, 0.0)
    assert (xuzhou.tally.completeness_rate, xuzhou.tally.on_time_rate) == (0.0, 0.0)
    day1 = board.day_tallies[0]
    assert (day1.expected, day1.on_time, day1.late, day1.missing) == (13, 1, 1, 11)
    assert (day1.completeness_text, day1.on_time_text) == ("15.4%", "7.7%")
    assert board.day_tallies[1].expected == 0
    assert board.day_tallies[1].completeness_text == "—"
    assert (board.total.expected, board.total.submitted, board.total.items, board.total.pictures) == (13, 2, 3, 2)


def test_the_page_shows_the_cells_and_links_to_the_report(demo, submit, travel, client_for):
    _filed_day_two(demo, submit, travel)
    response = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:dashboard", args=["2020-jiangsu"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td class="cell st-bg-on_time" data-day="2020-06-29" data-status="on_time">' in html
    assert '<td class="cell st-bg-late" data-day="2020-06-29" data-status="late">' in html
    assert html.count('data-status="missing"') == 11
    assert html.count('data-status="not_due"') == 13 * 6
    assert '<span class="cell-t">15:00</span>' in html
    assert 'href="/reporting/2020-jiangsu/r/320100/2020-06-29/"' in html
    assert '<span class="kpi-v" data-kpi="completeness">15.4%</span>' in html


def test_the_dashboard_reflects_a_new_submission_at_once(demo, submit, travel, client_for):
    travel(at(DAY1, 15, 0))
    client = client_for(demo.user("jiangsu_reviewer"))
    url = reverse("reporting:dashboard", args=["2020-jiangsu"])
    before = client.get(url).content.decode()
    assert before.count('data-status="on_time"') == 0
    submit("320500")
    after = client.get(url).content.decode()
    assert after.count('data-status="on_time"') == 1
    assert '<tr data-org="320500">' in after


@pytest.mark.parametrize("orgs", [3, 13])
def test_the_dashboard_query_count_does_not_grow_with_the_orgs(
    orgs, demo, three_city_week, submit, travel, client_for, django_assert_num_queries
):
    week = three_city_week if orgs == 3 else demo.jiangsu
    travel(at(DAY2, 15, 0))
    for code in [o.code for o in week.report_orgs.all()]:
        for day in (DAY1, DAY2):
            submit(code, day=day, week=week, items=[item(pictures=[image_bytes()])])
    client = client_for(demo.user("jiangsu_reviewer"))
    url = reverse("reporting:dashboard", args=[week.slug])
    # session, user, the user's org, week, orgs, reports, the reports' review marks, "has children", 云兑换 records
    with django_assert_num_queries(9):
        response = client.get(url)
    html = response.content.decode()
    assert (html.count('data-status="late"'), html.count('data-status="on_time"')) == (orgs, orgs)
    with django_assert_num_queries(2):
        board = services.build_dashboard(week)
    assert len(board.rows) == orgs


def test_a_reviewer_sees_the_rows_of_its_own_subtree_only(demo, client_for, travel):
    travel(at(DAY1, 9, 0))
    response = client_for(demo.user("national_admin")).get(reverse("reporting:dashboard", args=["2020-jiangsu"]))
    assert response.content.decode().count("<tr data-org=") == 13


def test_the_national_overview_sums_the_provinces(demo, submit, travel, client_for):
    _filed_day_two(demo, submit, travel)
    rows = services.build_overview(demo.national)
    assert [r.org.code for r in rows] == ["320000"]
    assert (rows[0].tally.expected, rows[0].tally.submitted, rows[0].tally.on_time) == (13, 2, 1)
    response = client_for(demo.user("national_admin")).get(reverse("reporting:overview", args=["2020-national"]))
    assert "15.4%" in response.content.decode()
