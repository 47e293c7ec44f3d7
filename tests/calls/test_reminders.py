import datetime

import time_machine
from django.core import mail

from calls.services.quotas import remind_short
from eventweek.models import LOCAL_TZ
from notifications.models import Channel, ChannelKind, Delivery


def test_reminders_before_the_deadline_reach_the_short_orgs_once_a_day_and_none_after(
    jdz, django_capture_on_commit_callbacks
):
    museum = jdz.call.org.children.get(code="360200004")
    museum.email = "museum@example.cn"
    museum.save()
    Channel.objects.create(org=museum, kind=ChannelKind.EMAIL, name="邮件")
    before = datetime.datetime(2023, 4, 28, 9, 0, tzinfo=LOCAL_TZ)
    with time_machine.travel(before), django_capture_on_commit_callbacks(execute=True):
        assert remind_short(jdz.call) == 9
        assert remind_short(jdz.call) == 9  # a second run the same day queues nothing new
    rows = Delivery.objects.filter(org=museum)
    assert [(row.kind, row.recipient, row.subject) for row in rows] == [
        (
            "report_missing",
            "museum@example.cn",
            "【征集提醒】2023年度公共机构绿色低碳示范案例遴选与节约型机关创建主题征文",
        )
    ]
    assert rows[0].body == (
        "中国陶瓷博物馆：2023年度公共机构绿色低碳示范案例遴选与节约型机关创建主题征文将于 2023-04-30 17:00 截止，"
        "贵单位差征文 1 篇。\n"
    )
    assert [message.to for message in mail.outbox] == [["museum@example.cn"]]
    with time_machine.travel(before + datetime.timedelta(days=3)):
        assert remind_short(jdz.call) == 0


def test_the_hourly_sweep_reminds_only_calls_closing_within_three_days_and_is_scheduled(jdz):
    from django_q.models import Schedule

    from calls.services.quotas import ensure_schedules, remind_due_calls

    with time_machine.travel(datetime.datetime(2023, 4, 26, 17, 0, tzinfo=LOCAL_TZ)):
        assert remind_due_calls() == 0  # four days before
    with time_machine.travel(datetime.datetime(2023, 4, 27, 17, 0, tzinfo=LOCAL_TZ)):
        assert remind_due_calls() == 9
    ensure_schedules()
    schedule = Schedule.objects.get(name="calls-quota-reminders")
    assert (schedule.func, schedule.minutes) == ("calls.tasks.remind_due", 60)
