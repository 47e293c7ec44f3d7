"""Deadline status with the clock moved: on time, late, missing, open; the province's deadline is the parent week's."""

import time_machine
from django.core import mail
from django.test import TestCase

from eventweek.deadlines import DeadlineStatus
from reporting.models.summaries import SummaryReminder
from reporting.summary.services.deadlines import send_summary_reminders, summary_board, summary_deadline_status
from reporting.summary.services.editing import start_summary
from reporting.summary.services.submission import submit_summary
from tests.summary.conftest import local


def submit_at(week, org, when):
    with time_machine.travel(when, tick=False):
        summary = start_summary(week, org)
        submission = submit_summary(summary)
    return summary, submission


def board_statuses(week, now):
    return {row.org.code: row.status for row in summary_board(week, now)}


def test_a_city_summary_before_the_deadline_is_on_time(demo):
    summary, submission = submit_at(demo.jiangsu, demo.org("320100"), local(2020, 7, 9, 23, 59))

    assert submission.is_late is False
    assert submission.due_at == local(2020, 7, 10, 0, 0)
    assert submission.to_org == demo.org("320000")
    assert summary_deadline_status(summary, local(2020, 7, 20)) == DeadlineStatus.ON_TIME


def test_a_city_summary_after_the_deadline_is_accepted_and_marked_late(demo):
    summary, submission = submit_at(demo.jiangsu, demo.org("320200"), local(2020, 7, 10, 0, 1))

    assert submission.is_late is True
    assert summary_deadline_status(summary, local(2020, 7, 20)) == DeadlineStatus.LATE


def test_the_board_shows_open_before_and_missing_after_the_deadline(demo):
    submit_at(demo.jiangsu, demo.org("320100"), local(2020, 7, 8, 9, 0))
    submit_at(demo.jiangsu, demo.org("320200"), local(2020, 7, 11, 9, 0))

    before = board_statuses(demo.jiangsu, local(2020, 7, 9, 12, 0))
    after = board_statuses(demo.jiangsu, local(2020, 7, 12, 12, 0))

    assert len(after) == 13
    assert (before["320100"], before["320300"]) == (DeadlineStatus.ON_TIME, DeadlineStatus.OPEN)
    assert (after["320100"], after["320200"], after["320300"], after["321300"]) == (
        DeadlineStatus.ON_TIME,
        DeadlineStatus.LATE,
        DeadlineStatus.MISSING,
        DeadlineStatus.MISSING,
    )


def test_the_provinces_own_summary_is_due_at_the_national_deadline(demo):
    summary, submission = submit_at(demo.jiangsu, demo.org("320000"), local(2020, 7, 14, 18, 0))

    assert summary.due_at == local(2020, 7, 15, 0, 0)
    assert (submission.to_org, submission.is_late, submission.mailbox) == (
        demo.org("100000"),
        False,
        "difang-zongjie@ggj.example.cn",
    )
    national = board_statuses(demo.national, local(2020, 7, 16))
    assert national == {
        "100101": DeadlineStatus.MISSING,
        "100102": DeadlineStatus.MISSING,
        "320000": DeadlineStatus.ON_TIME,
        "360000": DeadlineStatus.MISSING,
    }


def test_reminders_go_once_to_orgs_that_have_not_submitted_a_day_before(demo):
    submit_at(demo.jiangsu, demo.org("320100"), local(2020, 7, 8, 9, 0))

    assert send_summary_reminders(now=local(2020, 7, 8, 23, 0)) == 0  # more than a day ahead
    with time_machine.travel(local(2020, 7, 9, 9, 0), tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        sent = send_summary_reminders()
        again = send_summary_reminders()

    assert (sent, again) == (12, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        o.email for o in demo.jiangsu.report_orgs.exclude(code="320100")
    )
    assert (
        mail.outbox[0].subject
        == "【总结报送提醒】2020年江苏省公共机构节能宣传周总结请于 2020年7月9日 周四 24:00 前报送"
    )
    assert SummaryReminder.objects.filter(sent_at__isnull=False).count() == 12


def test_the_summary_schedules_exist_once_after_migrate_and_stay_single(db):
    from django_q.models import Schedule

    from reporting.summary.services.deadlines import ensure_summary_schedules

    ensure_summary_schedules()
    ensure_summary_schedules()

    assert sorted(
        Schedule.objects.filter(name__startswith="reporting:summary-").values_list("name", "func", "minutes")
    ) == [
        ("reporting:summary-mail-retry", "reporting.summary.tasks.retry_summary_mails_task", 1),
        ("reporting:summary-reminders", "reporting.summary.tasks.send_summary_reminders_task", 15),
    ]
