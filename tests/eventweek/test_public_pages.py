"""The public programme page and the activity page: what a member of staff sees from a WeChat link."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from eventweek.models import Activity, Week
from eventweek.services.changes import cancel_activity

SH = ZoneInfo("Asia/Shanghai")


def titles(entries):
    return [entry.activity.title for entry in entries]


def day(response, date):
    return next(d for d in response.context["days"] if d.date == date)


def test_national_page_lists_the_week_day_by_day_with_theme_and_low_carbon_day(demo, client):
    response = client.get("/weeks/2020-national/")

    html = response.content.decode()
    assert "绿水青山，节能增效" in html
    assert "第30个全国节能宣传周" in html
    assert [d.label for d in response.context["days"]] == [
        "6月29日 周一",
        "6月30日 周二",
        "7月1日 周三",
        "7月2日 周四",
        "7月3日 周五",
        "7月4日 周六",
        "7月5日 周日",
    ]
    low_carbon = day(response, datetime.date(2020, 7, 2))
    assert [(s.name, s.theme) for s in low_carbon.special_days] == [("全国低碳日", "绿色低碳，全面小康")]
    assert "全国低碳日" in html and "主题：“绿色低碳，全面小康”" in html
    assert titles(low_carbon.entries) == ["“云直播”：四川省机关事务管理局经验分享"]
    assert response.context["whole_week"] == []


def test_times_read_per_day_and_a_two_day_quiz_appears_on_both_days(demo, client):
    response = client.get("/weeks/2020-national/")

    rows = [(d.date.day, e.time, e.continued) for d in response.context["days"] for e in d.entries]
    assert rows == [
        (29, "09:00–10:00", False),
        (30, "09:00–10:30", False),
        (1, "全天", False),
        (2, "09:00–10:00", False),
        (3, "09:00–10:00", False),
        (4, "09:00 起", False),
        (5, "至 17:00", True),
    ]


def test_jiangsu_page_shows_national_activities_read_only_labelled_with_their_week(demo, client):
    response = client.get("/weeks/2020-jiangsu/")

    html = response.content.decode()
    assert titles(day(response, datetime.date(2020, 7, 2)).entries) == [
        "能源紧缺体验日",
        "“云直播”：四川省机关事务管理局经验分享",
    ]
    assert [a.title for a in response.context["whole_week"]] == ["节约型机关创建主题宣传", "节能公益短信宣传"]
    inherited = [e.activity for d in response.context["days"] for e in d.entries if e.activity.inherited]
    assert len(inherited) == 7  # six national activities, the quiz on two days
    assert {a.week.slug for a in inherited} == {"2020-national"}
    assert html.count("来自 2020年全国公共机构节能宣传周") == 7
    assert "/manage/" not in html
    assert [(s.name, s.theme) for s in response.context["special_days"]] == [
        ("全国低碳日 · 能源紧缺体验日", "绿色低碳，全面小康")
    ]


def test_page_links_to_subscribe_by_https_and_webcal_to_the_poster_and_the_changes(demo, client, settings):
    settings.SITE_URL = "https://jieneng.example.cn"

    html = client.get("/weeks/2020-jiangsu/").content.decode()

    assert 'href="webcal://jieneng.example.cn/weeks/2020-jiangsu/calendar.ics"' in html
    assert 'href="https://jieneng.example.cn/weeks/2020-jiangsu/calendar.ics"' in html
    assert 'href="/weeks/2020-jiangsu/poster/"' in html
    assert 'href="/weeks/2020-jiangsu/changes/"' in html


def test_today_is_marked_in_local_time(demo, client):
    # 2020-07-01 17:30 UTC is already 2 July in Shanghai.
    with time_machine.travel(datetime.datetime(2020, 7, 1, 17, 30, tzinfo=datetime.UTC), tick=False):
        response = client.get("/weeks/2020-national/")

    assert [d.date for d in response.context["days"] if d.is_today] == [datetime.date(2020, 7, 2)]
    assert response.content.decode().count('<span class="badge today">今天</span>') == 1


def test_no_day_is_marked_outside_the_week(demo, client):
    with time_machine.travel(datetime.datetime(2020, 7, 10, 9, 0, tzinfo=SH), tick=False):
        response = client.get("/weeks/2020-national/")

    assert [d.date for d in response.context["days"] if d.is_today] == []
    assert "badge today" not in response.content.decode()


def test_cancelled_activity_is_struck_through_and_marked_cancelled(demo, client):
    tianjin = Activity.objects.get(week=demo.national, title="“云直播”：天津市机关事务管理局经验分享")
    cancel_activity(tianjin, reason="场地维修")

    html = client.get("/weeks/2020-jiangsu/").content.decode()

    assert "<del>“云直播”：天津市机关事务管理局经验分享</del>" in html
    assert html.count('<span class="badge red">已取消</span>') == 1


@pytest.mark.parametrize("slug, queries", [("2020-national", 4), ("2020-jiangsu", 4)])
def test_programme_page_takes_constant_queries(demo, client, django_assert_num_queries, slug, queries):
    with django_assert_num_queries(queries):
        response = client.get(f"/weeks/{slug}/")

    assert response.status_code == 200


def test_programme_page_query_count_does_not_grow_with_activities(demo, client, django_assert_num_queries):
    for hour in range(10, 18):
        Activity.objects.create(
            week=demo.jiangsu,
            title=f"南京专场 {hour}:00",
            start=datetime.datetime(2020, 7, 3, hour, 0, tzinfo=SH),
            end=datetime.datetime(2020, 7, 3, hour, 30, tzinfo=SH),
            organizer=demo.org("320100"),
        )

    with django_assert_num_queries(4):
        response = client.get("/weeks/2020-jiangsu/")

    assert len(day(response, datetime.date(2020, 7, 3)).entries) == 9


def test_activity_page_and_poster_take_constant_queries(demo, client, django_assert_num_queries):
    quiz = Activity.objects.get(week=demo.national, kind=Activity.Kind.QUIZ)

    with django_assert_num_queries(3):  # the week, the activity, the quizzes tied to it
        assert client.get(f"/weeks/2020-jiangsu/activities/{quiz.pk}/").status_code == 200
    with django_assert_num_queries(3):
        assert client.get("/weeks/2020-jiangsu/poster/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/weeks/2020-jiangsu/changes/").status_code == 200


# -- one activity ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, when",
    [
        ("公共机构节能宣传周“云启动”仪式", "2020年6月29日 09:00–10:00"),
        ("“云兑换”：回收废旧物品 助力扶贫公益", "2020年7月1日（全天）"),
        ("“云竞答”：节约能源资源和生态环境保护有奖竞答", "2020年7月4日 09:00 至 7月5日 17:00"),
        ("节能公益短信宣传", "2020年6月29日 至 7月5日（全天）"),
    ],
)
def test_activity_page_states_its_time_in_words(demo, client, title, when):
    activity = Activity.objects.get(title=title)

    response = client.get(f"/weeks/2020-jiangsu/activities/{activity.pk}/")

    assert response.context["when"] == when
    assert f'<dd class="when">{when}</dd>' in response.content.decode()


def test_activity_page_shows_details_the_link_an_inline_qr_and_add_to_calendar(demo, client):
    lesson = Activity.objects.get(week=demo.national, kind=Activity.Kind.LESSON)

    response = client.get(f"/weeks/2020-jiangsu/activities/{lesson.pk}/")

    html = response.content.decode()
    assert "<dd>清华大学在线教学直播平台</dd>" in html
    assert "<dd>全国公共机构干部职工</dd>" in html
    assert 'href="https://yunketang.example.cn/2020/jieneng"' in html
    assert f'<a class="btn primary" href="/weeks/2020-jiangsu/activities/{lesson.pk}/calendar.ics">加入日历</a>' in html
    assert html.count('<svg width="') == 1
    assert response.context["target_url"] == "https://yunketang.example.cn/2020/jieneng"
    assert "来自 2020年全国公共机构节能宣传周" in html


def test_activity_page_shows_place_of_a_local_activity(demo, client):
    day_of_shortage = Activity.objects.get(week=demo.jiangsu, title="能源紧缺体验日")

    html = client.get(f"/weeks/2020-jiangsu/activities/{day_of_shortage.pk}/").content.decode()

    assert "<dt>地点</dt><dd>各单位办公场所</dd>" in html
    assert "来自" not in html


def test_cancelled_activity_page_says_so(demo, client):
    quiz = Activity.objects.get(week=demo.national, kind=Activity.Kind.QUIZ)
    cancel_activity(quiz, reason="场地维修")

    html = client.get(f"/weeks/2020-national/activities/{quiz.pk}/").content.decode()

    assert f"<h1><del>{quiz.title}</del></h1>" in html
    assert '<span class="badge red">已取消</span>' in html


# -- not found ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/weeks/no-such-week/",
        "/weeks/no-such-week/calendar.ics",
        "/weeks/no-such-week/poster/",
        "/weeks/no-such-week/changes/",
        "/weeks/no-such-week/activities/{pk}/",
        "/weeks/no-such-week/activities/{pk}/calendar.ics",
        "/weeks/no-such-week/activities/{pk}/qr.svg",
        "/weeks/no-such-week/activities/{pk}/qr.png",
    ],
)
def test_unknown_slug_is_not_found_on_every_public_url(demo, client, path):
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)

    assert client.get(path.format(pk=launch.pk)).status_code == 404


@pytest.mark.parametrize("suffix", ["", "calendar.ics", "qr.svg", "qr.png"])
def test_activity_of_an_unrelated_week_is_not_found(demo, client, suffix):
    jiangxi = Week.objects.create(
        slug="2020-jiangxi",
        title="2020年江西省公共机构节能宣传周",
        theme="绿水青山，节能增效",
        start_date=datetime.date(2020, 6, 29),
        end_date=datetime.date(2020, 7, 5),
        organizer=demo.org("360000"),
        publish_at=demo.national.publish_at,
        published_at=demo.national.publish_at,
    )
    theirs = Activity.objects.create(
        week=jiangxi,
        title="江西省节能宣传周启动",
        start=datetime.datetime(2020, 6, 29, 15, 0, tzinfo=SH),
        end=datetime.datetime(2020, 6, 29, 16, 0, tzinfo=SH),
    )
    jiangsu_own = Activity.objects.get(week=demo.jiangsu, title="能源紧缺体验日")

    assert client.get(f"/weeks/2020-jiangsu/activities/{theirs.pk}/{suffix}").status_code == 404
    # A parent week does not show its children's activities either.
    assert client.get(f"/weeks/2020-national/activities/{jiangsu_own.pk}/{suffix}").status_code == 404
    assert client.get(f"/weeks/2020-jiangxi/activities/{theirs.pk}/{suffix}").status_code == 200


def test_programme_page_links_the_quiz_of_the_week_and_of_its_parent(demo, client):
    from quiz.services.setup import create_quiz_for_week

    quiz = create_quiz_for_week(demo.national)

    html = client.get("/weeks/2020-jiangsu/").content.decode()

    assert f'href="/quiz/{quiz.slug}/"' in html
    assert "7月4日 周六 09:00 至 7月5日 周日 17:00" in html
