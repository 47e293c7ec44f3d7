"""Filing and amending a day's report as a new version, and reading the versions back."""

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import Org, User, Week
from reporting.models import DailyReport, ItemKind, ReportItem, ReportPicture, ReportVersion
from reporting.pictures import CheckedPicture, max_pictures
from reporting.services.review import resolve_returns
from reporting.services.status import check_report_day, submission_status

logger = logging.getLogger(__name__)


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
    checked.save_files(picture, saved)
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
    resolve_returns(report, now)  # the amendment answers an open return; the return stays in the history
    logger.info("report %s v%s submitted by %s", report.pk, report.version, user.pk)
    return report, True


def report_versions(report: DailyReport) -> list[ReportVersion]:
    """Every submitted version of a report, oldest first, with who submitted it."""
    return list(report.versions.select_related("submitted_by").order_by("number"))


def version_pictures(version: ReportVersion) -> dict[int, ReportPicture]:
    """The pictures a version refers to, by id (removed ones included: old versions stay viewable)."""
    ids = [p["id"] for item in version.snapshot.get("items", []) for p in item.get("pictures", [])]
    return {p.pk: p for p in ReportPicture.objects.filter(pk__in=ids)}


def live_pictures_by_item(report: DailyReport | None) -> dict[int, list[ReportPicture]]:
    """The report's live pictures by item id, in order (empty before anything was filed)."""
    by_item: dict[int, list[ReportPicture]] = {}
    if report is not None:
        for picture in report.pictures.filter(removed=False).order_by("position", "pk"):
            by_item.setdefault(picture.item_id, []).append(picture)
    return by_item


def live_items(report: DailyReport | None) -> list[ReportItem]:
    """The report's live items in order, each with its highlight and its live pictures as `live_pictures`."""
    if report is None:
        return []
    items = list(report.items.filter(removed=False).select_related("highlight").order_by("position", "pk"))
    pictures = live_pictures_by_item(report)
    for item in items:
        item.live_pictures = pictures.get(item.pk, [])
    return items
