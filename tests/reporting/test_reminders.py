"""The 15:00 reminder reaches only the orgs that have not filed, once; the 16:00 sweep records who is missing."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import TestCase
from django_q.models import Schedule

from eventweek.outbox import OutboxStatus
from notifications.models import Delivery
from notifications.services.deliveries import retry_deliveries, send_delivery
from reporting import tasks
from reporting.models import ReportNotice
from reporting.services import reminders as services

from .conftest import DAY1, at

JIANGSU_CITY_EMAILS = 13


def committed():
    """After commit, as in a worker: the deliveries queued inside are sent (the test runs in one transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def task():
    """The every-minute reminder task, its deliveries sent after commit."""
    with committed():
        return tasks.send_report_reminders_task()


def remind():
    """The reminder run, its deliveries sent after commit, then the deliveries' retry sweep; how many handed over."""
    with committed():
        handed = services.send_due_report_reminders()
    retry_deliveries()
    return handed


def test_the_reminder_reaches_only_orgs_that_have_not_filed_and_only_once(demo, submit, travel):
    travel(at(DAY1, 11, 0))
    submit("320100")
    submit("320200")
    travel(at(DAY1, 14, 59, 59))
    assert task() == 0
    assert mail.outbox == []
    travel(at(DAY1, 15, 0))
    assert task() == JIANGSU_CITY_EMAILS - 2
    travel(at(DAY1, 15, 1))
    assert task() == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert len(recipients) == 11
    assert "nanjing@jsjn.example.cn" not in recipients
    assert "wuxi@jsjn.example.cn" not in recipients
    assert "xuzhou@jsjn.example.cn" in recipients
    assert len(set(recipients)) == 11
    message = next(m for m in mail.outbox if m.to == ["xuzhou@jsjn.example.cn"])
    assert message.subject == "【报送提醒】请于今天 16:00 前报送 6月29日 周一 的活动情况"
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
    with committed():
        assert services.send_report_reminder(ids[0]) is True
        assert services.send_report_reminder(ids[0]) is False
    assert len(mail.outbox) == 1


def test_a_failed_delivery_is_recorded_and_retried(demo, travel, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    travel(at(DAY1, 15, 0))
    assert remind() == 13  # handed over; each email delivery fails
    assert ReportNotice.objects.filter(status="sent").count() == 13
    assert Delivery.objects.filter(status="failed").count() == 13
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    travel(at(DAY1, 15, 1))
    assert remind() == 0
    assert len(mail.outbox) == 13
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 2)}


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


class WorkerKilled(BaseException):
    """The worker process dies in the middle of a send (kill -9, out of memory, a deploy): nothing after it runs."""


class DyingBackend(BaseEmailBackend):
    """An email backend during whose send the worker dies, after the reminder was claimed."""

    def send_messages(self, email_messages):
        raise WorkerKilled


def test_a_reminder_whose_worker_died_is_sent_once_the_lease_has_run_out_and_not_before(demo, travel, settings):
    travel(at(DAY1, 15, 0))
    services.create_due_reminders()
    xuzhou = ReportNotice.objects.get(org__code="320300")
    settings.EMAIL_BACKEND = "tests.reporting.test_reminders.DyingBackend"
    with pytest.raises(WorkerKilled), committed():
        services.send_report_reminder(xuzhou.pk)
    xuzhou.refresh_from_db()
    assert (xuzhou.status, xuzhou.attempts) == (ReportNotice.Status.SENT, 1)  # handed over before the worker died
    delivery = Delivery.objects.get(recipient="xuzhou@jsjn.example.cn")
    assert (delivery.status, delivery.claimed_at, delivery.attempts) == (OutboxStatus.SENDING, at(DAY1, 15, 0), 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    travel(at(DAY1, 15, 9, 59))
    assert send_delivery(delivery.pk) is False  # a retried task while the claim is live
    assert remind() == 12  # everybody else
    assert "xuzhou@jsjn.example.cn" not in [m.to[0] for m in mail.outbox]

    travel(at(DAY1, 15, 10))
    assert remind() == 0
    travel(at(DAY1, 15, 11))
    assert remind() == 0

    assert [m.to for m in mail.outbox if m.to == ["xuzhou@jsjn.example.cn"]] == [["xuzhou@jsjn.example.cn"]]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (OutboxStatus.SENT, 2, at(DAY1, 15, 10))


class HangingBackend(BaseEmailBackend):
    """A mail server that hangs past the lease on the first send, while a later run takes the delivery over and
    sends it; the first send then fails."""

    armed = False

    def send_messages(self, email_messages):
        if HangingBackend.armed:
            HangingBackend.armed = False
            delivery = Delivery.objects.get(recipient=email_messages[0].to[0])
            with time_machine.travel(at(DAY1, 15, 10), tick=False):
                assert send_delivery(delivery.pk) is True
            raise smtplib.SMTPServerDisconnected("connection lost after 10 minutes")
        return locmem.EmailBackend().send_messages(email_messages)


def test_a_worker_whose_lease_ran_out_does_not_mark_its_successors_delivery_failed(demo, travel, settings):
    travel(at(DAY1, 15, 0))
    services.create_due_reminders()
    xuzhou = ReportNotice.objects.get(org__code="320300")
    settings.EMAIL_BACKEND = "tests.reporting.test_reminders.HangingBackend"
    HangingBackend.armed = True

    with committed():
        assert services.send_report_reminder(xuzhou.pk) is True

    delivery = Delivery.objects.get(recipient="xuzhou@jsjn.example.cn")
    assert (delivery.status, delivery.attempts, delivery.sent_at, delivery.last_error) == (
        "sent",
        2,
        at(DAY1, 15, 10),
        "",
    )
    travel(at(DAY1, 15, 11))
    assert remind() == 12  # the others; Xuzhou is not reminded a second time
    assert [m.to[0] for m in mail.outbox].count("xuzhou@jsjn.example.cn") == 1


def test_a_reminder_left_sending_before_leases_were_recorded_is_taken_over(demo, travel):
    travel(at(DAY1, 15, 0))
    services.create_due_reminders()
    ReportNotice.objects.filter(org__code="320300").update(status="sending", claimed_at=None, attempts=1)

    assert services.send_due_report_reminders() == 13

    assert ReportNotice.objects.get(org__code="320300").status == ReportNotice.Status.SENT


def test_a_failed_delivery_backs_off_before_it_is_tried_again(demo, travel, settings):
    settings.EMAIL_BACKEND = "tests.reporting.test_reminders.RefusingBackend"
    travel(at(DAY1, 15, 0))
    remind()
    travel(at(DAY1, 15, 1))
    remind()  # the second failure: next try two minutes later
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    travel(at(DAY1, 15, 2))
    assert retry_deliveries() == 0
    travel(at(DAY1, 15, 3))
    assert retry_deliveries() == 13
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 3)}


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, b"refused")


def test_a_reminder_whose_day_has_passed_is_given_up_never_left_waiting_or_sending(demo, travel, settings):
    travel(at(DAY1, 15, 0))
    services.create_due_reminders()
    nanjing = ReportNotice.objects.get(org__code="320100")
    xuzhou = ReportNotice.objects.get(org__code="320300")
    ReportNotice.objects.filter(pk=nanjing.pk).update(status="failed", attempts=1)
    ReportNotice.objects.filter(pk=xuzhou.pk).update(status="sending", claimed_at=at(DAY1, 15, 55), attempts=1)

    travel(at(DAY1 + datetime.timedelta(days=1), 0, 1))
    assert services.send_due_report_reminders() == 0
    travel(at(DAY1 + datetime.timedelta(days=1), 0, 5))
    services.send_due_report_reminders()

    assert set(ReportNotice.objects.filter(kind="reminder", day=DAY1).values_list("status", flat=True)) == {"gave_up"}
    assert mail.outbox == []
