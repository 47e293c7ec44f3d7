"""Daily reporting: cell status, submission and amendment, reminders, the dashboard, highlights, forwarding, stats."""

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Org, User, Week
from eventweek.services import claimable_notices, send_claimed_notice
from reporting.models import (
    DailyReport,
    ForwardedPackage,
    Highlight,
    ItemKind,
    ReportItem,
    ReportNotice,
    ReportPicture,
    ReportStatus,
    ReportVersion,
)
from reporting.pictures import CheckedPicture, max_pictures

logger = logging.getLogger(__name__)

# Orgs at these levels report before the daily cutoff; provincial-level units and departments report "promptly".
CUTOFF_LEVELS = {Org.Level.CITY, Org.Level.COUNTY}
SUBMITTED_STATUSES = {ReportStatus.ON_TIME, ReportStatus.LATE, ReportStatus.SUBMITTED}


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), LOCAL_TZ).date()


# -- status --------------------------------------------------------------------------------------------------------


def has_cutoff(org: Org) -> bool:
    """Whether the org's daily reports are due by the week's cutoff (cities and counties) or have no fixed hour."""
    return org.level in CUTOFF_LEVELS


def submission_status(week: Week, org: Org, day: datetime.date, at: datetime.datetime) -> str:
    """The status a submission at `at` earns: on time strictly before the cutoff, late from the cutoff on."""
    if not has_cutoff(org):
        return ReportStatus.SUBMITTED
    return ReportStatus.ON_TIME if at < week.cutoff_for(day) else ReportStatus.LATE


def cell_status(
    week: Week, org: Org, day: datetime.date, report: DailyReport | None, now: datetime.datetime | None = None
) -> str:
    """The status of an (org, day) cell: the first submission decides on time or late; an amendment never changes it."""
    now = now or timezone.now()
    if report is not None and report.first_submitted_at is not None:
        return submission_status(week, org, day, report.first_submitted_at)
    if not has_cutoff(org):
        return ReportStatus.OPEN
    return ReportStatus.MISSING if now >= week.cutoff_for(day) else ReportStatus.NOT_DUE


# -- access --------------------------------------------------------------------------------------------------------


class ReviewForbidden(DomainError):
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


def get_dashboard_week(user: User, slug: str) -> Week:
    """A week whose dashboard the user may see (its organizer or above); Http404 for everybody else."""
    week = Week.objects.select_related("organizer", "parent").filter(slug=slug).first()
    if week is None or not user.can_see_org(week.organizer):
        raise Http404(_("没有找到该活动周。"))
    return week


def get_reporting_week(user: User, slug: str) -> Week:
    """A week in which the user's own org files daily reports; Http404 otherwise."""
    week = Week.objects.select_related("organizer").filter(slug=slug).first()
    if week is None or user.org_id is None or not week.report_orgs.filter(pk=user.org_id).exists():
        raise Http404(_("本单位不是该活动周的每日报送单位。"))
    return week


def get_report_org_for_user(user: User, week: Week, code: str) -> Org:
    """A reporting org of the week that the user may see (itself or a parent org); Http404 otherwise."""
    org = week.report_orgs.filter(code=code).first()
    if org is None or not user.can_see_org(org):
        raise Http404(_("没有找到该单位的报送。"))
    return org


def get_report_for_user(user: User, pk: int) -> DailyReport:
    """A daily report visible to the user (own org or a descendant); Http404 for outsiders."""
    report = DailyReport.objects.select_related("week__organizer", "org").filter(pk=pk).first()
    if report is None or not user.can_see_org(report.org):
        raise Http404(_("没有找到该报送。"))
    return report


def get_picture_for_user(user: User, pk: int) -> ReportPicture:
    """A picture whose report the user may see; Http404 for outsiders."""
    picture = ReportPicture.objects.select_related("report__org").filter(pk=pk).first()
    if picture is None or not user.can_see_org(picture.report.org):
        raise Http404(_("没有找到该图片。"))
    return picture


def get_item_for_reviewer(user: User, week: Week, pk: int) -> ReportItem:
    """An item of the week that the user may screen.

    Http404 when the user may not see the item; ReviewForbidden when they may see it but are not the week's reviewer.
    """
    item = (
        ReportItem.objects.select_related("report__org", "report__week")
        .filter(pk=pk, report__week=week, removed=False)
        .first()
    )
    if item is None or not user.can_see_org(item.report.org):
        raise Http404(_("没有找到该活动条目。"))
    check_can_review(user, week)
    return item


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


def check_report_day(week: Week, day: datetime.date, now: datetime.datetime | None = None) -> None:
    """Refuse a day outside the week or in the future with a message naming the day."""
    if not week.contains_date(day):
        raise ValidationError(
            {
                "day": _("%(day)s 不在活动周（%(start)s 至 %(end)s）之内，不能报送。")
                % {"day": day, "start": week.start_date, "end": week.end_date}
            }
        )
    if day > local_today(now):
        raise ValidationError({"day": _("%(day)s 还没有到，不能提前报送。") % {"day": day}})


# -- submission ----------------------------------------------------------------------------------------------------


@dataclass
class ItemInput:
    """One item as the form cleaned it: an existing item (id) or a new one, its pictures and captions."""

    title: str = ""
    kind: str = ItemKind.OTHER
    place: str = ""
    mode: str = ReportItem.Mode.OFFLINE
    participants: int | None = None
    recycled_kg: Decimal | None = None
    description: str = ""
    id: int | None = None
    delete: bool = False
    new_pictures: list[CheckedPicture] = field(default_factory=list)
    captions: dict[int, str] = field(default_factory=dict)
    removed_pictures: set[int] = field(default_factory=set)


ITEM_FIELDS = ("title", "kind", "place", "mode", "participants", "recycled_kg", "description")


def _snapshot(report: DailyReport, items: list[ReportItem], pictures: list[ReportPicture]) -> dict:
    by_item: dict[int, list[dict]] = {}
    for picture in pictures:
        by_item.setdefault(picture.item_id, []).append({"id": picture.pk, "caption": picture.caption})
    return {
        "narrative": report.narrative,
        "contact_name": report.contact_name,
        "contact_phone": report.contact_phone,
        "items": [
            {
                "id": item.pk,
                "title": item.title,
                "kind": item.kind,
                "kind_display": item.get_kind_display(),
                "place": item.place,
                "mode": item.mode,
                "mode_display": item.get_mode_display(),
                "participants": item.participants,
                "recycled_kg": str(item.recycled_kg) if item.recycled_kg is not None else None,
                "description": item.description,
                "pictures": by_item.get(item.pk, []),
            }
            for item in items
        ],
    }


def _store_picture(report: DailyReport, item: ReportItem, checked: CheckedPicture, position: int, user, saved: list):
    base = uuid.uuid4().hex
    picture = ReportPicture(
        report=report,
        item=item,
        caption=checked.caption,
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        size=len(checked.content),
        position=position,
        uploaded_by=user,
    )
    picture.image.save(f"{base}{checked.extension}", ContentFile(checked.content), save=False)
    saved.append(picture.image.name)
    picture.thumbnail.save(f"{base}-thumb.jpg", ContentFile(checked.thumbnail), save=False)
    saved.append(picture.thumbnail.name)
    picture.save()
    return picture


def submit_report(
    *,
    week: Week,
    org: Org,
    day: datetime.date,
    user: User,
    token: uuid.UUID,
    expected_version: int,
    narrative: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    items: list[ItemInput] | None = None,
    now: datetime.datetime | None = None,
) -> tuple[DailyReport, bool]:
    """File or amend a day's report as a new version; returns (report, created_a_version).

    The same token twice (a network retry) returns the first result without a second version. A save based on
    an older version than the stored one is refused (optimistic lock), so nobody overwrites a colleague unseen.
    Files written for a refused submission are removed again.
    """
    saved: list[str] = []
    try:
        return _submit_report(
            week=week,
            org=org,
            day=day,
            user=user,
            token=token,
            expected_version=expected_version,
            narrative=narrative,
            contact_name=contact_name,
            contact_phone=contact_phone,
            items=items or [],
            now=now or timezone.now(),
            saved=saved,
        )
    except Exception:
        storage = ReportPicture._meta.get_field("image").storage
        for name in saved:
            storage.delete(name)
        raise


class NothingChanged(DomainError):
    """The post holds exactly what the report's latest version holds: no version is made, nothing is written."""


def _duplicate(token) -> DailyReport | None:
    version = ReportVersion.objects.select_related("report").filter(token=token).first()
    return version.report if version else None


@transaction.atomic
def _submit_report(
    *, week, org, day, user, token, expected_version, narrative, contact_name, contact_phone, items, now, saved
):
    check_report_day(week, day, now)
    if not week.report_orgs.filter(pk=org.pk).exists():
        raise DomainError(_("%(org)s 不是该活动周的每日报送单位。") % {"org": org.display_name})
    duplicate = _duplicate(token)
    if duplicate is not None:
        return duplicate, False
    report, _created = DailyReport.objects.get_or_create(week=week, org=org, day=day)
    # The claim: only the saver holding the current version number moves it on.
    if DailyReport.objects.filter(pk=report.pk, version=expected_version).update(version=F("version") + 1) != 1:
        duplicate = _duplicate(token)  # a concurrent retry of the same form won the race
        if duplicate is not None:
            return duplicate, False
        current = DailyReport.objects.filter(pk=report.pk).values_list("version", flat=True).first()
        raise DomainError(
            _(
                "这份报送刚刚已被他人修改并提交（现为第 %(current)s 版，您编辑的是第 %(mine)s 版）。"
                "为避免覆盖，您的修改没有保存，请刷新页面查看最新内容后再修改。"
            )
            % {"current": current, "mine": expected_version}
        )
    report.refresh_from_db()
    existing = {item.pk: item for item in report.items.filter(removed=False)}
    pictures = {p.pk: p for p in report.pictures.filter(removed=False)}
    position = 0
    for data in items:
        if data.id is not None:
            item = existing.get(data.id)
            if item is None:
                raise DomainError(_("要修改的活动条目不存在或已删除，请刷新页面后重试。"))
        else:
            if data.delete:
                continue
            item = ReportItem(report=report)
        if data.delete:
            item.removed = True
            item.save(update_fields=["removed"])
            ReportPicture.objects.filter(item=item, removed=False).update(removed=True)
            continue
        for name in ITEM_FIELDS:
            setattr(item, name, getattr(data, name))
        item.position = position
        position += 1
        item.save()
        picture_position = max((p.position for p in pictures.values() if p.item_id == item.pk), default=-1) + 1
        for pk, caption in data.captions.items():
            picture = pictures.get(pk)
            if picture is not None and picture.item_id == item.pk and picture.caption != caption:
                picture.caption = caption
                picture.save(update_fields=["caption"])
        for pk in data.removed_pictures:
            picture = pictures.get(pk)
            if picture is not None and picture.item_id == item.pk:
                picture.removed = True
                picture.save(update_fields=["removed"])
        for checked in data.new_pictures:
            _store_picture(report, item, checked, picture_position, user, saved)
            picture_position += 1
    active_items = list(report.items.filter(removed=False).order_by("position", "pk"))
    active_pictures = list(
        report.pictures.filter(removed=False, item__removed=False).order_by("item", "position", "pk")
    )
    if not active_items and not narrative.strip():
        raise ValidationError(_("报送内容为空：请至少填写一项活动或当日情况综述。"))
    if len(active_pictures) > max_pictures():
        raise ValidationError(
            _("每份报送最多 %(max)s 张图片，本次提交后将有 %(count)s 张，请删减后再提交。")
            % {"max": max_pictures(), "count": len(active_pictures)}
        )
    report.narrative = narrative.strip()
    report.contact_name = contact_name.strip()
    report.contact_phone = contact_phone.strip()
    snapshot = _snapshot(report, active_items, active_pictures)
    latest = report.versions.order_by("-number").first()
    if latest is not None and latest.snapshot == snapshot:
        # Raised inside the transaction, so the version claimed above is given back: a resubmitted page or a
        # tampered form (items-TOTAL_FORMS=-1) never adds a version identical to the last one.
        raise NothingChanged(
            _("内容与已提交的第 %(number)s 版相同，没有修改，未生成新版本。") % {"number": latest.number}
        )
    report.submitted_at = now
    report.submitted_by = user
    if report.first_submitted_at is None:
        report.first_submitted_at = now
    report.item_count = len(active_items)
    report.picture_count = len(active_pictures)
    report.participants = sum(item.participants or 0 for item in active_items)
    report.recycled_kg = sum((item.recycled_kg or Decimal(0) for item in active_items), Decimal(0))
    report.save()
    try:
        with transaction.atomic():
            ReportVersion.objects.create(
                report=report,
                number=report.version,
                submitted_at=now,
                submitted_by=user,
                status=submission_status(week, org, day, now),
                snapshot=snapshot,
                token=token,
            )
    except IntegrityError as exc:
        raise DomainError(_("该表单已经提交过，请刷新页面。")) from exc
    logger.info("report %s v%s submitted by %s", report.pk, report.version, user.pk)
    return report, True


def report_versions(report: DailyReport) -> list[ReportVersion]:
    """Every submitted version of a report, oldest first, with who submitted it."""
    return list(report.versions.select_related("submitted_by").order_by("number"))


def version_pictures(version: ReportVersion) -> dict[int, ReportPicture]:
    """The pictures a version refers to, by id (removed ones included: old versions stay viewable)."""
    ids = [p["id"] for item in version.snapshot.get("items", []) for p in item.get("pictures", [])]
    return {p.pk: p for p in ReportPicture.objects.filter(pk__in=ids)}


# -- the dashboard -------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts over some cells; rates are None when nothing is expected yet."""

    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0
    submitted: int = 0
    items: int = 0
    pictures: int = 0

    def add(self, status: str, report: DailyReport | None) -> None:
        if status == ReportStatus.NOT_DUE or status == ReportStatus.OPEN:
            self.not_due += 1
        else:
            self.expected += 1
        if status in (ReportStatus.ON_TIME, ReportStatus.SUBMITTED):
            self.on_time += 1
        elif status == ReportStatus.LATE:
            self.late += 1
        elif status == ReportStatus.MISSING:
            self.missing += 1
        if status in SUBMITTED_STATUSES:
            self.submitted += 1
            self.items += report.item_count
            self.pictures += report.picture_count

    def merge(self, other: "Tally") -> None:
        for name in ("expected", "on_time", "late", "missing", "not_due", "submitted", "items", "pictures"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def completeness_rate(self) -> float | None:
        """Reports received / reports expected (DHIS2's reporting rate)."""
        return self.submitted / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """Reports received on time / reports expected (DHIS2's reporting rate on time)."""
        return self.on_time / self.expected if self.expected else None

    @property
    def completeness_text(self) -> str:
        return _percent(self.completeness_rate)

    @property
    def on_time_text(self) -> str:
        return _percent(self.on_time_rate)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%".replace(".0%", "%")


SHORT_LABELS = {
    ReportStatus.ON_TIME: "按时",
    ReportStatus.SUBMITTED: "已报",
    ReportStatus.LATE: "迟报",
    ReportStatus.MISSING: "缺报",
    ReportStatus.NOT_DUE: "—",
    ReportStatus.OPEN: "—",
}


@dataclass
class Cell:
    org: Org
    day: datetime.date
    status: str
    report: DailyReport | None

    @property
    def status_label(self) -> str:
        return str(ReportStatus(self.status).label)

    @property
    def short_label(self) -> str:
        """The grid's one-glance label."""
        return SHORT_LABELS[self.status]

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return self.report.first_submitted_at if self.report else None

    @property
    def amended(self) -> bool:
        return bool(self.report and self.report.version > 1)


@dataclass
class Row:
    org: Org
    cells: list[Cell]
    tally: Tally


@dataclass
class Dashboard:
    week: Week
    days: list[datetime.date]
    rows: list[Row]
    day_tallies: list[Tally]
    total: Tally
    now: datetime.datetime


def build_dashboard(week: Week, orgs: list[Org] | None = None, now: datetime.datetime | None = None) -> Dashboard:
    """The week's status grid over its reporting orgs (or the given ones) in two queries, whatever their number."""
    now = now or timezone.now()
    if orgs is None:
        orgs = list(week.report_orgs.order_by("sort_order", "path"))
    org_ids = {org.pk for org in orgs}
    reports = {
        (r.org_id, r.day): r
        for r in DailyReport.objects.filter(week=week, first_submitted_at__isnull=False).only(
            "pk", "org_id", "day", "first_submitted_at", "submitted_at", "version", "item_count", "picture_count"
        )
        if r.org_id in org_ids
    }
    days = week.days()
    day_tallies = [Tally() for _day in days]
    total = Tally()
    rows = []
    for org in orgs:
        tally = Tally()
        cells = []
        for index, day in enumerate(days):
            report = reports.get((org.pk, day))
            status = cell_status(week, org, day, report, now)
            cells.append(Cell(org=org, day=day, status=status, report=report))
            tally.add(status, report)
            day_tallies[index].add(status, report)
        total.merge(tally)
        rows.append(Row(org=org, cells=cells, tally=tally))
    return Dashboard(week=week, days=days, rows=rows, day_tallies=day_tallies, total=total, now=now)


def visible_report_orgs(user: User, week: Week) -> list[Org]:
    """The week's reporting orgs the user may see, in display order (one query)."""
    orgs = week.report_orgs.order_by("sort_order", "path")
    if not user.is_superuser:
        orgs = orgs.filter(path__startswith=user.org.path) if user.org_id else orgs.none()
    return list(orgs)


@dataclass
class OverviewRow:
    week: Week
    org: Org
    day_tallies: list[Tally]
    tally: Tally


def build_overview(week: Week, now: datetime.datetime | None = None) -> list[OverviewRow]:
    """The national overview: one row per child week (a province), its rates per day, in three queries."""
    now = now or timezone.now()
    children = list(
        week.children.select_related("organizer").prefetch_related("report_orgs").order_by("organizer__path")
    )
    reports: dict[tuple[int, int, datetime.date], DailyReport] = {
        (r.week_id, r.org_id, r.day): r
        for r in DailyReport.objects.filter(week__in=children, first_submitted_at__isnull=False).only(
            "pk", "week_id", "org_id", "day", "first_submitted_at", "item_count", "picture_count"
        )
    }
    rows = []
    for child in children:
        days = child.days()
        day_tallies = [Tally() for _day in days]
        tally = Tally()
        for org in child.report_orgs.all():
            for index, day in enumerate(days):
                report = reports.get((child.pk, org.pk, day))
                status = cell_status(child, org, day, report, now)
                day_tallies[index].add(status, report)
                tally.add(status, report)
        rows.append(OverviewRow(week=child, org=child.organizer, day_tallies=day_tallies, tally=tally))
    return rows


def my_days(week: Week, org: Org, now: datetime.datetime | None = None) -> list[Cell]:
    """A reporting org's own days with their status, for its home page."""
    now = now or timezone.now()
    reports = {r.day: r for r in DailyReport.objects.filter(week=week, org=org)}
    return [
        Cell(org=org, day=day, status=cell_status(week, org, day, reports.get(day), now), report=reports.get(day))
        for day in week.days()
    ]


# -- stats for summaries -------------------------------------------------------------------------------------------

STAT_KEYS = ("on_time", "late", "missing", "not_due", "items", "pictures", "participants", "recycled_kg")


def week_report_stats(week: Week, orgs, now: datetime.datetime | None = None) -> dict:
    """Daily-report figures of a week for the given orgs, per org and in total (two queries).

    Returns {"orgs": {org_id: stats}, "totals": stats} where stats is a dict with the int counts "on_time", "late",
    "missing" and "not_due" (days, by cell status; orgs without a cutoff count a submission as on time), "items" and
    "pictures" (in the current version of submitted reports), "participants" (int) and "recycled_kg" (Decimal).
    Orgs not in the week's reporting orgs get zeros for every submitted figure and no missing days.
    """
    now = now or timezone.now()
    orgs = list(orgs)
    report_org_ids = set(week.report_orgs.values_list("pk", flat=True))
    reports = {
        (r.org_id, r.day): r
        for r in DailyReport.objects.filter(week=week, org__in=orgs, first_submitted_at__isnull=False).only(
            "org_id", "day", "first_submitted_at", "item_count", "picture_count", "participants", "recycled_kg"
        )
    }

    def empty():
        return {key: (Decimal(0) if key == "recycled_kg" else 0) for key in STAT_KEYS}

    per_org, totals = {}, empty()
    for org in orgs:
        stats = empty()
        for day in week.days():
            report = reports.get((org.pk, day))
            if org.pk not in report_org_ids and report is None:
                continue
            status = cell_status(week, org, day, report, now)
            if status in (ReportStatus.ON_TIME, ReportStatus.SUBMITTED):
                stats["on_time"] += 1
            elif status == ReportStatus.LATE:
                stats["late"] += 1
            elif status == ReportStatus.MISSING:
                stats["missing"] += 1
            else:
                stats["not_due"] += 1
            if report is not None:
                stats["items"] += report.item_count
                stats["pictures"] += report.picture_count
                stats["participants"] += report.participants
                stats["recycled_kg"] += report.recycled_kg
        per_org[org.pk] = stats
        for key in STAT_KEYS:
            totals[key] += stats[key]
    return {"orgs": per_org, "totals": totals}


def highlights_for(week: Week, org: Org | None = None, day: datetime.date | None = None) -> list[Highlight]:
    """The week's highlights in order (day, order), optionally only items of org's subtree and of one day.

    Each highlight comes with item, item.report and item.report.org loaded and its chosen pictures prefetched
    (`highlight.pictures.all()`), so looping over them costs no further queries.
    """
    qs = Highlight.objects.filter(week=week, item__removed=False)
    if org is not None:
        qs = qs.filter(item__report__org__path__startswith=org.path)
    if day is not None:
        qs = qs.filter(day=day)
    return list(
        qs.select_related("item__report__org", "marked_by", "package")
        .prefetch_related("pictures")
        .order_by("day", "order", "pk")
    )


# -- highlights and forwarding -------------------------------------------------------------------------------------


@transaction.atomic
def mark_highlight(
    item: ReportItem, *, user: User, comment: str = "", order: int = 0, picture_ids: list[int] | None = None
) -> Highlight:
    """Mark an item as a highlight (or update the mark) with a comment, an order and chosen pictures of the item."""
    report = item.report
    check_can_review(user, report.week)
    if not report.is_submitted:
        raise DomainError(_("该报送尚未提交，不能标记亮点。"))
    highlight, _created = Highlight.objects.select_for_update().get_or_create(
        item=item, defaults={"week": report.week, "day": report.day, "marked_by": user}
    )
    if highlight.package_id:
        raise DomainError(_("该亮点已于 %(at)s 上报，不能再修改。") % {"at": _local(highlight.package.forwarded_at)})
    allowed = set(item.pictures.filter(removed=False).values_list("pk", flat=True))
    chosen = [pk for pk in (picture_ids or []) if pk in allowed]
    highlight.comment = comment.strip()
    highlight.order = order
    highlight.marked_by = user
    highlight.save()
    highlight.pictures.set(chosen)
    return highlight


@transaction.atomic
def unmark_highlight(item: ReportItem, *, user: User) -> None:
    """Remove an item's highlight mark, unless it was already forwarded."""
    check_can_review(user, item.report.week)
    highlight = Highlight.objects.select_for_update().filter(item=item).first()
    if highlight is None:
        return
    if highlight.package_id:
        raise DomainError(_("该亮点已上报，不能取消。"))
    highlight.delete()


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def forward_highlights(
    week: Week, day: datetime.date, *, user: User, now: datetime.datetime | None = None
) -> ForwardedPackage:
    """Freeze a day's not yet forwarded highlights into a package from the week's organizer to the parent week's."""
    now = now or timezone.now()
    check_can_review(user, week)
    if not week.contains_date(day):
        raise ValidationError({"day": _("%(day)s 不在活动周之内。") % {"day": day}})
    # The package is always the organizer's, whoever of its reviewers (or a superuser) presses the button.
    org = week.organizer
    # Lock the week's highlights of the day so two reviewers forwarding at once make one package.
    list(Highlight.objects.select_for_update().filter(week=week, day=day).values_list("pk", flat=True))
    highlights = [h for h in highlights_for(week, org=None, day=day) if h.package_id is None]
    if not highlights:
        raise DomainError(_("%(day)s 没有待上报的亮点，请先标记亮点。") % {"day": day})
    number = (ForwardedPackage.objects.filter(week=week, org=org, day=day).aggregate(n=Max("number"))["n"] or 0) + 1
    payload = []
    picture_ids = []
    for h in highlights:
        item = h.item
        pictures = [{"id": p.pk, "caption": p.caption} for p in h.pictures.all()]
        picture_ids += [p["id"] for p in pictures]
        payload.append(
            {
                "highlight": h.pk,
                "item": item.pk,
                "org": item.report.org.code,
                "org_name": item.report.org.name,
                "day": day.isoformat(),
                "title": item.title,
                "kind": item.get_kind_display(),
                "place": item.place,
                "mode": item.get_mode_display(),
                "participants": item.participants,
                "description": item.description,
                "comment": h.comment,
                "order": h.order,
                "pictures": pictures,
            }
        )
    package = ForwardedPackage.objects.create(
        week=week,
        org=org,
        recipient=week.parent.organizer if week.parent_id else None,
        day=day,
        number=number,
        forwarded_at=now,
        forwarded_by=user,
        forwarded_by_name=user.get_full_name() or user.first_name or user.username,
        payload=payload,
    )
    package.pictures.set(picture_ids)
    Highlight.objects.filter(pk__in=[h.pk for h in highlights]).update(package=package)
    return package


def packages_for(week: Week, user: User) -> list[ForwardedPackage]:
    """Forwarded packages of the week sent by orgs the user may see."""
    qs = ForwardedPackage.objects.filter(week=week).select_related("org", "recipient", "forwarded_by")
    if not user.is_superuser:
        qs = qs.filter(org__path__startswith=user.org.path) if user.org_id else qs.none()
    return list(qs.order_by("day", "number"))


def get_package_for_user(user: User, week: Week, pk: int) -> ForwardedPackage:
    """A package sent by the user's org or a descendant, or received by it; Http404 otherwise."""
    package = ForwardedPackage.objects.select_related("org", "recipient", "week").filter(week=week, pk=pk).first()
    if package is None or not (
        user.can_see_org(package.org) or (package.recipient is not None and user.can_see_org(package.recipient))
    ):
        raise Http404(_("没有找到该上报记录。"))
    return package


# -- reminders and the missing sweep -------------------------------------------------------------------------------


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
            if org.pk in filed or not has_cutoff(org) or not org.email:
                continue
            try:
                with transaction.atomic():
                    notice = ReportNotice.objects.create(
                        week=week, org=org, day=today, kind=ReportNotice.Kind.REMINDER, email=org.email
                    )
            except IntegrityError:
                continue  # this org was already reminded for this day
            created.append(notice.pk)
    return created


def send_report_reminder(notice_id: int) -> bool:
    """Send one reminder once (see `send_claimed_notice`), unless the day was filed in the meantime."""
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
        "day": notice.day.strftime("%m月%d日"),
    }
    return send_claimed_notice(
        ReportNotice.objects.filter(claimable_notices(), kind=ReportNotice.Kind.REMINDER),
        notice_id,
        subject=subject,
        body=render_to_string("reporting/email/reminder.txt", context),
        to=notice.email,
        # Filed between the reminder's creation and now: nothing to remind about.
        still_wanted=lambda: (
            not DailyReport.objects.filter(
                week=week, org=notice.org, day=notice.day, first_submitted_at__isnull=False
            ).exists()
        ),
    )


def send_due_report_reminders(now: datetime.datetime | None = None) -> int:
    """Create the due reminders and send them along with the day's earlier failures and claims whose worker died;
    return how many were sent."""
    now = now or timezone.now()
    create_due_reminders(now)
    pending = ReportNotice.objects.filter(
        claimable_notices(),
        kind=ReportNotice.Kind.REMINDER,
        attempts__lt=5,
        day=local_today(now),
    ).values_list("pk", flat=True)
    return sum(send_report_reminder(pk) for pk in list(pending))


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
                try:
                    with transaction.atomic():
                        notice = ReportNotice.objects.create(
                            week=week,
                            org=org,
                            day=day,
                            kind=ReportNotice.Kind.MISSING,
                            status=ReportNotice.Status.RECORDED,
                        )
                except IntegrityError:
                    continue
                created.append(notice.pk)
    return created


def missing_records(week: Week) -> dict[tuple[int, datetime.date], ReportNotice]:
    """The sweep's records of the week by (org id, day)."""
    return {(n.org_id, n.day): n for n in ReportNotice.objects.filter(week=week, kind=ReportNotice.Kind.MISSING)}


# -- schedules -----------------------------------------------------------------------------------------------------

SCHEDULES = {
    "reporting:daily-reminders": "reporting.tasks.send_report_reminders_task",
    "reporting:missing-sweep": "reporting.tasks.sweep_missing_task",
}


def ensure_schedules() -> None:
    """Create the periodic django-q2 schedules of daily reporting (idempotent: safe at every migrate).

    They run every minute and act only once the week's reminder time or cutoff has come; the claim rows make a
    second run harmless.
    """
    from django_q.models import Schedule

    for name, func in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1}
        )
