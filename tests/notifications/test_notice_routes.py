"""Every notice of the site goes through the channels each org chose for its kind: activity reminders, the 15:00
未报送 reminder, summary deadlines, the quiz opening and the inbox receipt arrive exactly once per channel and
recipient (email on locmem, SMS and a WeCom robot on loopback gateways), and a duplicated cause sends nothing twice."""

import ast
import datetime
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.utils.module_loading import import_string
from django_q.models import Schedule

from eventweek.models import LOCAL_TZ, ActivityNotice, Org
from eventweek.services.reminders import send_activity_notice, send_due_activity_reminders
from notifications.models import Channel, ChannelKind, Contact, Delivery, NoticeKind, NoticeRoute
from notifications.services.routing import default_email_channel
from quiz.services.opening import notify_quiz_opening
from quiz.services.setup import create_quiz_for_week, save_quiz
from reporting.models import ReportNotice
from reporting.models.summaries import SummaryReminder
from reporting.services.reminders import send_due_report_reminders, send_report_reminder
from reporting.summary.services.deadlines import send_summary_reminders
from tests.inbox.conftest import forwarded  # noqa: F401  (fixture)
from tests.reporting.conftest import submit, travel  # noqa: F401  (fixtures of `forwarded`)

MOBILES = ["13900000001", "13900000002"]
JIANGSU_CITIES = sorted(
    f"{city}@jsjn.example.cn"
    for city in (
        "nanjing wuxi xuzhou changzhou suzhou nantong lianyungang huaian yancheng yangzhou zhenjiang taizhou suqian"
    ).split()
)
# The quiz opening goes to the whole subtree below the organizer: the cities and Changzhou's two districts (its two
# institutions have no mailbox and no contacts, so nothing is queued for them).
JIANGSU_SUBTREE = sorted([*JIANGSU_CITIES, "wujin@jsjn.example.cn", "jintan@jsjn.example.cn"])


def local(month, day, hour, minute=0):
    return datetime.datetime(2020, month, day, hour, minute, tzinfo=LOCAL_TZ)


def committed():
    """After commit, as in a worker: the deliveries queued inside are sent (the test runs in one transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def route(org, kind, *channels):
    chosen, _created = NoticeRoute.objects.get_or_create(org=org, kind=kind)
    chosen.channels.set(channels)


@pytest.fixture
def gateways(gateway):
    sms = gateway([lambda r: (200, {"code": 0, "message_id": "m-" + r.json["mobile"]})])
    wecom = gateway([200])
    return sms, wecom


def office(org, gateways, kind):
    """The org's email, SMS gateway and WeCom robot, all three chosen for `kind`."""
    sms, wecom = gateways
    channels = (
        default_email_channel(org),
        Channel.objects.create(
            org=org,
            kind=ChannelKind.SMS,
            name="短信",
            url=sms.url + "/sms/send",
            secret="sms-key-0123456789abcd",
            config={"sign_name": "节能宣传周", "max_chars": 500},
        ),
        Channel.objects.create(
            org=org, kind=ChannelKind.WECOM, name="群机器人", url=wecom.url + "/cgi-bin/webhook/send?key=k0123456789ab"
        ),
    )
    route(org, kind, *channels)


def activity_reminder(demo):
    with time_machine.travel(local(6, 29, 8, 0), tick=False):
        with committed():
            assert send_due_activity_reminders() == 18
        notice = ActivityNotice.objects.get(org=demo.org("320100"))
        with committed():  # a duplicated run and a retried task of the same notice
            assert send_due_activity_reminders() == 0
            assert send_activity_notice(notice.pk) is False
    return "【活动提醒】公共机构节能宣传周“云启动”仪式 将于 6月29日 09:00 开始"


def report_missing(demo):
    with time_machine.travel(local(6, 29, 15, 0), tick=False):
        with committed():
            assert send_due_report_reminders() == 13
        notice = ReportNotice.objects.get(org=demo.org("320100"))
        with committed():
            assert send_due_report_reminders() == 0
            assert send_report_reminder(notice.pk) is False
    return "【报送提醒】请于今天 16:00 前报送 6月29日 周一 的活动情况"


def summary_deadline(demo):
    with time_machine.travel(local(7, 9, 9, 0), tick=False):
        with committed():
            assert send_summary_reminders() == 13
            assert send_summary_reminders() == 0
    assert SummaryReminder.objects.filter(org=demo.org("320100")).count() == 1
    return "【总结报送提醒】2020年江苏省公共机构节能宣传周总结请于 2020年7月9日 周四 24:00 前报送"


def quiz_open(demo):
    quiz = create_quiz_for_week(demo.jiangsu)
    with time_machine.travel(quiz.window_start, tick=False):
        with committed():
            assert notify_quiz_opening(quiz.pk) == 15
            assert notify_quiz_opening(quiz.pk) == 0
    return f"【竞答开始】{quiz.title} 已开始"


KINDS = {
    NoticeKind.ACTIVITY_REMINDER: activity_reminder,
    NoticeKind.REPORT_MISSING: report_missing,
    NoticeKind.SUMMARY_DEADLINE: summary_deadline,
    NoticeKind.QUIZ_OPEN: quiz_open,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_notice_arrives_once_per_channel_and_recipient_even_when_its_cause_runs_twice(demo, gateways, kind):
    nanjing = demo.org("320100")
    for mobile in MOBILES:
        Contact.objects.create(org=nanjing, name=f"联系人{mobile[-1]}", mobile=mobile)
    office(nanjing, gateways, kind)
    sms, wecom = gateways

    subject = KINDS[kind](demo)

    assert sorted(r.json["mobile"] for r in sms.accepted) == MOBILES
    assert len(sms.requests) == 2
    assert sms.accepted[0].json["content"].startswith(f"【节能宣传周】{subject}")
    [robot] = wecom.requests
    assert robot.json["text"]["content"].startswith(subject)
    to_nanjing = [m for m in mail.outbox if m.to == ["nanjing@jsjn.example.cn"]]
    assert [m.subject for m in to_nanjing] == [subject]
    rows = Delivery.objects.filter(org=nanjing, kind=kind)
    assert Counter((d.channel.kind, d.recipient, d.status) for d in rows) == Counter(
        {
            ("email", "nanjing@jsjn.example.cn", "sent"): 1,
            ("sms", "13900000001", "sent"): 1,
            ("sms", "13900000002", "sent"): 1,
            ("wecom", "", "sent"): 1,
        }
    )
    assert set(rows.exclude(channel__kind="email").values_list("provider_message_id", flat=True)) <= {
        "m-13900000001",
        "m-13900000002",
        "",
    }


@pytest.fixture
def national_office(demo, gateways):
    """The national bureau's email, SMS gateway and WeCom robot, chosen for receipts; its admin has a mobile."""
    admin = demo.user("national_admin")
    admin.phone = "13900000009"
    admin.save(update_fields=["phone"])
    office(demo.org("100000"), gateways, NoticeKind.RECEIPT)
    return admin


def test_the_receipt_of_a_highlight_package_reaches_the_receiving_orgs_admins_once_on_its_chosen_channels(
    national_office,
    forwarded,  # noqa: F811
    gateways,
):
    sms, wecom = gateways
    subject = f"【收件箱】{forwarded.title}"

    assert [r.json["mobile"] for r in sms.accepted] == ["13900000009"]
    assert [r.json["text"]["content"].split("\n")[0] for r in wecom.requests] == [subject]
    assert [(m.subject, m.to) for m in mail.outbox if m.subject.startswith("【收件箱】")] == [
        (subject, ["national_admin@example.cn"])
    ]
    assert Delivery.objects.filter(kind=NoticeKind.RECEIPT, status="sent").count() == 3


def test_an_org_that_chose_sms_for_the_missing_report_reminder_gets_sms_to_its_contacts_and_no_email(demo, gateways):
    nanjing = demo.org("320100")
    for mobile in MOBILES:
        Contact.objects.create(org=nanjing, name=f"联系人{mobile[-1]}", mobile=mobile)
    sms, _wecom = gateways
    channel = Channel.objects.create(
        org=nanjing,
        kind=ChannelKind.SMS,
        name="短信",
        url=sms.url + "/sms/send",
        secret="sms-key-0123456789abcd",
        config={"sign_name": "节能宣传周", "max_chars": 500},
    )
    route(nanjing, NoticeKind.REPORT_MISSING, channel)

    with time_machine.travel(local(6, 29, 15, 0), tick=False), committed():
        assert send_due_report_reminders() == 13

    assert sorted(r.json["mobile"] for r in sms.accepted) == MOBILES
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "nanjing@jsjn.example.cn" not in recipients
    assert recipients == [address for address in JIANGSU_CITIES if address != "nanjing@jsjn.example.cn"]


def test_an_org_without_a_mailbox_that_chose_sms_is_still_reminded_and_one_without_any_channel_is_not(demo, gateways):
    nanjing, wuxi = demo.org("320100"), demo.org("320200")
    Org.objects.filter(pk__in=[nanjing.pk, wuxi.pk]).update(email="")
    nanjing.refresh_from_db()
    for mobile in MOBILES:
        Contact.objects.create(org=nanjing, name=f"联系人{mobile[-1]}", mobile=mobile)
    sms, _wecom = gateways
    channel = Channel.objects.create(
        org=nanjing,
        kind=ChannelKind.SMS,
        name="短信",
        url=sms.url + "/sms/send",
        secret="sms-key-0123456789abcd",
        config={"sign_name": "节能宣传周", "max_chars": 500},
    )
    route(nanjing, NoticeKind.REPORT_MISSING, channel)

    with time_machine.travel(local(6, 29, 15, 0), tick=False), committed():
        assert send_due_report_reminders() == 12  # 13 cities, less Wuxi: no mailbox and no channel chosen

    assert sorted(r.json["mobile"] for r in sms.accepted) == MOBILES
    assert ReportNotice.objects.filter(org=wuxi).count() == 0
    assert ReportNotice.objects.filter(org=nanjing).count() == 1


def run_schedule(name):
    """What django-q2's scheduler does at the schedule's time: its function with its arguments."""
    schedule = Schedule.objects.get(name=name)
    with committed():
        return import_string(schedule.func)(*ast.literal_eval(schedule.args))


def test_the_quiz_opening_is_sent_once_at_its_start_to_the_orgs_below_the_organizer(demo):
    with committed():
        quiz = create_quiz_for_week(demo.jiangsu)
    start = quiz.window_start
    schedule = Schedule.objects.get(name=f"quiz:open:{quiz.pk}")
    assert (schedule.func, schedule.next_run, schedule.schedule_type) == (
        "quiz.tasks.open_quiz_task",
        start,
        Schedule.ONCE,
    )

    with time_machine.travel(start - datetime.timedelta(minutes=1), tick=False):
        assert run_schedule(f"quiz:open:{quiz.pk}") == 0  # a schedule run early tells nobody
    assert mail.outbox == []
    with time_machine.travel(start, tick=False):
        assert run_schedule(f"quiz:open:{quiz.pk}") == 15
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        assert run_schedule(f"quiz:open:{quiz.pk}") == 0  # a duplicated run

    assert sorted(m.to[0] for m in mail.outbox) == JIANGSU_SUBTREE
    assert {m.subject for m in mail.outbox} == {f"【竞答开始】{quiz.title} 已开始"}
    nanjing = next(m for m in mail.outbox if m.to == ["nanjing@jsjn.example.cn"])
    assert nanjing.body.splitlines()[0] == "南京市机关事务管理局："
    assert f"参与地址：http://testserver/quiz/{quiz.slug}/" in nanjing.body


def test_a_quiz_whose_start_moved_later_is_announced_at_the_new_start(demo):
    with committed():
        quiz = create_quiz_for_week(demo.jiangsu)
    old_start, end = quiz.window_start, quiz.window_end
    quiz.activity = None
    quiz.opens_at, quiz.closes_at = old_start + datetime.timedelta(hours=2), end
    # Moved behind the schedule's back (a queryset update): the early run finds the new start and waits for it.
    type(quiz).objects.filter(pk=quiz.pk).update(activity=None, opens_at=quiz.opens_at, closes_at=quiz.closes_at)

    with time_machine.travel(old_start, tick=False):
        assert run_schedule(f"quiz:open:{quiz.pk}") == 0
    assert Schedule.objects.get(name=f"quiz:open:{quiz.pk}").next_run == quiz.opens_at
    with time_machine.travel(quiz.opens_at, tick=False):
        assert run_schedule(f"quiz:open:{quiz.pk}") == 15
    assert len(mail.outbox) == 15


def test_a_closed_quiz_is_not_announced(demo):
    with committed():
        quiz = create_quiz_for_week(demo.jiangsu)
    with time_machine.travel(quiz.window_end, tick=False):
        assert run_schedule(f"quiz:open:{quiz.pk}") == 0
    assert mail.outbox == []


def test_saving_a_quiz_after_it_opened_announces_nothing_twice(demo):
    with committed():
        quiz = create_quiz_for_week(demo.jiangsu)
    with time_machine.travel(quiz.window_start, tick=False):
        assert run_schedule(f"quiz:open:{quiz.pk}") == 15
    with time_machine.travel(quiz.window_start + datetime.timedelta(hours=1), tick=False):
        quiz.prize_count = 20
        with committed():
            save_quiz(quiz)
        assert run_schedule(f"quiz:open:{quiz.pk}") == 0
    assert len(mail.outbox) == 15
