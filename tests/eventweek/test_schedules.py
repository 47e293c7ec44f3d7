"""The django-q2 schedules: created idempotently, moved when the publication time moves, removed once published."""

import ast
import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse
from django.utils.module_loading import import_string
from django_q.models import Schedule

from eventweek.models import Week
from eventweek.services.publishing import ensure_schedules, publish_due_weeks, schedule_publication
from eventweek.services.weeks import save_week

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIODIC = {
    "eventweek:activity-reminders": "eventweek.tasks.send_activity_reminders_task",
    "eventweek:publish-due-weeks": "eventweek.tasks.publish_due_weeks_task",
}


def periodic_schedules():
    return sorted(
        Schedule.objects.filter(name__in=PERIODIC).values_list("name", "func", "schedule_type", "minutes", "repeats")
    )


def expected_periodic():
    return sorted((name, func, Schedule.MINUTES, 1, -1) for name, func in PERIODIC.items())


def draft(week):
    Week.objects.filter(pk=week.pk).update(published_at=None)
    week.refresh_from_db()
    return week


def test_ensure_schedules_twice_leaves_exactly_one_schedule_of_each_name(demo):
    draft(demo.jiangsu)

    ensure_schedules()
    ensure_schedules()

    assert periodic_schedules() == expected_periodic()
    assert list(Schedule.objects.filter(name__startswith="eventweek:publish-week:").values_list("name", "args")) == [
        (f"eventweek:publish-week:{demo.jiangsu.pk}", f"({demo.jiangsu.pk},)")
    ]


def test_migrate_creates_the_schedules_through_post_migrate(db):
    Schedule.objects.all().delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert periodic_schedules() == expected_periodic()


def test_setup_schedules_command_is_idempotent(demo, capsys):
    draft(demo.national)

    call_command("setup_schedules")
    call_command("setup_schedules")

    assert periodic_schedules() == expected_periodic()
    assert Schedule.objects.filter(name=f"eventweek:publish-week:{demo.national.pk}").count() == 1
    last_run = capsys.readouterr().out.strip().splitlines()[-4:]
    assert last_run == [
        "schedule=eventweek:activity-reminders",
        "schedule=eventweek:publish-due-weeks",
        f"schedule=eventweek:publish-week:{demo.national.pk}",
        "schedules=3",
    ]


def test_a_new_publication_time_moves_the_one_off_schedule(demo, client_for, django_capture_on_commit_callbacks):
    week = draft(demo.jiangsu)
    schedule_publication(week)
    client = client_for(demo.user("jiangsu_admin"))
    payload = {
        "title": week.title,
        "edition": "30",
        "theme": week.theme,
        "start_date": "2020-06-29",
        "end_date": "2020-07-05",
        "organizer": week.organizer_id,
        "parent": week.parent_id,
        "publish_at": "2020-06-26T18:00",
        "reminder_minutes": "60",
        "report_orgs": list(week.report_orgs.values_list("pk", flat=True)),
        "daily_cutoff": "16:00",
        "daily_reminder_time": "15:00",
        "summary_due_at": "2020-07-10T00:00",
        "summary_char_limit": "2000",
        "summary_mailbox": week.summary_mailbox,
        "special-TOTAL_FORMS": "0",
        "special-INITIAL_FORMS": "0",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("eventweek:manage_week_edit", args=[week.slug]), payload)

    assert response.status_code == 302
    [schedule] = Schedule.objects.filter(name=f"eventweek:publish-week:{week.pk}")
    assert schedule.next_run == datetime.datetime(2020, 6, 26, 18, 0, tzinfo=SHANGHAI)
    assert (schedule.schedule_type, schedule.func, schedule.args) == (
        Schedule.ONCE,
        "eventweek.tasks.publish_week_task",
        f"({week.pk},)",
    )


def test_the_one_off_schedule_publishes_the_week_at_its_time_and_not_before(demo):
    week = draft(demo.jiangsu)
    schedule_publication(week)
    schedule = Schedule.objects.get(name=f"eventweek:publish-week:{week.pk}")
    task = import_string(schedule.func)

    with time_machine.travel(datetime.datetime(2020, 6, 25, 8, 59, tzinfo=SHANGHAI), tick=False):
        assert task(*ast.literal_eval(schedule.args)) is False  # django-q2 stores args as a repr
    with time_machine.travel(datetime.datetime(2020, 6, 25, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert task(*ast.literal_eval(schedule.args)) is True

    week.refresh_from_db()
    assert week.published_at == datetime.datetime(2020, 6, 25, 9, 0, tzinfo=SHANGHAI)
    assert not Schedule.objects.filter(name=f"eventweek:publish-week:{week.pk}").exists()


def test_publish_due_weeks_is_a_safety_net_for_a_missed_one_off_schedule(demo):
    draft(demo.national)
    draft(demo.jiangsu)

    with time_machine.travel(datetime.datetime(2020, 6, 26, 0, 0, tzinfo=SHANGHAI), tick=False):
        assert publish_due_weeks() == 2
        assert publish_due_weeks() == 0

    assert set(Week.objects.values_list("published_at", flat=True)) == {
        datetime.datetime(2020, 6, 26, 0, 0, tzinfo=SHANGHAI)
    }


def test_saving_a_published_week_removes_any_leftover_schedule(demo, django_capture_on_commit_callbacks):
    Schedule.objects.create(
        name=f"eventweek:publish-week:{demo.jiangsu.pk}", func="eventweek.tasks.publish_week_task", args="(0,)"
    )

    with django_capture_on_commit_callbacks(execute=True):
        save_week(demo.jiangsu)

    assert not Schedule.objects.filter(name=f"eventweek:publish-week:{demo.jiangsu.pk}").exists()
