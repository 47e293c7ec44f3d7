"""The 15:00 reminder reaches only the orgs that have not filed, once; the 16:00 sweep records who is missing."""

import datetime

from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule

from reporting import services, tasks
from reporting.models import ReportNotice

from .conftest import DAY1, at

JIANGSU_CITY_EMAILS = 13


def test_the_reminder_reaches_only_orgs_that_have_not_filed_and_only_once(demo, submit, travel):
    travel(at(DAY1, 11, 0))
    submit("320100")
    submit("320200")
    travel(at(DAY1, 14, 59, 59))
    assert tasks.send_report_reminders_task() == 0
    assert mail.outbox == []
    travel(at(DAY1, 15, 0))
    assert tasks.send_report_reminders_task() == JIANGSU_CITY_EMAILS - 2
    travel(at(DAY1, 15, 1))
    assert tasks.send_report_reminders_task() == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert len(recipients) == 11
    assert "nanjing@jsjn.example.cn" not in recipients
    assert "wuxi@jsjn.example.cn" not in recipients
    assert "xuzhou@jsjn.example.cn" in recipients
    assert len(set(recipients)) == 11
    message = next(m for m in mail.outbox if m.to == ["xuzhou@jsjn.example.cn"])
    assert message.subject == "【报送提醒】请于今天 16:00 前报送 06月29日 的活动情况"
    assert "徐州市机关事务管理局" in message.body
    assert "http://testserver/reporting/2020-jiangsu/my/" in message.body
    assert ReportNotice.objects.filter(kind="reminder", status="sent").count() == 11


def test_no_reminder_after_the_cutoff_or_outside_the_week(demo, travel):
    travel(at(DAY1, 16, 0))
    assert tasks.send_report_reminders_task() == 0
    travel(at(DAY1 - datetime.timedelta(days=1), 15, 30))
    assert tasks.send_report_reminders_task() == 0
    assert mail.outbox == []


def test_a_claimed_reminder_is_never_sent_twice(demo, travel):
    travel(at(DAY1, 15, 0))
    ids = services.create_due_reminders()
    assert len(ids) == 13
    assert services.send_report_reminder(ids[0]) is True
    assert services.send_report_reminder(ids[0]) is False
    assert len(mail.outbox) == 1


def test_a_failed_reminder_is_recorded_and_retried(demo, travel, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    travel(at(DAY1, 15, 0))
    assert services.send_due_report_reminders() == 0
    assert ReportNotice.objects.filter(status="failed").count() == 13
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    travel(at(DAY1, 15, 1))
    assert services.send_due_report_reminders() == 13
    assert len(mail.outbox) == 13
    assert set(ReportNotice.objects.values_list("attempts", flat=True)) == {2}


def test_the_sweep_records_who_is_missing_once(demo, submit, travel):
    travel(at(DAY1, 15, 0))
    submit("320100")
    travel(at(DAY1, 15, 59))
    assert tasks.sweep_missing_task() == 0
    travel(at(DAY1, 16, 0))
    submit("320200")  # late: still missing at the cutoff
    assert tasks.sweep_missing_task() == 12
    assert tasks.sweep_missing_task() == 0
    missing = services.missing_records(demo.jiangsu)
    assert (demo.org("320100").pk, DAY1) not in missing
    assert (demo.org("320200").pk, DAY1) in missing
    assert len(missing) == 12


def test_the_schedules_exist_once_after_migrate_and_after_a_second_run(db):
    services.ensure_schedules()
    call_command("migrate", verbosity=0)
    rows = Schedule.objects.filter(name__in=services.SCHEDULES).order_by("name")
    assert [(s.name, s.func, s.schedule_type, s.minutes) for s in rows] == [
        ("reporting:daily-reminders", "reporting.tasks.send_report_reminders_task", Schedule.MINUTES, 1),
        ("reporting:missing-sweep", "reporting.tasks.sweep_missing_task", Schedule.MINUTES, 1),
    ]


def test_a_reminder_claimed_before_the_org_filed_is_not_sent(demo, submit, travel):
    travel(at(DAY1, 15, 0))
    ids = services.create_due_reminders()
    nanjing = ReportNotice.objects.get(org__code="320100")
    submit("320100")
    assert services.send_report_reminder(nanjing.pk) is False
    nanjing.refresh_from_db()
    assert nanjing.status == ReportNotice.Status.RECORDED
    assert mail.outbox == []
    assert len(ids) == 13
