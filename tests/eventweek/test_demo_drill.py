"""load_demo on an empty database: the drill week (演练周) contains today, its reports follow the clock, its quiz is open."""

import datetime
import logging
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from eventweek.models import LOCAL_TZ, Org, User, Week
from quiz.models import Attempt, Quiz
from reporting.models.reports import DailyReport, Highlight
from reporting.models.summaries import Summary
from reporting.services.status import cell_status

pytestmark = pytest.mark.django_db


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def load_demo_at(moment) -> str:
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def statuses_by_day(week, now) -> dict[str, dict[str, int]]:
    """For each day of the week up to today: how many cities stand in each status at `now`."""
    reports = {(r.org_id, r.day): r for r in DailyReport.objects.filter(week=week)}
    result = {}
    for day in week.days():
        if day > now.date():
            break
        counts = Counter(
            str(cell_status(week, org, day, reports.get((org.pk, day)), now)) for org in week.report_orgs.all()
        )
        result[day.isoformat()] = dict(sorted(counts.items()))
    return result


def test_load_demo_at_ten_in_the_morning_makes_a_live_drill_week_around_today(client, caplog):
    caplog.set_level(logging.INFO)
    output = load_demo_at(at(2026, 11, 29, 10))

    # The services' INFO lines (one per report, one per queued task) stay out of the summary.
    assert [record.getMessage() for record in caplog.records] == []
    assert output.splitlines() == [
        "已加载演示数据：",
        "  单位 33 个，演示账号 18 个，密码均为 eventweek2020"
        "（national_admin、jiangsu_admin、jiangsu_reviewer、jiangxi_admin、nanjing_reporter 等）",
        "  2020 年活动周：2020-national、2020-jiangsu（6月29日至7月5日）",
        "  2020 年江苏每日报送 79 份，亮点 5 条（已上报国管局一批）",
        "  2020 年竞答 2020-national-quiz、2020-jiangsu-quiz（已结束）：答卷 130 份，已抽奖",
        "  2020 年江苏设区市活动周总结 3 份已报送（一份逾期）",
        "  演练周：drill-national、drill-jiangsu（11月26日至12月2日，今天 11月29日 是第 4 天，已发布）",
        "  演练周每日报送 37 份（今天已有 6 个市报送，16:00 截止），亮点 2 条",
        "  演练周竞答 drill-quiz：进行中，至 12月1日 17:00，已有答卷 12 份",
        "  2020 年全国“云兑换”（7月1日）：中央国家机关部门备案 5 家（通过 3、退回 1、待审核 1），兑换记录 3 份，"
        "共回收废旧报纸 760.75 千克，兑换扶贫产品 8800.5 元",
        "  案例征文：2023年度公共机构绿色低碳示范案例遴选与节约型机关创建主题征文（2023-jingdezhen），示范单位 7 个，"
        "作品 8 件，入选 4 件",
        "  常州市2022年节水宣传周：2022-changzhou-water（5月15日至5月21日，活动 4 项，已发布）",
        "  常州市节水宣传周每日报送 3 份",
        "演示数据已加载。",
    ]
    week = Week.objects.get(slug="drill-jiangsu")
    assert (week.start_date, week.end_date, week.is_published, week.parent.slug) == (
        datetime.date(2026, 11, 26),
        datetime.date(2026, 12, 2),
        True,
        "drill-national",
    )
    assert Week.objects.get(slug="drill-national").is_published
    # Before 16:00 the six cities that filed today are on time and the other seven are not yet due.
    assert statuses_by_day(week, at(2026, 11, 29, 10)) == {
        "2026-11-26": {"late": 3, "missing": 2, "on_time": 8},
        "2026-11-27": {"late": 2, "missing": 3, "on_time": 8},
        "2026-11-28": {"late": 2, "missing": 3, "on_time": 8},
        "2026-11-29": {"not_due": 7, "on_time": 6},
    }
    # Late reports of the first day were filed the next morning (shown with their date on the dashboard).
    first_day_late = DailyReport.objects.filter(week=week, day=datetime.date(2026, 11, 26)).order_by("org__path")
    assert [
        r.first_submitted_at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M")
        for r in first_day_late
        if r.first_submitted_at >= at(2026, 11, 26, 16)
    ] == ["11-27 08:33", "11-27 08:37", "11-27 08:41"]
    assert not DailyReport.objects.filter(week=week, org__code="320100", day=datetime.date(2026, 11, 29)).exists()
    assert list(
        Highlight.objects.filter(week=week).order_by("order").values_list("day", "item__report__org__code")
    ) == [(datetime.date(2026, 11, 28), "320200"), (datetime.date(2026, 11, 28), "320300")]
    assert not Summary.objects.filter(week__slug__startswith="drill-").exists()

    quiz = Quiz.objects.get(slug="drill-quiz")
    assert (quiz.week.slug, quiz.window_start, quiz.window_end) == (
        "drill-jiangsu",
        at(2026, 11, 28, 9),
        at(2026, 12, 1, 17),
    )
    assert Attempt.objects.filter(quiz=quiz, status=Attempt.Status.SUBMITTED).count() == 12
    with time_machine.travel(at(2026, 11, 29, 10, 5), tick=False):
        entry = client.get(reverse("quiz:entry", args=["drill-quiz"]))
        started = client.post(
            reverse("quiz:entry", args=["drill-quiz"]),
            {"name": "试用者", "phone": "13912345678", "org": Org.objects.get(code="320100").pk},
        )
    assert '<span class="badge green">进行中</span>' in entry.content.decode()
    assert started.status_code == 302
    assert Attempt.objects.get(quiz=quiz, phone="13912345678").status == Attempt.Status.OPEN

    # nanjing_reporter opens today's empty form from the banner's link.
    client.force_login(User.objects.get(username="nanjing_reporter"))
    with time_machine.travel(at(2026, 11, 29, 10, 10), tick=False):
        form = client.get("/reporting/drill-jiangsu/r/320100/2026-11-29/edit/")
        page = client.get("/weeks/drill-jiangsu/")
    assert (form.status_code, page.status_code) == (200, 200)


def test_the_drill_week_follows_the_clock_on_another_day_after_the_cutoff():
    load_demo_at(at(2027, 3, 10, 20))

    week = Week.objects.get(slug="drill-jiangsu")
    assert (week.start_date, week.end_date) == (datetime.date(2027, 3, 7), datetime.date(2027, 3, 13))
    # After 16:00 the sixth of today's filings (at 17:08) is late and the seven cities without one are missing.
    assert statuses_by_day(week, at(2027, 3, 10, 20)) == {
        "2027-03-07": {"late": 3, "missing": 2, "on_time": 8},
        "2027-03-08": {"late": 2, "missing": 3, "on_time": 8},
        "2027-03-09": {"late": 2, "missing": 3, "on_time": 8},
        "2027-03-10": {"late": 1, "missing": 7, "on_time": 5},
    }
    quiz = Quiz.objects.get(slug="drill-quiz")
    assert (quiz.window_start, quiz.window_end) == (at(2027, 3, 9, 9), at(2027, 3, 12, 17))
    assert quiz.is_open(at(2027, 3, 10, 20))
    latest = DailyReport.objects.filter(week=week, day=datetime.date(2027, 3, 10)).order_by("-first_submitted_at")[0]
    assert latest.first_submitted_at.astimezone(LOCAL_TZ).strftime("%H:%M:%S") == "17:08:34"


def test_load_demo_with_verbosity_two_also_prints_each_loaders_detail():
    out = StringIO()
    with time_machine.travel(at(2026, 11, 29, 10), tick=False):
        call_command("load_demo", verbosity=2, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:2] == ["每日报送演示数据：79 份报送。", "quiz: 2 quizzes, 176 questions, 130 attempts, 1 draw"]
    assert "drill reports: 37, today 6, highlights 2" in lines
    assert lines[-1] == "演示数据已加载。"
