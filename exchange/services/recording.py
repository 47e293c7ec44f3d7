"""Recording on the exchange day: what a registered unit collected by kind and what it exchanged, with pictures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Activity, Org, User
from exchange.models import Picture, Product, Record, Registration
from exchange.services.registration import md
from reporting.pictures import CheckedPicture, max_pictures

# One unit's collection above 100 tonnes is a typing error (grams or a misplaced point), not a day's work.
MAX_KG = Decimal("100000")
MAX_COUNT = 1_000_000
MAX_VALUE_YUAN = Decimal("10000000")


@dataclass
class ProductInput:
    name: str = ""
    value_yuan: Decimal | None = None
    area: str = ""


@dataclass
class RecordInput:
    newspapers_kg: Decimal = Decimal("0")
    ink_cartridges: int = 0
    electronics: int = 0
    other_name: str = ""
    other_count: int = 0
    note: str = ""
    products: list[ProductInput] = field(default_factory=list)
    new_pictures: list[CheckedPicture] = field(default_factory=list)
    removed_pictures: set[int] = field(default_factory=set)


def _collection_errors(data: RecordInput) -> dict:
    errors = {}
    kg = data.newspapers_kg if data.newspapers_kg is not None else Decimal("0")
    if kg < 0:
        errors["newspapers_kg"] = _("废旧报纸（千克）不能为负数。")
    elif kg > MAX_KG:
        errors["newspapers_kg"] = _("回收量超过 100 吨，请核对。")
    for name, label in (
        ("ink_cartridges", _("墨盒硒鼓（个）")),
        ("electronics", _("电子产品（件）")),
        ("other_count", _("其他物品数量（件）")),
    ):
        value = getattr(data, name) or 0
        if value < 0:
            errors[name] = _("%(label)s不能为负数。") % {"label": label}
        elif value > MAX_COUNT:
            errors[name] = _("%(label)s超过 100 万，请核对。") % {"label": label}
    other_name = (data.other_name or "").strip()
    if (data.other_count or 0) > 0 and not other_name:
        errors["other_name"] = _("填写了其他物品数量，请填写其他物品名称。")
    elif other_name and not data.other_count and "other_count" not in errors:
        errors["other_count"] = _("请填写“%(name)s”的数量。") % {"name": other_name}
    if not errors and not (kg or data.ink_cartridges or data.electronics or data.other_count):
        errors["newspapers_kg"] = _("请至少填写一种回收物品的数量。")
    return errors


def _product_errors(products: list[ProductInput]) -> list[str]:
    errors = []
    for row, product in enumerate(products, start=1):
        name, value = (product.name or "").strip(), product.value_yuan
        if not name and value is None and not (product.area or "").strip():
            continue
        where = _("兑换产品第 %(row)s 行") % {"row": row}
        if not name:
            errors.append(_("%(where)s：填写了价值或产地，但没有填写兑换产品。") % {"where": where})
        elif value is None:
            errors.append(_("%(where)s：请填写“%(name)s”的价值（元）。") % {"where": where, "name": name})
        elif value < 0:
            errors.append(_("%(where)s：价值（元）不能为负数。") % {"where": where})
        elif value > MAX_VALUE_YUAN:
            errors.append(_("%(where)s：价值超过 1000 万元，请核对。") % {"where": where})
    return errors


def validate_record(data: RecordInput) -> None:
    """Refuse bad quantities and product rows: a ValidationError keyed by field ("products" for the rows)."""
    errors = _collection_errors(data)
    product_errors = _product_errors(data.products)
    if product_errors:
        errors["products"] = product_errors
    if errors:
        raise ValidationError(errors)


def check_recording_open(activity: Activity, now: datetime.datetime) -> None:
    """Refuse a record before the exchange day (DomainError naming the day)."""
    if timezone.localtime(now, LOCAL_TZ).date() < activity.first_day:
        raise DomainError(_("云兑换在 %(day)s 进行，当天起才能登记兑换情况。") % {"day": md(activity.first_day)})


def approved_registration(activity: Activity, org: Org) -> Registration:
    """The org's approved registration; DomainError saying what is missing otherwise."""
    registration = Registration.objects.filter(activity=activity, org=org).first()
    if registration is None:
        raise DomainError(
            _("%(org)s尚未备案，不能登记兑换情况；请先向%(organizer)s备案。")
            % {
                "org": org.name,
                "organizer": activity.week.organizer.name,
            }
        )
    if not registration.is_approved:
        raise DomainError(
            _("%(org)s的备案%(status)s，审核通过后才能登记兑换情况。")
            % {
                "org": org.name,
                "status": registration.get_status_display(),
            }
        )
    return registration


def record_exchange(
    activity: Activity, org: Org, user: User, data: RecordInput, now: datetime.datetime | None = None
) -> Record:
    """Save org's exchange record (a new one, or the amended one) with its products and pictures, all or nothing.

    Files written for a refused save are removed again; files of removed pictures go once the save has committed.
    """
    saved: list[str] = []
    try:
        return _record_exchange(activity, org, user, data, now or timezone.now(), saved)
    except Exception:
        storage = Picture._meta.get_field("image").storage
        for name in saved:
            storage.delete(name)
        raise


@transaction.atomic
def _record_exchange(activity, org, user, data: RecordInput, now, saved: list[str]) -> Record:
    check_recording_open(activity, now)
    registration = approved_registration(activity, org)
    validate_record(data)
    record = Record.objects.select_for_update().filter(registration=registration).first()
    if record is None:
        record = Record(registration=registration, activity=activity, org=org)
    record.newspapers_kg = data.newspapers_kg or Decimal("0")
    record.ink_cartridges = data.ink_cartridges or 0
    record.electronics = data.electronics or 0
    record.other_name = (data.other_name or "").strip()
    record.other_count = data.other_count or 0
    record.note = data.note or ""
    record.recorded_at = now
    record.recorded_by = user
    record.save()
    record.products.all().delete()
    Product.objects.bulk_create(
        [
            Product(record=record, position=index, name=p.name.strip(), value_yuan=p.value_yuan, area=p.area.strip())
            for index, p in enumerate(p for p in data.products if (p.name or "").strip())
        ]
    )
    removed = list(record.pictures.filter(pk__in=data.removed_pictures))
    kept = record.pictures.count() - len(removed)
    if kept + len(data.new_pictures) > max_pictures():
        raise ValidationError(
            {"pictures": _("每份兑换记录最多 %(max)s 张图片，请删减后再保存。") % {"max": max_pictures()}}
        )
    for picture in removed:
        names = [picture.image.name, picture.thumbnail.name]
        picture.delete()
        transaction.on_commit(lambda names=names: [Picture._meta.get_field("image").storage.delete(n) for n in names])
    for checked in data.new_pictures:
        _store_picture(record, checked, user, saved)
    return record


def _store_picture(record: Record, checked: CheckedPicture, user, saved: list[str]) -> Picture:
    picture = Picture(
        record=record,
        caption=checked.caption,
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        size=len(checked.content),
        uploaded_by=user,
    )
    checked.save_files(picture, saved)
    picture.save()
    return picture
