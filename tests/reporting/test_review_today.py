"""A reporter's day starts with one tap: the workbench says 今日待报 with a link to today's form, or how it was filed."""

import datetime

from django.urls import reverse

from reporting.services.review import comment_on_report

from .conftest import DAY1, at

TODAY_FORM = "/reporting/2020-jiangsu/r/320100/2020-06-29/edit/"


def _workbench(client_for, demo, username="nanjing_reporter") -> str:
    response = client_for(demo.user(username)).get(reverse("eventweek:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_cutoff_the_workbench_links_straight_to_todays_form(demo, client_for, travel):
    travel(at(DAY1, 9, 30))

    page = _workbench(client_for, demo)

    assert "<h2>今日待报</h2>" in page
    assert f'<a class="btn primary" href="{TODAY_FORM}">填报今日活动</a>' in page
    assert "截止 16:00" in page and "已过今日截止时间" not in page


def test_after_the_cutoff_an_unfiled_day_is_still_to_file_and_says_it_will_be_late(demo, client_for, travel):
    travel(at(DAY1, 16, 0))

    page = _workbench(client_for, demo)

    assert "<h2>今日待报</h2>" in page and TODAY_FORM in page
    assert "已过今日截止时间，现在报送将计为迟报。" in page


def test_a_day_filed_before_the_cutoff_reads_filed_on_time(demo, client_for, submit, travel):
    travel(at(DAY1, 15, 59))
    submit("320100")
    travel(at(DAY1, 17, 0))

    page = _workbench(client_for, demo)

    assert "<h2>今日已报（按时）</h2>" in page and "今日待报" not in page
    assert TODAY_FORM not in page
    assert "/reporting/2020-jiangsu/r/320100/2020-06-29/" in page


def test_a_day_filed_after_the_cutoff_reads_filed_late(demo, client_for, submit, travel):
    travel(at(DAY1, 16, 0, 1))
    submit("320100")

    page = _workbench(client_for, demo)

    assert "<h2>今日已报（迟报）</h2>" in page and "今日待报" not in page


def test_the_next_day_links_to_the_next_days_form(demo, client_for, submit, travel):
    travel(at(DAY1, 15, 0))
    submit("320100")
    travel(at(DAY1 + datetime.timedelta(days=1), 8, 0))

    page = _workbench(client_for, demo)

    assert "<h2>今日待报</h2>" in page
    assert "/reporting/2020-jiangsu/r/320100/2020-06-30/edit/" in page


def test_outside_the_week_nothing_is_due_today(demo, client_for, travel):
    travel(at(datetime.date(2020, 6, 28), 10, 0))

    page = _workbench(client_for, demo)

    assert "今日待报" not in page and "今日已报" not in page


def test_a_provincial_user_files_for_the_national_week_not_the_city_week(demo, client_for, travel):
    travel(at(DAY1, 10, 0))

    page = _workbench(client_for, demo, "jiangsu_reviewer")

    assert 'data-week="2020-national"' in page and 'data-week="2020-jiangsu"' not in page
    # Provincial-level units have no daily cutoff: no hour is shown, the link goes to today's form.
    assert "/reporting/2020-national/r/320000/2020-06-29/edit/" in page and "截止 16:00" not in page
    assert TODAY_FORM not in page


def test_the_days_comments_show_on_the_workbench(demo, client_for, submit, travel):
    travel(at(DAY1, 15, 0))
    report = submit("320100")
    comment_on_report(report, user=demo.user("jiangsu_reviewer"), text="请继续保持")

    page = _workbench(client_for, demo)

    assert "<h3>上级点评</h3>" in page and "江苏省局审核员：请继续保持" in page
