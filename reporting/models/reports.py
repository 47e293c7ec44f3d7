"""Daily reports, items, pictures, highlights and forwarded packages."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eventweek.deadlines import DeadlineStatus
from eventweek.models import Activity, Org, Week
from eventweek.outbox import OutboxRow
from eventweek.storage import PrivateStorage

__all__ = [
    "ItemKind",
    "DailyReport",
    "ReportItem",
    "ReportPicture",
    "ReportVersion",
    "ReportNotice",
    "Highlight",
    "ForwardedPackage",
    "ReportReview",
    "private_storage",
]


_private_storage = PrivateStorage()


def private_storage():
    """The storage for report pictures (a callable, so migrations do not freeze a path)."""
    return _private_storage


class ItemKind(models.TextChoices):
    """The week's national online activities plus the local kinds the provincial notice names."""

    # The cloud kinds are the programme's own, so the two lists cannot drift apart.
    LAUNCH = Activity.Kind.LAUNCH.value, Activity.Kind.LAUNCH.label
    LESSON = Activity.Kind.LESSON.value, Activity.Kind.LESSON.label
    EXCHANGE = Activity.Kind.EXCHANGE.value, Activity.Kind.EXCHANGE.label
    LIVESTREAM = Activity.Kind.LIVESTREAM.value, Activity.Kind.LIVESTREAM.label
    QUIZ = Activity.Kind.QUIZ.value, Activity.Kind.QUIZ.label
    KICKOFF = "kickoff", _("启动会")
    EXHIBITION = "exhibition", _("展览展示")
    LECTURE = "lecture", _("讲座培训")
    SMS = "sms", _("公益短信")
    SHORTAGE = "shortage", _("能源紧缺体验")
    GARBAGE = "garbage", _("垃圾分类")
    RECYCLING = "recycling", _("废旧物品回收")
    PROMOTION = "promotion", _("新产品新技术推广")
    OTHER = "other", _("其他")


class DailyReport(models.Model):
    """One org's report for one day of a week; each submission adds a ReportVersion."""

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="daily_reports")
    org = models.ForeignKey(Org, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="daily_reports")
    day = models.DateField(_("日期"))
    narrative = models.TextField(_("当日情况综述"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Optimistic lock: a save is "UPDATE ... WHERE version = N"; it also counts the submitted versions.
    version = models.PositiveIntegerField(_("版本"), default=0)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Totals of the current version, kept with it so the dashboard and the stats need no joins.
    item_count = models.PositiveIntegerField(_("活动条数"), default=0)
    picture_count = models.PositiveIntegerField(_("图片数"), default=0)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    recycled_kg = models.DecimalField(_("回收量（千克）"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The first time a reviewer above the org opened the report (the grid's "已阅" mark); set once, never moved.
    first_read_at = models.DateTimeField(_("首次审阅时间"), null=True, blank=True)
    first_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首次审阅人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("每日报送")
        verbose_name_plural = _("每日报送")
        ordering = ["day", "org__path"]
        constraints = [models.UniqueConstraint(fields=["week", "org", "day"], name="daily_report_once_per_day")]

    def __str__(self):
        return f"{self.org} {self.day}"

    @property
    def is_submitted(self) -> bool:
        return self.first_submitted_at is not None


class ReportItem(models.Model):
    """One activity of a daily report."""

    class Mode(models.TextChoices):
        OFFLINE = "offline", _("线下")
        ONLINE = "online", _("线上")
        MIXED = "mixed", _("线上线下结合")

    report = models.ForeignKey(DailyReport, verbose_name=_("每日报送"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    mode = models.CharField(_("形式"), max_length=20, choices=Mode.choices, default=Mode.OFFLINE)
    participants = models.PositiveIntegerField(_("参与人数"), null=True, blank=True)
    recycled_kg = models.DecimalField(_("回收量（千克）"), max_digits=10, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("活动内容"), blank=True)
    # Items removed by an amendment stay, so older versions and highlights still resolve.
    removed = models.BooleanField(_("已删除"), default=False)

    class Meta:
        verbose_name = _("活动条目")
        verbose_name_plural = _("活动条目")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


def picture_upload_to(instance, filename):
    return f"reports/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class ReportPicture(models.Model):
    """A picture of an item: the re-encoded original (EXIF stripped) and a thumbnail, both private."""

    report = models.ForeignKey(
        DailyReport, verbose_name=_("每日报送"), on_delete=models.CASCADE, related_name="pictures"
    )
    item = models.ForeignKey(
        ReportItem,
        verbose_name=_("活动条目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pictures",
    )
    image = models.FileField(_("原图"), upload_to=picture_upload_to, storage=private_storage, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=picture_upload_to, storage=private_storage, max_length=200)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    content_type = models.CharField(_("类型"), max_length=40)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    position = models.PositiveIntegerField(_("顺序"), default=0)
    removed = models.BooleanField(_("已删除"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报送图片")
        verbose_name_plural = _("报送图片")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or f"#{self.pk}"


class ReportVersion(models.Model):
    """A frozen copy of a report as submitted: the amendment history."""

    report = models.ForeignKey(
        DailyReport, verbose_name=_("每日报送"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=20, choices=DeadlineStatus.choices)
    # {"narrative", "contact_name", "contact_phone", "items": [{..., "pictures": [{"id", "caption"}]}]}
    snapshot = models.JSONField(_("内容快照"), default=dict)
    # The idempotency token of the form that produced this version: a network retry adds nothing.
    token = models.UUIDField(_("提交标识"), unique=True)

    class Meta:
        verbose_name = _("报送版本")
        verbose_name_plural = _("报送版本")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_number_unique")]

    def __str__(self):
        return f"{self.report} v{self.number}"

    @property
    def is_amendment(self) -> bool:
        return self.number > 1


class ReportNotice(OutboxRow):
    """The claim for one reminder or one missing record per (week, org, day, kind): nobody is handled twice.

    A reminder goes through the one outbox (eventweek.outbox); a missing record is only RECORDED, never sent.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("报送提醒")
        MISSING = "missing", _("缺报记录")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，等待重试")
        GAVE_UP = "gave_up", _("已放弃")
        # Not sent on purpose: a missing record, or a reminder whose day was filed before it went.
        RECORDED = "recorded", _("已记录")

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="report_notices")
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="report_notices")
    day = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("邮箱"), blank=True)
    # The outbox's statuses plus RECORDED.
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报送提醒")
        verbose_name_plural = _("报送提醒")
        ordering = ["day", "org__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["week", "org", "day", "kind"], name="report_notice_once_per_day_kind")
        ]

    def __str__(self):
        return f"{self.org} {self.day} {self.get_kind_display()}"


class ForwardedPackage(models.Model):
    """A day's selected highlights forwarded upward; payload is frozen at forwarding time."""

    week = models.ForeignKey(
        Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="forwarded_packages"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="forwarded_packages"
    )
    recipient = models.ForeignKey(
        Org, verbose_name=_("接收单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    number = models.PositiveIntegerField(_("批次"), default=1)
    forwarded_at = models.DateTimeField(_("报送时间"))
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    forwarded_by_name = models.CharField(_("报送人姓名"), max_length=150)
    # [{"org", "org_name", "title", "kind", "place", "mode", "participants", "comment", "order", "pictures": [...]}]
    payload = models.JSONField(_("报送内容"), default=list)
    pictures = models.ManyToManyField(ReportPicture, verbose_name=_("图片"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("上报亮点包")
        verbose_name_plural = _("上报亮点包")
        ordering = ["-forwarded_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["week", "org", "day", "number"], name="package_number_unique")]

    def __str__(self):
        return f"{self.org} {self.day} #{self.number}"


class Highlight(models.Model):
    """A reviewer's choice of one item as a highlight (亮点), with a comment, an order and chosen pictures."""

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="highlights")
    item = models.OneToOneField(
        ReportItem, verbose_name=_("活动条目"), on_delete=models.CASCADE, related_name="highlight"
    )
    day = models.DateField(_("日期"))
    comment = models.TextField(_("审核意见"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    pictures = models.ManyToManyField(ReportPicture, verbose_name=_("选用图片"), blank=True, related_name="highlights")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)
    package = models.ForeignKey(
        ForwardedPackage,
        verbose_name=_("上报批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="highlights",
    )

    class Meta:
        verbose_name = _("亮点")
        verbose_name_plural = _("亮点")
        ordering = ["day", "order", "pk"]
        indexes = [models.Index(fields=["week", "day"])]

    def __str__(self):
        return str(self.item)


class ReportReview(models.Model):
    """A reviewer's comment on a daily report (点评) or its return for changes (退回修改), kept as history.

    A return is open until the reporter files a new version (resolved_at); the on-time status of what was filed is
    never touched by a review.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("点评")
        RETURN = "return", _("退回修改")

    report = models.ForeignKey(
        DailyReport, verbose_name=_("每日报送"), on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("内容"))
    # The version the reviewer looked at, so the history says which filing a remark was about.
    version = models.PositiveIntegerField(_("针对版本"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("审核人姓名"), max_length=150)
    at = models.DateTimeField(_("时间"))
    resolved_at = models.DateTimeField(_("修改后重新报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送审核意见")
        verbose_name_plural = _("报送审核意见")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["report", "kind"])]

    def __str__(self):
        return f"{self.report} {self.get_kind_display()}"

    @property
    def is_open_return(self) -> bool:
        return self.kind == self.Kind.RETURN and self.resolved_at is None
