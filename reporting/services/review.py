"""Review of daily reports: a reviewer's comment (点评), a return for changes (退回修改), the first-read mark.

A review never touches what was filed: the cell's on-time status stays the first filing's. A return stays open until
the reporting org files a new version (submission calls `resolve_returns`); it then stays in the history.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services.log import log_action
from eventweek.errors import DomainError
from eventweek.models import Org, User, Week
from notifications.models import NoticeKind
from notifications.services.deliveries import queue_notice
from reporting.models import DailyReport, ReportReview
from reporting.services.access import check_can_review_report, report_review_refusal

MAX_TEXT = 2000


def _clean_text(text: str, kind: str) -> str:
    label = _("点评内容") if kind == ReportReview.Kind.COMMENT else _("退回原因")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("%(label)s：请填写%(label)s。") % {"label": label}})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {
                "text": _("%(label)s：最多 %(max)s 个字，现有 %(count)s 个字。")
                % {"label": label, "max": MAX_TEXT, "count": len(text)}
            }
        )
    return text


def _add_review(report: DailyReport, user: User, kind: str, text: str, now: datetime.datetime) -> ReportReview:
    check_can_review_report(user, report.week, report.org)
    text = _clean_text(text, kind)
    # Lock the report so a return and a new version (or two returns) never cross.
    locked = DailyReport.objects.select_for_update().get(pk=report.pk)
    if not locked.is_submitted:
        raise DomainError(_("该日尚未报送，无法点评或退回。"))
    if kind == ReportReview.Kind.RETURN and open_return(locked) is not None:
        raise DomainError(_("该报送已退回修改，正在等待报送单位重新提交，不能重复退回。"))
    review = ReportReview.objects.create(
        report=locked,
        kind=kind,
        text=text,
        version=locked.version,
        by=user,
        by_name=user.get_full_name() or user.username,
        at=now,
    )
    _log(user, "report.return" if kind == ReportReview.Kind.RETURN else "report.comment", review, report)
    _notify(review, locked, report.week, report.org)
    return review


def _log(user: User, action: str, review: ReportReview, report: DailyReport) -> None:
    """The audit entry of a comment or return, written inside the review's transaction."""
    log_action(
        user,
        action,
        report,
        org=report.org,
        after={"kind": review.kind, "text": review.text, "version": review.version},
    )


def _notify(review: ReportReview, report: DailyReport, week: Week, org: Org) -> None:
    """Tell the reporting org through its channels for receipts (its mailbox by default), sent after commit."""
    returned = review.kind == ReportReview.Kind.RETURN
    values = {"org": org.display_name, "day": f"{report.day.month}月{report.day.day}日", "by": review.by_name}
    subject = (
        _("【退回修改】%(org)s %(day)s的每日报送") if returned else _("【点评】%(org)s %(day)s的每日报送")
    ) % values
    lead = (
        _("%(by)s 退回了第 %(version)s 版，请修改后重新报送。") if returned else _("%(by)s 点评了第 %(version)s 版。")
    )
    link = settings.SITE_URL + reverse("reporting:report_detail", args=[week.slug, org.code, report.day.isoformat()])
    body = "\n".join([subject, lead % {**values, "version": review.version}, review.text, link])
    queue_notice(org, NoticeKind.RECEIPT, f"report-review:{review.pk}", subject, body)


@transaction.atomic
def comment_on_report(
    report: DailyReport, *, user: User, text: str, now: datetime.datetime | None = None
) -> ReportReview:
    """A reviewer's comment (点评) on a filed report, shown to the reporting org."""
    return _add_review(report, user, ReportReview.Kind.COMMENT, text, now or timezone.now())


@transaction.atomic
def return_report(
    report: DailyReport, *, user: User, reason: str, now: datetime.datetime | None = None
) -> ReportReview:
    """Return a filed report for changes (退回修改) with a reason; open until the org files a new version."""
    return _add_review(report, user, ReportReview.Kind.RETURN, reason, now or timezone.now())


def resolve_returns(report: DailyReport, now: datetime.datetime) -> int:
    """Close the report's open return once a new version is filed (called inside the submission's transaction)."""
    return ReportReview.objects.filter(report=report, kind=ReportReview.Kind.RETURN, resolved_at__isnull=True).update(
        resolved_at=now
    )


def record_first_read(report: DailyReport | None, user: User, now: datetime.datetime | None = None) -> bool:
    """Mark a filed report read the first time a reviewer above its org opens it; True when this open was the first."""
    if report is None or not report.is_submitted or report.first_read_at is not None:
        return False
    if report_review_refusal(user, report.week, report.org):
        return False
    now = now or timezone.now()
    # A conditional UPDATE: two reviewers opening at once still leave one first reader.
    marked = DailyReport.objects.filter(pk=report.pk, first_read_at__isnull=True).update(
        first_read_at=now, first_read_by=user
    )
    if marked:
        report.first_read_at, report.first_read_by = now, user
    return bool(marked)


def open_return(report: DailyReport | None) -> ReportReview | None:
    """The report's return still waiting for a new version, if any."""
    if report is None:
        return None
    return report.reviews.filter(kind=ReportReview.Kind.RETURN, resolved_at__isnull=True).first()


def report_reviews(report: DailyReport | None) -> list[ReportReview]:
    """Every comment and return of a report, oldest first (the history)."""
    if report is None:
        return []
    return list(report.reviews.order_by("at", "pk"))


@dataclass(frozen=True)
class ReviewMarks:
    """The grid's marks of one report: returned (and not yet amended), commented, read by a reviewer."""

    returned: bool = False
    commented: bool = False
    read: bool = False


NO_MARKS = ReviewMarks()


def review_marks(reports) -> dict[int, ReviewMarks]:
    """The marks of the given reports by report id, in one query (the grid loads its reports without these fields)."""
    ids = [r.pk for r in reports if r is not None]
    if not ids:
        return {}
    reviews = ReportReview.objects.filter(report=OuterRef("pk"))
    rows = (
        DailyReport.objects.filter(pk__in=ids)
        .annotate(
            returned=Exists(reviews.filter(kind=ReportReview.Kind.RETURN, resolved_at__isnull=True)),
            commented=Exists(reviews.filter(kind=ReportReview.Kind.COMMENT)),
        )
        .values_list("pk", "returned", "commented", "first_read_at")
    )
    return {
        pk: ReviewMarks(returned=returned, commented=commented, read=read_at is not None)
        for pk, returned, commented, read_at in rows
    }


def mark_cells(cells) -> None:
    """Give each dashboard cell (reporting.services.dashboard.Cell) its review marks as `cell.marks`."""
    cells = list(cells)
    marks = review_marks([cell.report for cell in cells])
    for cell in cells:
        cell.marks = marks.get(cell.report.pk, NO_MARKS) if cell.report is not None else NO_MARKS


def reviews_for_org(week: Week, org: Org) -> tuple[list[ReportReview], list[ReportReview]]:
    """An org's open returns and its comments in a week, newest first, each with its report (the reporter's pages)."""
    reviews = list(
        ReportReview.objects.filter(report__week=week, report__org=org)
        .select_related("report__week", "report__org")
        .order_by("-at", "-pk")
    )
    returns = [r for r in reviews if r.is_open_return]
    comments = [r for r in reviews if r.kind == ReportReview.Kind.COMMENT]
    return returns, comments
