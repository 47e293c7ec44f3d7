"""The one outbox (eventweek.outbox): claim under a lease, back off, give up after the attempt cap, upsert schedules.

Driven through ActivityNotice, a real OutboxRow.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_q.models import Schedule

from eventweek.models import Activity, ActivityNotice
from eventweek.outbox import OutboxStatus, claimable, deliver, ensure_schedule, retry_delay

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(hour, minute=0):
    return datetime.datetime(2020, 6, 29, hour, minute, tzinfo=SHANGHAI)


def at(hour, minute=0):
    return time_machine.travel(local(hour, minute), tick=False)


@pytest.fixture
def notice(demo):
    activity = Activity.objects.filter(week=demo.national).order_by("start").first()
    org = demo.org("100000")
    return ActivityNotice.objects.create(activity=activity, sequence=activity.sequence, org=org, email=org.email)


def refuse(row):
    raise OSError(f"554 refused {row.email}")


def test_retry_delay_doubles_from_one_minute_up_to_the_cap(settings):
    assert [retry_delay(n) for n in range(8)] == [datetime.timedelta(minutes=m) for m in (0, 1, 2, 4, 8, 15, 15, 15)]
    settings.OUTBOX_RETRY_CAP_MINUTES = 60
    assert [retry_delay(n).total_seconds() // 60 for n in (5, 6, 7, 100)] == [16, 32, 60, 60]


def test_a_sent_row_records_its_time_and_hands_the_gateways_id_to_on_sent(notice):
    results = []
    with at(8, 0):
        sent = deliver(
            ActivityNotice.objects.all(), notice.pk, lambda row: "msg-1", on_sent=lambda row, r: results.append(r)
        )
    notice.refresh_from_db()

    assert sent is True
    assert results == ["msg-1"]
    assert (notice.status, notice.attempts, notice.sent_at, notice.last_error, notice.claimed_at) == (
        OutboxStatus.SENT,
        1,
        local(8, 0),
        "",
        local(8, 0),
    )
    with at(8, 30):
        assert deliver(ActivityNotice.objects.all(), notice.pk, lambda row: None) is False


def test_a_failing_row_backs_off_and_is_given_up_after_the_attempt_cap(notice, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    tries = []
    for minute in range(30):
        with at(8, minute):
            if deliver(ActivityNotice.objects.all(), notice.pk, refuse) is False:
                notice.refresh_from_db()
                if notice.attempts > len(tries):
                    tries.append((minute, notice.status, notice.next_attempt_at and notice.next_attempt_at.minute))

    assert tries == [
        (0, OutboxStatus.FAILED, 1),
        (1, OutboxStatus.FAILED, 3),
        (3, OutboxStatus.FAILED, 7),
        (7, OutboxStatus.GAVE_UP, None),
    ]
    assert notice.last_error == "554 refused jieneng@ggj.example.cn"
    with at(9, 0):
        assert list(claimable(ActivityNotice.objects.all())) == []


def test_a_row_not_wanted_any_more_is_retired_without_sending(notice):
    sends = []
    with at(8, 0):
        sent = deliver(ActivityNotice.objects.all(), notice.pk, sends.append, still_wanted=lambda row: False)
    notice.refresh_from_db()

    assert (sent, sends, notice.status, notice.attempts) == (False, [], OutboxStatus.GAVE_UP, 1)


def test_a_live_claim_is_not_claimable_and_an_expired_one_is(notice):
    ActivityNotice.objects.filter(pk=notice.pk).update(status=OutboxStatus.SENDING, claimed_at=local(8, 0))

    with at(8, 9):
        assert list(claimable(ActivityNotice.objects.all())) == []
        assert deliver(ActivityNotice.objects.all(), notice.pk, lambda row: None) is False
    with at(8, 10):
        assert [row.pk for row in claimable(ActivityNotice.objects.all())] == [notice.pk]


def test_a_worker_whose_lease_ran_out_does_not_overwrite_its_successors_outcome(notice):
    def slow_then_fail(row):
        # While this worker is stuck, its lease runs out and a successor claims and sends the row.
        with at(8, 11):
            assert deliver(ActivityNotice.objects.all(), notice.pk, lambda row: None) is True
        raise OSError("timed out")

    with at(8, 0):
        assert deliver(ActivityNotice.objects.all(), notice.pk, slow_then_fail) is False
    notice.refresh_from_db()

    assert (notice.status, notice.attempts, notice.last_error, notice.sent_at) == (
        OutboxStatus.SENT,
        2,
        "",
        local(8, 11),
    )


def test_ensure_schedule_creates_one_schedule_and_updates_it_in_place(db):
    ensure_schedule("test:sweep", "eventweek.tasks.publish_due_weeks_task", minutes=5)
    ensure_schedule("test:sweep", "eventweek.tasks.publish_due_weeks_task", minutes=1)

    assert list(
        Schedule.objects.filter(name="test:sweep").values_list("func", "schedule_type", "minutes", "repeats")
    ) == [("eventweek.tasks.publish_due_weeks_task", Schedule.MINUTES, 1, -1)]
