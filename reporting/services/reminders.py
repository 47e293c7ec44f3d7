"""Daily reminders before the cutoff, the missing sweep after it, and their periodic schedules."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.dates import cn_date
from eventweek.models import Week
from eventweek.outbox import claimable, create_once, deliver, ensure_schedule
from notifications.models import NoticeKind
from notifications.services.deliveries import queue_notice
from notifications.services.routing import reaches
from reporting.models import DailyReport, ReportNotice
from reporting.services.status import has_cutoff, local_today


def _weeks_running(today: datetime.date):
    return Week.objects.filter(start_date__lte=today, end_date__gte=today).prefetch_related("report_orgs")


def create_due_reminders(now: datetime.datetime | None = None) -> list[int]:
    """Claim one reminder row per org that has not filed today, once the week's reminder time has come."""
    now = now or timezone.now()
    today = local_today(now)
    created = []
    for week in _weeks_running(today):
        if not (week.local_datetime(today, week.daily_reminder_time) <= now < week.cutoff_for(today)):
            continue
        filed = set(
            DailyReport.objects.filter(week=week, day=today, first_submitted_at__isnull=False).values_list(
                "org_id", flat=True
            )
        )
        for org in week.report_orgs.all():
            if org.pk in filed or not has_cutoff(org) or not reaches(org, NoticeKind.REPORT_MISSING):
                continue
            notice = create_once(
                ReportNotice, week=week, org=org, day=today, kind=ReportNotice.Kind.REMINDER, email=org.email
            )
            if notice is not None:  # else this org was already reminded for this day
                created.append(notice.pk)
    return created


def _sendable(now: datetime.datetime):
    """Reminders still worth sending: today's only (a reminder is no use once its day has passed)."""
    return ReportNotice.objects.filter(kind=ReportNotice.Kind.REMINDER, day=local_today(now))


def retire_past_reminders(now: datetime.datetime | None = None) -> int:
    """Give up the unsent reminders of days that have passed; return how many.

    Waiting and failed ones at once; a SENDING one only once its lease has run out, so a live claim still records
    its own outcome. None is left SENDING for good.
    """
    now = now or timezone.now()
    past = ReportNotice.objects.filter(kind=ReportNotice.Kind.REMINDER, day__lt=local_today(now))
    gave_up = past.filter(status__in=[ReportNotice.Status.PENDING, ReportNotice.Status.FAILED]).update(
        status=ReportNotice.Status.GAVE_UP, next_attempt_at=None
    )
    return gave_up + claimable(past.filter(status=ReportNotice.Status.SENDING), now).update(
        status=ReportNotice.Status.GAVE_UP
    )


def send_report_reminder(notice_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Hand one reminder once to the org's channels chosen for 未报送提醒 (see `eventweek.outbox.deliver`), unless the
    day was filed in the meantime: one delivery per channel and recipient keyed by this reminder, so a retried
    reminder queues nothing twice and each delivery is sent and retried on its own."""
    now = now or timezone.now()
    notice = ReportNotice.objects.select_related("week", "org").filter(pk=notice_id).first()
    if notice is None:
        return False
    week = notice.week
    context = {
        "week": week,
        "org": notice.org,
        "day": notice.day,
        "cutoff": week.cutoff_for(notice.day),
        "url": settings.SITE_URL + reverse("reporting:my_reports", args=[week.slug]),
    }
    subject = _("【报送提醒】请于今天 %(cutoff)s 前报送 %(day)s 的活动情况") % {
        "cutoff": week.daily_cutoff.strftime("%H:%M"),
        "day": cn_date(notice.day),
    }
    body = render_to_string("reporting/email/reminder.txt", context)
    return deliver(
        _sendable(now),
        notice_id,
        lambda row: queue_notice(row.org, NoticeKind.REPORT_MISSING, f"report-reminder:{row.pk}", subject, body),
        # Filed between the reminder's creation and now: nothing to remind about.
        still_wanted=lambda row: (
            not DailyReport.objects.filter(
                week=week, org_id=row.org_id, day=row.day, first_submitted_at__isnull=False
            ).exists()
        ),
        retire_status=ReportNotice.Status.RECORDED,
        now=now,
    )


def send_due_report_reminders(now: datetime.datetime | None = None) -> int:
    """Create the due reminders and hand them to the channels along with the day's earlier ones whose back-off has
    passed and claims whose worker died; give up those of past days; return how many were handed over."""
    now = now or timezone.now()
    retire_past_reminders(now)
    create_due_reminders(now)
    pending = claimable(_sendable(now), now).order_by("pk").values_list("pk", flat=True)
    return sum(send_report_reminder(pk, now=now) for pk in list(pending))


def sweep_missing(now: datetime.datetime | None = None) -> list[int]:
    """Record, once, every (org, day) whose cutoff has passed with nothing filed; return the new rows' ids."""
    now = now or timezone.now()
    today = local_today(now)
    created = []
    # Days of the last week or so: a cluster that was down for a while still records what it missed.
    weeks = Week.objects.filter(start_date__lte=today, end_date__gte=today - datetime.timedelta(days=7))
    for week in weeks.prefetch_related("report_orgs"):
        days = [day for day in week.days() if week.cutoff_for(day) <= now]
        if not days:
            continue
        filed = {
            (r.org_id, r.day)
            for r in DailyReport.objects.filter(week=week, day__in=days, first_submitted_at__isnull=False).only(
                "org_id", "day", "first_submitted_at"
            )
            if r.first_submitted_at < week.cutoff_for(r.day)
        }
        recorded = set(
            ReportNotice.objects.filter(week=week, kind=ReportNotice.Kind.MISSING, day__in=days).values_list(
                "org_id", "day"
            )
        )
        for org in week.report_orgs.all():
            if not has_cutoff(org):
                continue
            for day in days:
                if (org.pk, day) in filed or (org.pk, day) in recorded:
                    continue
                notice = create_once(
                    ReportNotice,
                    week=week,
                    org=org,
                    day=day,
                    kind=ReportNotice.Kind.MISSING,
                    status=ReportNotice.Status.RECORDED,
                )
                if notice is not None:
                    created.append(notice.pk)
    return created


def missing_records(week: Week) -> dict[tuple[int, datetime.date], ReportNotice]:
    """The sweep's records of the week by (org id, day)."""
    return {(n.org_id, n.day): n for n in ReportNotice.objects.filter(week=week, kind=ReportNotice.Kind.MISSING)}


SCHEDULES = {
    "reporting:daily-reminders": "reporting.tasks.send_report_reminders_task",
    "reporting:missing-sweep": "reporting.tasks.sweep_missing_task",
}


def ensure_schedules() -> None:
    """Create the periodic django-q2 schedules of daily reporting (idempotent: safe at every migrate).

    They run every minute and act only once the week's reminder time or cutoff has come; the claim rows make a
    second run harmless.
    """
    for name, func in SCHEDULES.items():
        ensure_schedule(name, func, minutes=1)
