"""A reporter's day on the workbench: today's report to file (or how it was filed) and what reviewers sent back."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventweek.models import Org, User, Week
from reporting.models import DailyReport, ReportReview
from reporting.services.access import weeks_to_report
from reporting.services.status import SUBMITTED_STATUSES, cell_status, has_cutoff, local_today

# The stored status values (the first filing decides; a review never changes them) and how the workbench says them.
FILED_LABELS = {"on_time": _("今日已报（按时）"), "late": _("今日已报（迟报）"), "submitted": _("今日已报")}


@dataclass
class TodayEntry:
    """One running week the user's org reports in: today's cell and the org's reviews of that week."""

    week: Week
    org: Org
    day: datetime.date
    status: str
    report: DailyReport | None
    cutoff: datetime.datetime | None
    comments: list[ReportReview] = field(default_factory=list)

    @property
    def filed(self) -> bool:
        return self.status in SUBMITTED_STATUSES

    @property
    def label(self) -> str:
        """ "今日待报" until today's report is filed, then "今日已报（按时/迟报）" as the first filing earned."""
        return str(FILED_LABELS[self.status] if self.filed else _("今日待报"))

    @property
    def past_cutoff(self) -> bool:
        return self.status == "missing"


def reporter_today(user: User, now: datetime.datetime | None = None) -> list[TodayEntry]:
    """For each week running today in which the user's org files daily reports: today's entry with its comments."""
    now = now or timezone.now()
    today = local_today(now)
    weeks = [week for week in weeks_to_report(user) if week.contains_date(today)]
    if not weeks:
        return []
    org = user.org
    reports = {r.week_id: r for r in DailyReport.objects.filter(week__in=weeks, org=org, day=today)}
    comments: dict[int, list[ReportReview]] = {}
    for review in (
        ReportReview.objects.filter(report__week__in=weeks, report__org=org, kind=ReportReview.Kind.COMMENT)
        .select_related("report")
        .order_by("-at", "-pk")
    ):
        comments.setdefault(review.report.week_id, []).append(review)
    return [
        TodayEntry(
            week=week,
            org=org,
            day=today,
            status=cell_status(week, org, today, reports.get(week.pk), now),
            report=reports.get(week.pk),
            cutoff=week.cutoff_for(today) if has_cutoff(org) else None,
            comments=comments.get(week.pk, []),
        )
        for week in weeks
    ]


def open_returns_for_user(user: User) -> list[ReportReview]:
    """The user's org's reports returned for changes and not yet filed again, in any week, newest first."""
    if not user.org_id:
        return []
    return list(
        ReportReview.objects.filter(report__org=user.org_id, kind=ReportReview.Kind.RETURN, resolved_at__isnull=True)
        .select_related("report__week", "report__org")
        .order_by("-at", "-pk")
    )
