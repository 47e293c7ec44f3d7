"""Daily reporting access: every protected row (week, org, report, item, picture, package) fetched for a user.

Missing and invisible both raise `NotFound` (one answer, so an outsider cannot tell them apart); a user who may see a
week's highlights but not screen or forward them gets `ReviewForbidden`, a `Forbidden` with the reason in Chinese.
"""

import datetime

from django.utils.translation import gettext as _

from eventweek.errors import Forbidden, NotFound
from eventweek.models import Org, User, Week
from reporting.models import DailyReport, ForwardedPackage, ReportItem, ReportPicture, ReportVersion


class ReviewForbidden(Forbidden):
    """A user who may see a week's highlights tried to screen or forward them without being its reviewer."""


def can_review(user: User, week: Week) -> bool:
    """Only reviewers and admins of the week's own organizer (or a superuser) screen highlights and forward them.

    Ancestors of the organizer may look at the dashboard and the highlights, read-only: the week's highlights are
    the organizer's to choose and send upward, never a parent's to take over.
    """
    if user.is_superuser:
        return True
    return user.role in (User.Role.REVIEWER, User.Role.ADMIN) and user.org_id == week.organizer_id


def review_refusal(user: User, week: Week) -> str:
    """Why a user who may see the week may not screen or forward its highlights ("" when they may)."""
    if can_review(user, week):
        return ""
    return _("亮点的筛选和上报由%(org)s的审核员或管理员负责；您可以查看，但不能修改或上报。") % {
        "org": week.organizer.name
    }


def check_can_review(user: User, week: Week) -> None:
    """Refuse a screening or forwarding write by a user who is not the week's reviewer."""
    refusal = review_refusal(user, week)
    if refusal:
        raise ReviewForbidden(refusal)


def report_review_refusal(user: User, week: Week, org: Org) -> str:
    """Why a user who may see an org's report may not comment on it or return it ("" when they may).

    Only the week's reviewers and admins (the org above the reporting org) do; a reporting org never reviews itself.
    """
    if can_review(user, week) and user.org_id != org.pk:
        return ""
    return _("点评和退回报送由%(org)s的审核员或管理员负责；您可以查看，但不能点评或退回。") % {
        "org": week.organizer.name
    }


def check_can_review_report(user: User, week: Week, org: Org) -> None:
    """Refuse a comment or a return by a user who is not the week's reviewer (403 with the reason in Chinese)."""
    refusal = report_review_refusal(user, week, org)
    if refusal:
        raise ReviewForbidden(refusal)


def get_report_to_review(user: User, slug: str, code: str, day: str) -> DailyReport:
    """A filed report the user may comment on or return: NotFound for outsiders, ReviewForbidden for onlookers."""
    week, org = get_week_and_report_org_for_user(user, slug, code)
    report = get_day_report_for_user(user, week, org, get_week_day(week, day))
    check_can_review_report(user, week, org)
    if report is None or not report.is_submitted:
        raise NotFound(_("该日尚未报送，无法点评或退回。"))
    report.week, report.org = week, org
    return report


def get_dashboard_week(user: User, slug: str) -> Week:
    """A week whose dashboard the user may see (its organizer or above); NotFound for everybody else."""
    week = Week.objects.select_related("organizer", "parent").filter(slug=slug).first()
    if week is None or not user.can_see_org(week.organizer):
        raise NotFound(_("没有找到该活动周。"))
    return week


def get_reporting_week(user: User, slug: str) -> Week:
    """A week in which the user's own org files daily reports; NotFound otherwise."""
    week = Week.objects.select_related("organizer").filter(slug=slug).first()
    if week is None or user.org_id is None or not week.report_orgs.filter(pk=user.org_id).exists():
        raise NotFound(_("本单位不是该活动周的每日报送单位。"))
    return week


def get_report_org_for_user(user: User, week: Week, code: str) -> Org:
    """A reporting org of the week that the user may see (itself or a parent org); NotFound otherwise."""
    org = week.report_orgs.filter(code=code).first()
    if org is None or not user.can_see_org(org):
        raise NotFound(_("没有找到该单位的报送。"))
    return org


def get_report_for_user(user: User, pk: int) -> DailyReport:
    """A daily report visible to the user (own org or a descendant); NotFound for outsiders."""
    report = DailyReport.objects.select_related("week__organizer", "org").filter(pk=pk).first()
    if report is None or not user.can_see_org(report.org):
        raise NotFound(_("没有找到该报送。"))
    return report


def get_picture_for_user(user: User, pk: int) -> ReportPicture:
    """A picture whose report the user may see; NotFound for outsiders."""
    picture = ReportPicture.objects.select_related("report__org").filter(pk=pk).first()
    if picture is None or not user.can_see_org(picture.report.org):
        raise NotFound(_("没有找到该图片。"))
    return picture


def get_item_for_reviewer(user: User, week: Week, pk: int) -> ReportItem:
    """An item of the week that the user may screen.

    NotFound when the user may not see the item; ReviewForbidden when they may see it but are not the week's reviewer.
    """
    item = (
        ReportItem.objects.select_related("report__org", "report__week")
        .filter(pk=pk, report__week=week, removed=False)
        .first()
    )
    if item is None or not user.can_see_org(item.report.org):
        raise NotFound(_("没有找到该活动条目。"))
    check_can_review(user, week)
    return item


def get_package_for_user(user: User, slug: str, pk: int) -> ForwardedPackage:
    """A package of the week sent by the user's org or a descendant, or received by it; NotFound otherwise."""
    package = (
        ForwardedPackage.objects.select_related("org", "recipient", "week__organizer", "week__parent__organizer")
        .filter(week__slug=slug, pk=pk)
        .first()
    )
    if package is None or not (
        user.can_see_org(package.org) or (package.recipient is not None and user.can_see_org(package.recipient))
    ):
        raise NotFound(_("没有找到该上报记录。"))
    return package


def weeks_to_report(user: User) -> list[Week]:
    """Weeks in which the user's own org files daily reports, newest first (for the workbench's links)."""
    if not user.org_id:
        return []
    return list(Week.objects.filter(report_orgs=user.org_id).order_by("-start_date", "slug"))


def weeks_to_review(user: User) -> list[Week]:
    """Weeks with daily reporting whose dashboard the user may open, newest first (for the workbench's links)."""
    weeks = Week.objects.filter(report_orgs__isnull=False).distinct().select_related("organizer")
    if not user.is_superuser:
        weeks = weeks.filter(organizer__path__startswith=user.org.path) if user.org_id else weeks.none()
    return list(weeks.order_by("-start_date", "slug"))


def can_edit(user: User, org: Org) -> bool:
    """Only the reporting org's own users file and amend its reports."""
    return user.org_id == org.pk


def parse_day(value: str) -> datetime.date:
    """A day from the URL; NotFound for anything that is not an ISO date."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise NotFound(_("没有找到该日期。")) from exc


def get_week_and_report_org_for_user(user: User, slug: str, code: str) -> tuple[Week, Org]:
    """A week and one of its reporting orgs that the user may see (itself or a parent org); NotFound otherwise."""
    week = Week.objects.select_related("organizer", "parent__organizer").filter(slug=slug).first()
    if week is None:
        raise NotFound(_("没有找到该活动周。"))
    return week, get_report_org_for_user(user, week, code)


def get_report_org_to_edit(user: User, slug: str, code: str) -> tuple[Week, Org]:
    """A week and the user's own reporting org, which only its own users file and amend; NotFound for everybody else."""
    week, org = get_week_and_report_org_for_user(user, slug, code)
    if not can_edit(user, org):
        raise NotFound(_("没有找到该单位的报送。"))
    return week, org


def get_day_report_for_user(user: User, week: Week, org: Org, day: datetime.date) -> DailyReport | None:
    """The org's report of the day (None before anything was filed); NotFound when the user may not see the org."""
    if not user.can_see_org(org):
        raise NotFound(_("没有找到该报送。"))
    return DailyReport.objects.filter(week=week, org=org, day=day).select_related("submitted_by").first()


def get_version_for_user(
    user: User, week: Week, org: Org, day: datetime.date, number: int
) -> tuple[DailyReport, ReportVersion]:
    """One submitted version of the org's report of the day, with its report; NotFound otherwise."""
    report = get_day_report_for_user(user, week, org, day)
    version = report.versions.select_related("submitted_by").filter(number=number).first() if report else None
    if version is None:
        raise NotFound(_("没有找到该版本。"))
    return report, version


def open_picture_for_user(user: User, pk: int, thumbnail: bool):
    """A picture's file opened for reading (the original or its thumbnail) and its content type; NotFound otherwise."""
    picture = get_picture_for_user(user, pk)
    file = picture.thumbnail if thumbnail else picture.image
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(_("没有找到该图片。")) from exc
    return handle, "image/jpeg" if thumbnail else picture.content_type


def get_week_day(week: Week, value: str) -> datetime.date:
    """A day of the week from the URL; NotFound for anything else."""
    day = parse_day(value)
    if not week.contains_date(day):
        raise NotFound(_("没有找到该日期。"))
    return day
