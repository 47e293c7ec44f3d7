"""Summary deadlines: who is expected, on time / late / missing / open, the board, the reminders, the schedules."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eventweek.campaigns import period_word
from eventweek.dates import cn_datetime
from eventweek.deadlines import DeadlineStatus
from eventweek.models import Org, Week
from eventweek.outbox import OutboxStatus, create_once, deliver, ensure_schedule
from notifications.models import NoticeKind
from notifications.services.deliveries import queue_notice
from notifications.services.routing import reaches
from reporting.models.summaries import Summary, SummaryReminder, SummarySubmission

logger = logging.getLogger(__name__)

SCHEDULE_REMINDERS = "reporting:summary-reminders"
SCHEDULE_MAIL_RETRY = "reporting:summary-mail-retry"
SCHEDULE_PDF_RECOVER = "reporting:pdf-jobs-recover"  # not "summary-": the mail and reminder pair stays as pinned


def reminder_lead() -> datetime.timedelta:
    """How long before the deadline orgs that have not submitted are reminded."""
    return datetime.timedelta(hours=int(settings.SUMMARY_REMINDER_HOURS))


def expected_orgs(week: Week):
    """The orgs that send their summary to this week's organizer: its daily reporters, else its children."""
    orgs = list(week.report_orgs.all().order_by("path"))
    if not orgs:
        orgs = list(week.organizer.children.all().order_by("path"))
    return [org for org in orgs if org.pk != week.organizer_id]


# A summary is on time, late, missing or open (never "not due" or "submitted" as a daily cell can be).
SUMMARY_STATUSES = (DeadlineStatus.ON_TIME, DeadlineStatus.LATE, DeadlineStatus.MISSING, DeadlineStatus.OPEN)
# The summary's own words where the shared label is the daily grid's (迟报, 缺报): a summary is due once, not daily.
_SUMMARY_WORDS = {
    DeadlineStatus.LATE: gettext_lazy("逾期报送"),
    DeadlineStatus.MISSING: gettext_lazy("未报送（已逾期）"),
}


def status_label(status: str) -> str:
    """The words a summary page shows for a deadline status."""
    return str(_SUMMARY_WORDS.get(status, DeadlineStatus(status).label))


def deadline_status(due_at, first_submitted_at, now: datetime.datetime) -> DeadlineStatus:
    """On time, late, missing (past the deadline with nothing) or open (nothing yet, still time)."""
    if first_submitted_at is not None:
        return DeadlineStatus.LATE if due_at and first_submitted_at > due_at else DeadlineStatus.ON_TIME
    if due_at and now > due_at:
        return DeadlineStatus.MISSING
    return DeadlineStatus.OPEN


@dataclass
class BoardRow:
    org: Org
    week: Week
    summary: Summary | None
    first: SummarySubmission | None
    latest: SummarySubmission | None
    status: str

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def badge(self) -> str:
        return DeadlineStatus(self.status).badge


def summary_board(week: Week, now: datetime.datetime | None = None) -> list[BoardRow]:
    """Each org expected to send its summary to week's organizer, with its status (constant queries)."""
    now = now or timezone.now()
    orgs = expected_orgs(week)
    own_weeks = {w.organizer_id: w for w in Week.objects.filter(parent=week, organizer__in=orgs)}
    summaries = Summary.objects.filter(
        Q(week=week, org__in=orgs) | Q(week__parent=week, org__in=orgs, week__organizer_id=F("org_id"))
    ).select_related("org", "week")
    by_org = {s.org_id: s for s in summaries}
    submissions: dict[int, list[SummarySubmission]] = {}
    for sub in SummarySubmission.objects.filter(summary__in=summaries).order_by("submitted_at", "pk"):
        submissions.setdefault(sub.summary_id, []).append(sub)
    rows = []
    for org in orgs:
        summary = by_org.get(org.pk)
        subs = submissions.get(summary.pk, []) if summary else []
        first, latest = (subs[0], subs[-1]) if subs else (None, None)
        status = deadline_status(week.summary_due_at, first.submitted_at if first else None, now)
        rows.append(BoardRow(org, own_weeks.get(org.pk, week), summary, first, latest, status))
    return rows


def summary_deadline_status(summary: Summary, now: datetime.datetime | None = None) -> DeadlineStatus:
    """The summary's deadline status by its first submission."""
    first = summary.submissions.order_by("submitted_at", "pk").first()
    return deadline_status(summary.due_at, first.submitted_at if first else None, now or timezone.now())


# -- reminders -----------------------------------------------------------------------------------------------------


def send_summary_reminders(now: datetime.datetime | None = None) -> int:
    """Remind each org that has not submitted, on its channels chosen for 总结截止提醒, once per deadline, when the
    deadline is near.

    The reminder row is made first, then handed to the channels through the one outbox (eventweek.outbox.deliver):
    two runs never both queue it, and each delivery (keyed by the reminder) is sent and retried on its own.
    """
    now = now or timezone.now()
    sent = 0
    weeks = Week.objects.filter(summary_due_at__gt=now, summary_due_at__lte=now + reminder_lead()).select_related(
        "organizer"
    )
    for week in weeks:
        for row in summary_board(week, now):
            if row.status != DeadlineStatus.OPEN or not reaches(row.org, NoticeKind.SUMMARY_DEADLINE):
                continue
            reminder = _reminder_row(week, row.org, now)
            if reminder is not None and _send_reminder(reminder, week, row, now):
                sent += 1
    return sent


def _reminder_row(week: Week, org: Org, now: datetime.datetime) -> SummaryReminder | None:
    """The unsent reminder of (week, org, deadline), made if need be; None once it was sent or given up."""
    key = {"week": week, "org": org, "due_at": week.summary_due_at}
    reminder = SummaryReminder.objects.filter(**key).first()
    if reminder is None:
        reminder = create_once(SummaryReminder, **key, email=org.email, created_at=now) or (
            SummaryReminder.objects.filter(**key).first()  # made meanwhile by another run
        )
    if reminder is None or reminder.status in (OutboxStatus.SENT, OutboxStatus.GAVE_UP):
        return None
    return reminder


def _send_reminder(reminder: SummaryReminder, week: Week, row: "BoardRow", now: datetime.datetime) -> bool:
    """Queue one reminder's deliveries once (see `eventweek.outbox.deliver`)."""
    due_text = cn_datetime(week.summary_due_at, year=True, deadline=True)
    subject = _("【总结报送提醒】%(week)s总结请于 %(due)s 前报送") % {"week": week.title, "due": due_text}
    body = _("%(org)s：\n\n%(week)s的%(period)s总结请于 %(due)s 前报送%(to)s（不超过 %(limit)s 字，图文并茂）。\n") % {
        "org": row.org.name,
        "period": period_word(row.week),
        "week": row.week.title,
        "due": due_text,
        "to": week.organizer.name,
        "limit": week.summary_char_limit,
    }
    return deliver(
        SummaryReminder.objects.select_related("org"),
        reminder.pk,
        lambda r: queue_notice(r.org, NoticeKind.SUMMARY_DEADLINE, f"summary-reminder:{r.pk}", subject, body),
        now=now,
    )


# -- schedules -----------------------------------------------------------------------------------------------------


def ensure_summary_schedules() -> None:
    """The periodic django-q2 schedules of summaries (idempotent: run at every migrate)."""
    periodic = {
        SCHEDULE_REMINDERS: ("reporting.summary.tasks.send_summary_reminders_task", 15),
        SCHEDULE_MAIL_RETRY: ("reporting.summary.tasks.retry_summary_mails_task", 1),
        SCHEDULE_PDF_RECOVER: ("reporting.summary.tasks.recover_pdf_jobs_task", 1),
    }
    for name, (func, minutes) in periodic.items():
        ensure_schedule(name, func, minutes=minutes)
