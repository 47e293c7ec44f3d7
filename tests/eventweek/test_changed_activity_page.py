"""Activities tell the truth after a change: the page names the original time; an all-day alarm rings in the morning."""

import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from eventweek.models import Activity
from eventweek.services.changes import save_activity

SH = ZoneInfo("Asia/Shanghai")


def lesson(demo) -> Activity:
    return Activity.objects.get(week=demo.national, kind=Activity.Kind.LESSON)  # 6月30日 09:00–10:30


def page(client, activity) -> str:
    return client.get(f"/weeks/2020-national/activities/{activity.pk}/").content.decode()


def test_a_moved_activity_says_when_it_was_first_published_to_start(demo, client):
    activity = lesson(demo)
    activity.start = datetime.datetime(2020, 7, 1, 14, 0, tzinfo=SH)
    activity.end = datetime.datetime(2020, 7, 1, 15, 30, tzinfo=SH)
    save_activity(activity)

    html = page(client, activity)

    assert '<span class="badge amber" data-original-start>时间已调整：原 6月30日 09:00</span>' in html


def test_after_two_moves_the_page_still_names_the_first_published_time(demo, client):
    activity = lesson(demo)
    for hour in (14, 16):
        activity.start = datetime.datetime(2020, 7, 1, hour, 0, tzinfo=SH)
        activity.end = datetime.datetime(2020, 7, 1, hour + 1, 0, tzinfo=SH)
        save_activity(activity)

    assert "时间已调整：原 6月30日 09:00" in page(client, activity)


def test_an_activity_moved_back_to_its_first_time_or_changed_otherwise_says_nothing_about_time(demo, client):
    moved_back = lesson(demo)
    moved_back.start = datetime.datetime(2020, 7, 1, 14, 0, tzinfo=SH)
    moved_back.end = datetime.datetime(2020, 7, 1, 15, 0, tzinfo=SH)
    save_activity(moved_back)
    moved_back.start = datetime.datetime(2020, 6, 30, 9, 0, tzinfo=SH)
    moved_back.end = datetime.datetime(2020, 6, 30, 10, 30, tzinfo=SH)
    save_activity(moved_back)
    renamed = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    renamed.place = "人民大会堂"
    save_activity(renamed)

    assert "时间已调整" not in page(client, moved_back)
    assert "时间已调整" not in page(client, renamed)


def test_a_moved_all_day_activity_names_its_first_day(demo, client):
    exchange = Activity.objects.get(week=demo.national, kind=Activity.Kind.EXCHANGE)  # 7月1日 全天
    exchange.start = datetime.datetime(2020, 7, 2, tzinfo=SH)
    exchange.end = datetime.datetime(2020, 7, 3, tzinfo=SH)
    save_activity(exchange)

    assert '<span class="badge amber" data-original-start>时间已调整：原 7月1日</span>' in page(client, exchange)


def test_an_all_day_activity_rings_at_08_00_beijing_time_on_its_day_not_the_night_before(demo, client):
    exchange = Activity.objects.get(week=demo.national, kind=Activity.Kind.EXCHANGE)  # 7月1日 全天

    feed = Calendar.from_ical(client.get("/weeks/2020-national/calendar.ics").content)

    event = {str(e["UID"]): e for e in feed.walk("VEVENT")}[f"{exchange.uid}@eventweek"]
    [alarm] = event.walk("VALARM")
    trigger = alarm["TRIGGER"].dt
    assert trigger == datetime.datetime(2020, 7, 1, 0, 0, tzinfo=datetime.UTC)
    assert trigger.astimezone(SH) == datetime.datetime(2020, 7, 1, 8, 0, tzinfo=SH)
    assert "TRIGGER;VALUE=DATE-TIME:20200701T000000Z" in feed.to_ical().decode()


def test_a_timed_activity_still_rings_the_weeks_minutes_before(demo, client):
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)

    feed = Calendar.from_ical(client.get("/weeks/2020-national/calendar.ics").content)

    event = {str(e["UID"]): e for e in feed.walk("VEVENT")}[f"{launch.uid}@eventweek"]
    assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [datetime.timedelta(minutes=-60)]
