"""The cloud exchange (云兑换): a unit's registration (备案) with the organizer, and what it collected and exchanged."""

import os
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from eventweek.models import Activity, Org
from eventweek.storage import PrivateStorage

_private_storage = PrivateStorage()


def private_storage():
    """The storage for exchange pictures (a callable, so migrations do not freeze a path)."""
    return _private_storage


def picture_upload_to(instance, filename):
    return f"exchange/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Registration(models.Model):
    """A unit's registration (备案) for an exchange activity; only an approved one lets the unit record an exchange."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    activity = models.ForeignKey(
        Activity, verbose_name=_("云兑换活动"), on_delete=models.CASCADE, related_name="exchange_registrations"
    )
    org = models.ForeignKey(Org, verbose_name=_("备案单位"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系人手机号"), max_length=20)
    expected_items = models.CharField(_("预计回收物品"), max_length=300)
    poverty_area = models.CharField(_("定点扶贫地区或产品"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("云兑换备案")
        verbose_name_plural = _("云兑换备案")
        ordering = ["org__path"]
        constraints = [models.UniqueConstraint(fields=["activity", "org"], name="exchange_registration_once")]

    def __str__(self):
        return f"{self.org} 云兑换备案"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Record(models.Model):
    """What one registered unit collected and exchanged on the exchange day (one row per unit, amended in place)."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("备案"), on_delete=models.PROTECT, related_name="record"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("云兑换活动"), on_delete=models.CASCADE, related_name="exchange_records"
    )
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    newspapers_kg = models.DecimalField(
        _("废旧报纸（千克）"), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    ink_cartridges = models.PositiveIntegerField(_("墨盒硒鼓（个）"), default=0)
    electronics = models.PositiveIntegerField(_("电子产品（件）"), default=0)
    other_name = models.CharField(_("其他物品名称"), max_length=100, blank=True)
    other_count = models.PositiveIntegerField(_("其他物品数量（件）"), default=0)
    note = models.TextField(_("情况说明"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("云兑换记录")
        verbose_name_plural = _("云兑换记录")
        ordering = ["org__path"]

    def __str__(self):
        return f"{self.org} 云兑换记录"


class Product(models.Model):
    """One poverty-relief product a unit exchanged its collection for."""

    record = models.ForeignKey(Record, verbose_name=_("兑换记录"), on_delete=models.CASCADE, related_name="products")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("兑换产品"), max_length=100)
    value_yuan = models.DecimalField(_("价值（元）"), max_digits=12, decimal_places=2)
    area = models.CharField(_("产地（扶贫地区）"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("兑换产品")
        verbose_name_plural = _("兑换产品")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Picture(models.Model):
    """A picture of the exchange: re-encoded by reporting.pictures (EXIF stripped) with a thumbnail, both private."""

    record = models.ForeignKey(Record, verbose_name=_("兑换记录"), on_delete=models.CASCADE, related_name="pictures")
    image = models.FileField(_("原图"), upload_to=picture_upload_to, storage=private_storage, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=picture_upload_to, storage=private_storage, max_length=200)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    content_type = models.CharField(_("类型"), max_length=40)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("云兑换图片")
        verbose_name_plural = _("云兑换图片")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or f"#{self.pk}"
