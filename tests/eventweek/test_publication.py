"""A week's programme stays private until the scheduled django-q2 task publishes it at its publication time."""

import ast
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.module_loading import import_string
from django_q.models import Schedule
from icalendar import Calendar

from eventweek.models import Activity, Week
from eventweek.services.changes import save_activity
from eventweek.services.publishing import PUBLISH_SCHEDULE_PREFIX
from eventweek.services.weeks import save_week

SH = ZoneInfo("Asia/Shanghai")
PUBLISH_AT = datetime.datetime(2021, 6, 20, 9, 0, tzinfo=SH)
TITLE = "2021年全国公共机构节能宣传周"
LAUNCH = "2021年节能宣传周“云启动”仪式"


@pytest.fixture
def draft_week(demo, django_capture_on_commit_callbacks):
    """A national week for 2021 saved on 1 June, to be published on 20 June at 09:00, with one activity."""
    with time_machine.travel(datetime.datetime(2021, 6, 1, 10, 0, tzinfo=SH), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            week = save_week(
                Week(
                    slug="2021-national",
                    title=TITLE,
                    edition=31,
                    theme="节能降碳，绿色发展",
                    start_date=datetime.date(2021, 8, 23),
                    end_date=datetime.date(2021, 8, 29),
                    organizer=demo.org("100000"),
                    publish_at=PUBLISH_AT,
                )
            )
        activity = save_activity(
            Activity(
                week=week,
                kind=Activity.Kind.LAUNCH,
                title=LAUNCH,
                start=datetime.datetime(2021, 8, 23, 9, 0, tzinfo=SH),
                end=datetime.datetime(2021, 8, 23, 10, 0, tzinfo=SH),
                platform="新华社客户端",
            )
        )
    return week, activity


def run_publication_schedule(week: Week):
    """What the django-q2 cluster does when the one-off schedule is due: call its func with its args."""
    schedule = Schedule.objects.get(name=f"{PUBLISH_SCHEDULE_PREFIX}{week.pk}")
    return import_string(schedule.func)(*ast.literal_eval(schedule.args))


def feed_uids(client, slug) -> list[str]:
    response = client.get(f"/weeks/{slug}/calendar.ics")
    assert response.status_code == 200
    return [str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]


def test_saving_a_draft_week_schedules_its_publication_once_at_publish_at(draft_week):
    week, _activity = draft_week

    schedule = Schedule.objects.get(name=f"{PUBLISH_SCHEDULE_PREFIX}{week.pk}")

    assert schedule.func == "eventweek.tasks.publish_week_task"
    assert ast.literal_eval(schedule.args) == (week.pk,)
    assert schedule.schedule_type == Schedule.ONCE
    assert schedule.next_run == PUBLISH_AT


def test_before_publication_the_page_shows_only_the_title_and_when_it_will_be_published(draft_week, client):
    week, activity = draft_week

    with time_machine.travel(PUBLISH_AT - datetime.timedelta(minutes=1), tick=False):
        response = client.get("/weeks/2021-national/")

    html = response.content.decode()
    assert response.status_code == 200
    assert TITLE in html
    assert "将于 2021年6月20日 周日 09:00 发布" in html
    assert LAUNCH not in html
    assert "节能降碳，绿色发展" not in html
    assert "calendar.ics" not in html
    assert "days" not in response.context


def test_before_publication_the_feed_and_every_activity_url_are_not_found(draft_week, client):
    week, activity = draft_week
    base = f"/weeks/{week.slug}"

    with time_machine.travel(PUBLISH_AT - datetime.timedelta(minutes=1), tick=False):
        statuses = {
            url: client.get(url).status_code
            for url in (
                f"{base}/calendar.ics",
                f"{base}/poster/",
                f"{base}/changes/",
                f"{base}/activities/{activity.pk}/",
                f"{base}/activities/{activity.pk}/calendar.ics",
                f"{base}/activities/{activity.pk}/qr.png",
                f"{base}/activities/{activity.pk}/qr.svg",
            )
        }

    assert set(statuses.values()) == {404}


def test_scheduled_task_run_early_publishes_nothing(draft_week, client):
    week, _activity = draft_week

    with time_machine.travel(PUBLISH_AT - datetime.timedelta(seconds=1), tick=False):
        assert run_publication_schedule(week) is False

    week.refresh_from_db()
    assert week.published_at is None
    assert client.get("/weeks/2021-national/calendar.ics").status_code == 404


def test_after_the_scheduled_task_runs_the_page_and_the_feed_show_the_programme(draft_week, client):
    week, activity = draft_week

    with time_machine.travel(PUBLISH_AT + datetime.timedelta(minutes=1), tick=False):
        assert run_publication_schedule(week) is True
        response = client.get("/weeks/2021-national/")
        uids = feed_uids(client, "2021-national")

    week.refresh_from_db()
    assert week.published_at == PUBLISH_AT + datetime.timedelta(minutes=1)
    html = response.content.decode()
    assert LAUNCH in html
    assert "将于" not in html
    assert [entry.activity.title for day in response.context["days"] for entry in day.entries] == [LAUNCH]
    assert uids == [f"{activity.uid}@eventweek"]
    assert client.get(f"/weeks/2021-national/activities/{activity.pk}/").status_code == 200


def test_a_child_week_does_not_show_its_parents_unpublished_activities(demo, client):
    Week.objects.filter(pk=demo.national.pk).update(published_at=None)

    uids = feed_uids(client, "2020-jiangsu")

    assert sorted(uids) == sorted(f"{a.uid}@eventweek" for a in Activity.objects.filter(week=demo.jiangsu))
    launch = Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)
    assert client.get(f"/weeks/2020-jiangsu/activities/{launch.pk}/").status_code == 404
