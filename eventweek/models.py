"""Orgs, people, weeks and activities: the data every other app hangs off."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventweek.campaigns import CampaignKind, campaign_errors
from eventweek.outbox import OutboxRow, OutboxStatus

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

http_url_validator = URLValidator(schemes=["http", "https"], message=_("请输入以 http:// 或 https:// 开头的有效链接。"))


class Org(models.Model):
    """A node of the org tree: national → province → city → county → institution."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家")
        PROVINCE = "province", _("省级")
        CITY = "city", _("设区市")
        COUNTY = "county", _("县（市、区）")
        INSTITUTION = "institution", _("公共机构")
        DEPARTMENT = "department", _("中央国家机关部门")

    class Category(models.TextChoices):
        # Titles an org holds (the case-call issue selects by them); blank: none.
        DEMONSTRATION = "demonstration", _("节约型公共机构示范单位")
        THRIFTY = "thrifty", _("节约型机关")
        LEADER = "leader", _("公共机构能效领跑者")

    code = models.CharField(_("代码"), max_length=20, unique=True, help_text=_("行政区划代码，国家局为 100000"))
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialized path "/100000/320000/320100/": descendants are one indexed prefix query.
    path = models.CharField(_("路径"), max_length=255, editable=False, db_index=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    headcount = models.PositiveIntegerField(
        _("干部职工人数"),
        null=True,
        blank=True,
        help_text=_("本单位自身的干部职工人数，不含下级单位：参与率按整个下级树汇总，含下级会重复计算"),
    )
    category = models.CharField(_("单位称号"), max_length=20, choices=Category.choices, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # A moved or recoded org carries its subtree along: one UPDATE rewrites the prefix of every
                # descendant's path, so no moment has part of the subtree under the old parent and part under the new.
                Org.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )

    def clean(self):
        if self.pk and self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})

    def descendants(self, include_self: bool = True):
        """This org's subtree as a queryset."""
        qs = Org.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_within(self, other: "Org") -> bool:
        """True when self is other or one of other's descendants."""
        return self.path.startswith(other.path)

    def ancestor_codes(self, include_self: bool = False) -> list[str]:
        """The codes on this org's path, the root first (read from the path: no query)."""
        codes = [code for code in self.path.strip("/").split("/") if code]
        return codes if include_self else codes[:-1]

    def ancestors(self, include_self: bool = False):
        return Org.objects.filter(code__in=self.ancestor_codes(include_self)).order_by("path")


class User(AbstractUser):
    """A person working for one org in one role."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("管理员")
        REPORTER = "reporter", _("报送员")
        REVIEWER = "reviewer", _("审核员")

    org = models.ForeignKey(Org, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    # Set when an admin hands out a temporary password: the user must choose their own before anything else.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def can_see_org(self, org: Org) -> bool:
        """An org sees itself and its descendants, never a sibling or a parent."""
        if self.is_superuser:
            return True
        return self.org_id is not None and org.is_within(self.org)

    def visible_orgs(self):
        if self.is_superuser:
            return Org.objects.all()
        if self.org_id is None:
            return Org.objects.none()
        return self.org.descendants()

    @property
    def is_org_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN


class Week(models.Model):
    """One org's energy-saving publicity week: its programme and the rules later features follow."""

    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.ENERGY)
    name = models.CharField(
        _("活动名称"), max_length=60, blank=True, help_text=_("留空则用类型名称（如“节水宣传周”）；类型为“其他”时必填")
    )
    edition = models.PositiveIntegerField(_("届次"), null=True, blank=True, help_text=_("第几个（仅有届次的活动类型）"))
    theme = models.CharField(_("主题"), max_length=200)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    organizer = models.ForeignKey(Org, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="weeks")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级活动周"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("继承并展示上级活动周已发布的活动"),
    )
    description = models.TextField(_("说明"), blank=True)
    publish_at = models.DateTimeField(_("发布时间"), help_text=_("到时自动公开日程"))
    published_at = models.DateTimeField(_("实际发布时间"), null=True, blank=True, editable=False)
    # A copy from last year waits for a person to review it: no scheduled publication until then.
    needs_review = models.BooleanField(_("待审核"), default=False, editable=False)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    reminder_minutes = models.PositiveIntegerField(
        _("活动提醒提前分钟数"), default=60, help_text=_("每项活动开始前多少分钟向各单位发送提醒")
    )
    # Daily reporting (reporting app).
    report_orgs = models.ManyToManyField(
        Org, verbose_name=_("每日报送单位"), blank=True, related_name="reporting_weeks"
    )
    daily_cutoff = models.TimeField(_("每日报送截止时间"), default=datetime.time(16, 0))
    daily_reminder_time = models.TimeField(_("每日报送提醒时间"), default=datetime.time(15, 0))
    # Summaries (reporting app): summaries sent to this week's organizer are due at summary_due_at.
    summary_due_at = models.DateTimeField(_("下级总结截止时间"), null=True, blank=True)
    summary_char_limit = models.PositiveIntegerField(_("总结字数上限"), default=2000)
    summary_mailbox = models.EmailField(_("总结接收邮箱（地方）"), blank=True)
    department_summary_mailbox = models.EmailField(_("总结接收邮箱（部门）"), blank=True)

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-start_date", "slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("eventweek:week", args=[self.slug])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("结束日期不能早于开始日期。")
        if self.publish_at and self.start_date and self.publish_at >= self.starts_at:
            errors["publish_at"] = _("发布时间必须早于活动周开始（%(start)s）。") % {"start": self.start_date}
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("上级活动周不能是本活动周。")
        errors.update(campaign_errors(self))
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start_date, datetime.time.min, tzinfo=LOCAL_TZ)

    @property
    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=LOCAL_TZ)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def days(self) -> list[datetime.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=i) for i in range(count)]

    def contains_date(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date

    def local_datetime(self, day: datetime.date, at: datetime.time) -> datetime.datetime:
        """An aware datetime for a wall-clock time on a day of the week, in Asia/Shanghai."""
        return datetime.datetime.combine(day, at, tzinfo=LOCAL_TZ)

    def cutoff_for(self, day: datetime.date) -> datetime.datetime:
        """The moment a day's report becomes late."""
        return self.local_datetime(day, self.daily_cutoff)

    def ancestry(self) -> list["Week"]:
        """This week and its parents, nearest first."""
        chain, seen, week = [], set(), self
        while week is not None and week.pk not in seen:
            chain.append(week)
            seen.add(week.pk)
            week = week.parent
        return chain

    def summary_mailbox_for(self, org: Org) -> str:
        """Where a summary from org to this week's organizer is emailed."""
        if org.level == Org.Level.DEPARTMENT and self.department_summary_mailbox:
            return self.department_summary_mailbox
        return self.summary_mailbox or self.organizer.email


class SpecialDay(models.Model):
    """A day inside a week with its own theme, such as Low-Carbon Day."""

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="special_days")
    date = models.DateField(_("日期"))
    name = models.CharField(_("名称"), max_length=100)
    theme = models.CharField(_("主题"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("主题日")
        verbose_name_plural = _("主题日")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["week", "date", "name"], name="special_day_unique")]

    def __str__(self):
        return f"{self.date} {self.name}"

    def clean(self):
        if self.week_id and self.date and not self.week.contains_date(self.date):
            raise ValidationError({"date": _("主题日必须在活动周之内。")})


class Activity(models.Model):
    """One item of a week's programme."""

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("云启动")
        LESSON = "lesson", _("云课堂")
        EXCHANGE = "exchange", _("云兑换")
        LIVESTREAM = "livestream", _("云直播")
        QUIZ = "quiz", _("云竞答")
        LOCAL = "local", _("本地活动")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("按计划")
        CANCELLED = "cancelled", _("已取消")

    # Fields whose change after publication is written to the changelog and raises SEQUENCE.
    TRACKED_FIELDS = ("title", "start", "end", "all_day", "platform", "place", "link", "status", "description")

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="activities")
    uid = models.UUIDField(_("日历标识"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.LOCAL)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    # An all-day activity runs from 00:00 of its first day to 00:00 after its last day (exclusive, as iCal DATE).
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    all_day = models.BooleanField(_("全天"), default=False)
    platform = models.CharField(_("平台"), max_length=200, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    link = models.URLField(_("链接"), max_length=500, blank=True, validators=[http_url_validator])
    audience = models.CharField(_("参与对象"), max_length=200, blank=True)
    organizer = models.ForeignKey(
        Org, verbose_name=_("组织单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    # Why it was cancelled, shown on its page and in the feeds; emptied when it is restored.
    cancel_reason = models.CharField(_("取消原因"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["week", "start"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self, week: Week | None = None):
        return reverse("eventweek:activity", args=[(week or self.week).slug, self.pk])

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("结束时间不能早于开始时间。")
        if self.week_id and self.start and self.end and "end" not in errors:
            week = self.week
            if self.start < week.starts_at or self.start >= week.ends_at:
                errors["start"] = _("开始时间必须在活动周（%(start)s 至 %(end)s）之内。") % {
                    "start": week.start_date,
                    "end": week.end_date,
                }
            elif self.end > week.ends_at:
                errors["end"] = _("结束时间必须在活动周（%(start)s 至 %(end)s）之内。") % {
                    "start": week.start_date,
                    "end": week.end_date,
                }
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start, LOCAL_TZ)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end, LOCAL_TZ)

    @property
    def first_day(self) -> datetime.date:
        return self.local_start.date()

    @property
    def last_day(self) -> datetime.date:
        """The last local day the activity touches (the exclusive end of an all-day activity excluded)."""
        end = self.local_end
        if self.all_day or (end.time() == datetime.time.min and end > self.local_start):
            return (end - datetime.timedelta(microseconds=1)).date()
        return end.date()

    def target_url(self, week: Week | None = None) -> str:
        """Where the QR code points: the platform link, else this activity's public page."""
        return self.link or settings.SITE_URL + self.get_absolute_url(week)


class ActivityChange(models.Model):
    """A public changelog entry for a change to a published activity."""

    class Action(models.TextChoices):
        ADDED = "added", _("新增")
        CHANGED = "changed", _("变更")
        CANCELLED = "cancelled", _("取消")
        RESTORED = "restored", _("恢复")

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="changes")
    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("变更类型"), max_length=20, choices=Action.choices)
    sequence = models.PositiveIntegerField(_("版本"))
    changes = models.JSONField(_("变更内容"), default=list, help_text=_("[{field, label, old, new}]"))
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("变更时间"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.activity} {self.get_action_display()} v{self.sequence}"


class ActivityNotice(OutboxRow):
    """One reminder for one version of an activity to one org; the row is the claim that stops a second send."""

    # The one outbox's statuses (eventweek.outbox): claimed under a lease, backed off, given up after the attempt cap.
    Status = OutboxStatus

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="notices")
    sequence = models.PositiveIntegerField(_("活动版本"))
    org = models.ForeignKey(Org, verbose_name=_("接收单位"), on_delete=models.CASCADE)
    email = models.EmailField(_("邮箱"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动提醒")
        verbose_name_plural = _("活动提醒")
        constraints = [
            models.UniqueConstraint(fields=["activity", "sequence", "org"], name="activity_notice_once_per_version")
        ]

    def __str__(self):
        return f"{self.activity} v{self.sequence} → {self.org}"
