"""The iCalendar feeds of a week and of one activity, parsed back with icalendar."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from eventweek.models import Activity
from eventweek.services.changes import cancel_activity, save_activity

SH = ZoneInfo("Asia/Shanghai")

NATIONAL_PROGRAMME = [
    ("公共机构节能宣传周“云启动”仪式", datetime.datetime(2020, 6, 29, 9, 0), datetime.datetime(2020, 6, 29, 10, 0)),
    (
        "“云课堂”：节约型机关创建与生活垃圾分类政策解读",
        datetime.datetime(2020, 6, 30, 9, 0),
        datetime.datetime(2020, 6, 30, 10, 30),
    ),
    ("“云兑换”：回收废旧物品 助力扶贫公益", datetime.date(2020, 7, 1), datetime.date(2020, 7, 2)),
    (
        "“云直播”：四川省机关事务管理局经验分享",
        datetime.datetime(2020, 7, 2, 9, 0),
        datetime.datetime(2020, 7, 2, 10, 0),
    ),
    (
        "“云直播”：天津市机关事务管理局经验分享",
        datetime.datetime(2020, 7, 3, 9, 0),
        datetime.datetime(2020, 7, 3, 10, 0),
    ),
    (
        "“云竞答”：节约能源资源和生态环境保护有奖竞答",
        datetime.datetime(2020, 7, 4, 9, 0),
        datetime.datetime(2020, 7, 5, 17, 0),
    ),
]


def fetch_calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def wall_clock(prop):
    """A DTSTART/DTEND as written: a date, or a naive local time plus its TZID."""
    value = prop.dt
    if isinstance(value, datetime.datetime):
        assert prop.params["TZID"] == "Asia/Shanghai"
        assert value.utcoffset() == datetime.timedelta(hours=8)
        return value.replace(tzinfo=None)
    return value


def by_summary(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_national_feed_holds_exactly_the_six_seed_activities_at_their_local_times(demo, client):
    calendar = fetch_calendar(client, "/weeks/2020-national/calendar.ics")

    found = [(str(e["SUMMARY"]), wall_clock(e["DTSTART"]), wall_clock(e["DTEND"])) for e in calendar.walk("VEVENT")]
    assert sorted(found, key=lambda row: str(row[1])) == NATIONAL_PROGRAMME


def test_national_feed_writes_the_all_day_exchange_as_dates_with_an_exclusive_end(demo, client):
    event = by_summary(fetch_calendar(client, "/weeks/2020-national/calendar.ics"))[
        "“云兑换”：回收废旧物品 助力扶贫公益"
    ]

    assert type(event["DTSTART"].dt) is datetime.date
    assert type(event["DTEND"].dt) is datetime.date
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (datetime.date(2020, 7, 1), datetime.date(2020, 7, 2))
    assert "VALUE=DATE:20200701" in event.to_ical().decode()


def test_feed_has_one_asia_shanghai_timezone_without_summer_time(demo, client):
    calendar = fetch_calendar(client, "/weeks/2020-national/calendar.ics")

    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Asia/Shanghai"]
    assert [sub.name for sub in timezones[0].subcomponents] == ["STANDARD"]
    standard = timezones[0].subcomponents[0]
    assert standard["TZOFFSETFROM"].td == datetime.timedelta(hours=8)
    assert standard["TZOFFSETTO"].td == datetime.timedelta(hours=8)
    assert calendar.walk("DAYLIGHT") == []
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert str(calendar["X-WR-CALNAME"]) == "2020年全国公共机构节能宣传周"


def test_feed_events_carry_stable_uids_sequence_status_stamp_and_a_reminder(demo, client):
    calendar = fetch_calendar(client, "/weeks/2020-national/calendar.ics")

    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    event = by_summary(calendar)[launch.title]
    assert str(event["UID"]) == f"{launch.uid}@eventweek"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTAMP"].dt == launch.updated_at.replace(microsecond=0)
    assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
    assert str(event["LOCATION"]) == "新华社客户端直播频道"
    assert str(event["URL"]) == f"http://testserver/weeks/2020-national/activities/{launch.pk}/"
    assert str(event["DESCRIPTION"]) == (
        "国管局会同教育部举办节能宣传周“云启动”仪式，在新华社客户端直播频道播出。\n"
        "平台：新华社客户端直播频道\n"
        "参与对象：全国公共机构干部职工\n"
        f"详情：http://testserver/weeks/2020-national/activities/{launch.pk}/"
    )
    alarms = event.walk("VALARM")
    assert [(str(a["ACTION"]), a["TRIGGER"].dt) for a in alarms] == [("DISPLAY", datetime.timedelta(minutes=-60))]
    assert len({str(e["UID"]) for e in calendar.walk("VEVENT")}) == 6


def test_feed_url_is_the_platform_link_when_the_activity_has_one(demo, client):
    lesson = Activity.objects.get(week=demo.national, kind=Activity.Kind.LESSON)

    event = by_summary(fetch_calendar(client, "/weeks/2020-national/calendar.ics"))[lesson.title]

    assert str(event["URL"]) == "https://yunketang.example.cn/2020/jieneng"


def test_reminder_follows_the_weeks_reminder_minutes(demo, client):
    demo.national.reminder_minutes = 30
    demo.national.save(update_fields=["reminder_minutes"])

    calendar = fetch_calendar(client, "/weeks/2020-national/calendar.ics")

    timed = [e for e in calendar.walk("VEVENT") if isinstance(e["DTSTART"].dt, datetime.datetime)]
    triggers = {a["TRIGGER"].dt for e in timed for a in e.walk("VALARM")}
    assert (len(timed), triggers) == (5, {datetime.timedelta(minutes=-30)})  # the all-day one rings at 08:00
    assert "TRIGGER:-PT30M" in calendar.to_ical().decode()


def test_sequence_rises_and_times_move_after_a_change_made_with_save_activity(demo, client):
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    launch.start = datetime.datetime(2020, 6, 29, 10, 0, tzinfo=SH)
    launch.end = datetime.datetime(2020, 6, 29, 11, 30, tzinfo=SH)
    save_activity(launch)

    event = by_summary(fetch_calendar(client, "/weeks/2020-national/calendar.ics"))[launch.title]

    assert event["SEQUENCE"] == 1
    assert wall_clock(event["DTSTART"]) == datetime.datetime(2020, 6, 29, 10, 0)
    assert wall_clock(event["DTEND"]) == datetime.datetime(2020, 6, 29, 11, 30)


def test_cancelled_activity_stays_in_the_feed_with_status_cancelled_and_no_reminder(demo, client):
    livestream = Activity.objects.get(week=demo.national, title="“云直播”：天津市机关事务管理局经验分享")
    cancel_activity(livestream, reason="场地维修")

    calendar = fetch_calendar(client, "/weeks/2020-national/calendar.ics")

    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 6
    event = events[f"{livestream.uid}@eventweek"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]) == "【已取消】“云直播”：天津市机关事务管理局经验分享"
    assert event.walk("VALARM") == []
    confirmed = [str(e["STATUS"]) for uid, e in events.items() if uid != f"{livestream.uid}@eventweek"]
    assert confirmed == ["CONFIRMED"] * 5


def test_jiangsu_feed_holds_the_national_activities_with_the_same_uids_plus_its_own_three(demo, client):
    national = fetch_calendar(client, "/weeks/2020-national/calendar.ics")
    jiangsu = fetch_calendar(client, "/weeks/2020-jiangsu/calendar.ics")

    national_uids = {str(e["UID"]) for e in national.walk("VEVENT")}
    own_uids = {f"{a.uid}@eventweek" for a in Activity.objects.filter(week=demo.jiangsu)}
    assert len(own_uids) == 3
    assert {str(e["UID"]) for e in jiangsu.walk("VEVENT")} == national_uids | own_uids
    assert len(jiangsu.walk("VEVENT")) == 9
    assert str(jiangsu["X-WR-CALNAME"]) == "2020年江苏省公共机构节能宣传周"
    sms = by_summary(jiangsu)["节能公益短信宣传"]
    assert (sms["DTSTART"].dt, sms["DTEND"].dt) == (datetime.date(2020, 6, 29), datetime.date(2020, 7, 6))
    # An inherited activity points at its page under the Jiangsu week.
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    assert (
        str(by_summary(jiangsu)[launch.title]["URL"]) == f"http://testserver/weeks/2020-jiangsu/activities/{launch.pk}/"
    )


def test_feed_response_names_a_file_and_may_be_cached_briefly(demo, client):
    response = client.get("/weeks/2020-jiangsu/calendar.ics")

    assert response["Content-Disposition"] == 'attachment; filename="2020-jiangsu.ics"'
    assert response["Cache-Control"] == "public, max-age=300"


def test_one_activity_feed_holds_that_activity_only_also_through_the_child_week(demo, client):
    quiz = Activity.objects.get(week=demo.national, kind=Activity.Kind.QUIZ)

    response = client.get(f"/weeks/2020-jiangsu/activities/{quiz.pk}/calendar.ics")

    assert response["Content-Disposition"] == f'attachment; filename="2020-jiangsu-{quiz.pk}.ics"'
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{quiz.uid}@eventweek"]
    assert wall_clock(events[0]["DTSTART"]) == datetime.datetime(2020, 7, 4, 9, 0)
    assert wall_clock(events[0]["DTEND"]) == datetime.datetime(2020, 7, 5, 17, 0)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(calendar["X-WR-CALNAME"]) == quiz.title


def test_unpublished_week_has_no_feed(demo, client):
    demo.national.published_at = None
    demo.national.save(update_fields=["published_at"])
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)

    assert client.get("/weeks/2020-national/calendar.ics").status_code == 404
    assert client.get(f"/weeks/2020-national/activities/{launch.pk}/calendar.ics").status_code == 404


@pytest.mark.parametrize("slug", ["2020-national", "2020-jiangsu"])
def test_feed_takes_two_queries_however_many_activities(demo, client, django_assert_num_queries, slug):
    with django_assert_num_queries(2):
        response = client.get(f"/weeks/{slug}/calendar.ics")

    assert response.status_code == 200
