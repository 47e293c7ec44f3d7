"""Activity reminders: each org of each week showing an activity gets one email per activity version, on time."""

import datetime
import email
import socket
from collections import Counter
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase
from django.utils.module_loading import import_string
from django_q.models import Schedule

from eventweek.models import Activity, ActivityNotice, Week
from eventweek.outbox import OutboxStatus
from eventweek.services.changes import cancel_activity, save_activity
from eventweek.services.publishing import ensure_schedules
from eventweek.services.reminders import (
    create_due_notices,
    send_activity_notice,
    send_due_activity_reminders,
)
from notifications.models import Delivery
from notifications.tasks import retry_deliveries_task

SHANGHAI = ZoneInfo("Asia/Shanghai")

NATIONAL_ORGS = [
    "jieneng@ggj.example.cn",  # 国管局节能司, the organizer
    "jiaoyubu@example.cn",
    "sthjb@example.cn",
    "jnc@jsjgsw.example.cn",  # 江苏, a daily reporter of the national week and the organizer of its own
    "jnc@jxjgsw.example.cn",
]
JIANGSU_CITIES = [
    f"{city}@jsjn.example.cn"
    for city in (
        "nanjing wuxi xuzhou changzhou suzhou nantong lianyungang huaian yancheng yangzhou zhenjiang taizhou suqian"
    ).split()
]


def at(month, day, hour, minute=0):
    return time_machine.travel(datetime.datetime(2020, month, day, hour, minute, tzinfo=SHANGHAI), tick=False)


def launch(demo):
    return Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)


def run_reminders():
    """What the every-minute django-q2 schedules run: the reminders (each notice handed to the org's channels, its
    deliveries sent after commit, as in a worker), then the notifications' retry sweep; how many notices were handed
    over."""
    ensure_schedules()
    schedule = Schedule.objects.get(name="eventweek:activity-reminders")
    with TestCase.captureOnCommitCallbacks(execute=True):
        handed = import_string(schedule.func)()
    retry_deliveries_task()
    return handed


def committed():
    """After commit: the deliveries queued inside are sent (the test itself runs in one transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_nothing_is_sent_before_the_reminder_time(demo):
    with at(6, 29, 7, 59):
        assert run_reminders() == 0

    assert mail.outbox == []
    assert ActivityNotice.objects.count() == 0


def test_at_the_reminder_time_every_org_of_every_week_showing_the_activity_gets_one_email(demo):
    activity = launch(demo)

    with at(6, 29, 8, 0):
        sent = run_reminders()

    assert sent == 18
    assert recipients() == sorted(NATIONAL_ORGS + JIANGSU_CITIES)
    nanjing = next(message for message in mail.outbox if message.to == ["nanjing@jsjn.example.cn"])
    assert nanjing.subject == "【活动提醒】公共机构节能宣传周“云启动”仪式 将于 6月29日 09:00 开始"
    assert nanjing.from_email == "eventweek@localhost"
    assert nanjing.body.splitlines()[:6] == [
        "南京市机关事务管理局：",
        "",
        "2020年全国公共机构节能宣传周的活动“公共机构节能宣传周“云启动”仪式”即将开始。",
        "",
        "时间：2020年6月29日 周一 09:00 至 10:00",
        "平台：新华社客户端直播频道",
    ]
    assert f"详情：http://testserver/weeks/2020-national/activities/{activity.pk}/" in nanjing.body
    assert set(ActivityNotice.objects.values_list("status", "sequence", "attempts")) == {("sent", 0, 1)}


def test_running_again_sends_nothing_more(demo):
    with at(6, 29, 8, 0):
        run_reminders()
        assert run_reminders() == 0
    with at(6, 29, 8, 30):
        assert run_reminders() == 0

    assert len(mail.outbox) == 18
    assert Counter(recipients()) == Counter(NATIONAL_ORGS + JIANGSU_CITIES)


def test_a_retried_send_of_one_notice_never_sends_twice(demo):
    with at(6, 29, 8, 0):
        create_due_notices()
        notice = ActivityNotice.objects.get(org__code="320100")

        with committed():
            assert send_activity_notice(notice.pk) is True
            assert send_activity_notice(notice.pk) is False

    assert recipients() == ["nanjing@jsjn.example.cn"]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (ActivityNotice.Status.SENT, 1)


def test_each_week_uses_its_own_lead_time_for_inherited_activities(demo):
    Week.objects.filter(pk=demo.jiangsu.pk).update(reminder_minutes=30)

    with at(6, 29, 8, 0):
        run_reminders()
    first = recipients()
    with at(6, 29, 8, 29):
        run_reminders()
    before_jiangsu_lead = len(mail.outbox)
    with at(6, 29, 8, 30):
        run_reminders()

    assert first == sorted(NATIONAL_ORGS)
    assert before_jiangsu_lead == 5
    assert recipients() == sorted(NATIONAL_ORGS + JIANGSU_CITIES)


def test_an_all_day_activity_is_announced_by_date(demo):
    with at(7, 1, 23, 0):
        sent = run_reminders()

    assert sent == 14
    assert recipients() == sorted(["jnc@jsjgsw.example.cn", *JIANGSU_CITIES])
    assert {message.subject for message in mail.outbox} == {"【活动提醒】能源紧缺体验日 将于 7月2日（全天） 开始"}
    assert "时间：2020年7月2日（全天）" in mail.outbox[0].body


def test_a_new_time_makes_a_new_version_which_is_announced_again(demo):
    activity = launch(demo)
    with at(6, 29, 8, 0):
        run_reminders()
    with at(6, 29, 8, 10):
        activity.start = datetime.datetime(2020, 6, 29, 10, 0, tzinfo=SHANGHAI)
        activity.end = datetime.datetime(2020, 6, 29, 11, 0, tzinfo=SHANGHAI)
        save_activity(activity)
    mail.outbox.clear()

    with at(6, 29, 8, 59):
        assert run_reminders() == 0
    with at(6, 29, 9, 0):
        assert run_reminders() == 18

    assert recipients() == sorted(NATIONAL_ORGS + JIANGSU_CITIES)
    assert {message.subject for message in mail.outbox} == {
        "【活动提醒】公共机构节能宣传周“云启动”仪式 将于 6月29日 10:00 开始"
    }
    assert sorted(Counter(ActivityNotice.objects.values_list("sequence", flat=True)).items()) == [(0, 18), (1, 18)]


def test_a_notice_of_an_outdated_version_is_never_sent(demo):
    activity = launch(demo)
    with at(6, 29, 8, 0):
        create_due_notices()
        save_activity(activity)  # no change: still version 0
        activity.place = "国管局"
        save_activity(activity)  # version 1
        with committed():
            sent = send_due_activity_reminders()

    assert sent == 18  # the version-1 notices only
    assert set(ActivityNotice.objects.filter(sequence=0).values_list("status", flat=True)) == {"pending"}
    assert set(ActivityNotice.objects.filter(sequence=1).values_list("status", flat=True)) == {"sent"}


def test_a_cancelled_activity_gets_no_reminder(demo):
    cancel_activity(launch(demo), reason="场地维修")

    with at(6, 29, 8, 0):
        assert run_reminders() == 0

    assert mail.outbox == []


def test_an_unpublished_week_sends_nothing(demo):
    Week.objects.filter(pk__in=[demo.national.pk, demo.jiangsu.pk]).update(published_at=None)

    with at(6, 29, 8, 0):
        assert run_reminders() == 0

    assert mail.outbox == []


def test_orgs_of_an_unpublished_child_week_are_not_told_yet(demo):
    Week.objects.filter(pk=demo.jiangsu.pk).update(published_at=None)

    with at(6, 29, 8, 0):
        run_reminders()

    assert recipients() == sorted(NATIONAL_ORGS)


class RefusingBackend(BaseEmailBackend):
    """An email backend whose server refuses every message."""

    def send_messages(self, email_messages):
        raise OSError("554 refused")


def test_failed_deliveries_back_off_and_are_retried_until_the_activity_is_over(one_recipient, settings):
    settings.EMAIL_BACKEND = "tests.eventweek.test_reminders.RefusingBackend"
    slots = []
    for minute in range(60):
        with at(6, 29, 8, minute):
            run_reminders()
        delivery = Delivery.objects.get()
        slot = delivery.next_attempt_at.astimezone(SHANGHAI).strftime("%H:%M")
        if not slots or slots[-1] != slot:
            slots.append(slot)

    assert slots == ["08:01", "08:03", "08:07", "08:15", "08:30", "08:45", "09:00"]


# -- a real SMTP server on loopback ------------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that accepts or refuses every message."""

    def __init__(self):
        self.refuse = False
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Message refused"
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


@pytest.fixture
def one_recipient(demo):
    """Only the national organizer is told: the national week without reporters, the Jiangsu week a draft."""
    demo.national.report_orgs.clear()
    Week.objects.filter(pk=demo.jiangsu.pk).update(published_at=None)
    return demo


def test_a_real_smtp_server_receives_the_reminder(one_recipient, smtp):
    with at(6, 29, 8, 0):
        assert run_reminders() == 1

    [(rcpt, message)] = smtp.messages
    assert rcpt == ["jieneng@ggj.example.cn"]
    # Decoded as a mail client does (Django folds the encoded subject onto continuation lines).
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "【活动提醒】公共机构节能宣传周“云启动”仪式 将于 6月29日 09:00 开始"
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "国家机关事务管理局公共机构节能管理司：" in body
    assert "时间：2020年6月29日 周一 09:00 至 10:00" in body


def test_a_refusing_server_leaves_the_delivery_failed_and_the_next_run_delivers_it_once(one_recipient, smtp):
    smtp.refuse = True
    with at(6, 29, 8, 0):
        assert run_reminders() == 1  # the notice is handed over; its email delivery fails
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.FAILED, 1)
    assert "554" in delivery.last_error

    smtp.refuse = False
    with at(6, 29, 8, 1):
        assert run_reminders() == 0
    with at(6, 29, 8, 2):
        assert run_reminders() == 0

    assert [rcpt for rcpt, _message in smtp.messages] == [["jieneng@ggj.example.cn"]]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (OutboxStatus.SENT, 2, "")
    assert ActivityNotice.objects.get().status == ActivityNotice.Status.SENT


def test_a_server_down_for_an_hour_does_not_lose_the_reminder(one_recipient, smtp, settings):
    settings.EMAIL_PORT = free_port()  # nobody listens there: connection refused
    for minute in range(60):
        with at(6, 29, 8, minute):
            run_reminders()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.FAILED, 7)  # 08:00 01 03 07 15 30 45

    settings.EMAIL_PORT = smtp.port
    with at(6, 29, 9, 0):
        assert run_reminders() == 0
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.SENT

    assert [rcpt for rcpt, _message in smtp.messages] == [["jieneng@ggj.example.cn"]]


# -- a worker that dies after claiming ---------------------------------------------------------------------------------


class WorkerKilled(BaseException):
    """The worker process dies in the middle of a send (kill -9, out of memory, a deploy): nothing after it runs."""


class DyingBackend(BaseEmailBackend):
    """An email backend during whose send the worker dies, after the notice was claimed."""

    def send_messages(self, email_messages):
        raise WorkerKilled


def test_a_delivery_whose_worker_died_is_sent_once_the_lease_has_run_out_and_not_before(one_recipient, settings):
    with at(6, 29, 8, 0):
        create_due_notices()
        notice = ActivityNotice.objects.get()
        settings.EMAIL_BACKEND = "tests.eventweek.test_reminders.DyingBackend"
        with pytest.raises(WorkerKilled), committed():
            send_activity_notice(notice.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (ActivityNotice.Status.SENT, 1)  # handed over before the worker died
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.SENDING, 1)
    assert delivery.claimed_at == datetime.datetime(2020, 6, 29, 8, 0, tzinfo=SHANGHAI)

    with at(6, 29, 8, 9):
        with committed():
            assert send_activity_notice(notice.pk) is False  # a retried task finds the notice handed over
        assert run_reminders() == 0
    assert mail.outbox == []
    with at(6, 29, 8, 10):
        assert run_reminders() == 0
    with at(6, 29, 8, 11):
        assert run_reminders() == 0

    assert recipients() == ["jieneng@ggj.example.cn"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.SENT, 2)
    assert delivery.sent_at == datetime.datetime(2020, 6, 29, 8, 10, tzinfo=SHANGHAI)


def test_a_notice_left_sending_before_leases_were_recorded_is_taken_over(one_recipient):
    with at(6, 29, 8, 0):
        create_due_notices()
        ActivityNotice.objects.update(status=ActivityNotice.Status.SENDING, claimed_at=None, attempts=1)
    with at(6, 29, 8, 1):  # the back-off after one attempt
        assert run_reminders() == 1

    assert recipients() == ["jieneng@ggj.example.cn"]
