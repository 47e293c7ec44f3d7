"""Week summaries, their versions and their submissions upward."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventweek.models import Org, Week
from eventweek.outbox import OutboxRow, OutboxStatus
from reporting.models.reports import private_storage

__all__ = ["Summary", "SummaryPdfJob", "SummaryPicture", "SummaryReminder", "SummarySubmission", "SummaryVersion"]


def summary_picture_path(instance, filename: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"summaries/{instance.summary_id}/{stamp}.{filename.rsplit('.', 1)[-1].lower()}"


class Summary(models.Model):
    """One org's summary of one week.

    For the week's own organizer (a province in its provincial week) it goes to the parent week's organizer by the
    parent week's summary_due_at; for any other org (a city in the provincial week) it goes to the week's organizer by
    the week's summary_due_at.
    """

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="summaries")
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="summaries")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    char_count = models.PositiveIntegerField(_("字数"), default=0, help_text=_("标题、正文和图片说明的字数"))
    version = models.PositiveIntegerField(_("版本"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("活动周总结")
        verbose_name_plural = _("活动周总结")
        ordering = ["week", "org__path"]
        constraints = [models.UniqueConstraint(fields=["week", "org"], name="summary_once_per_week_org")]

    def __str__(self):
        return f"{self.org.display_name} · {self.title}"

    @property
    def char_limit(self) -> int:
        week = self.receiving_week or self.week
        return week.summary_char_limit

    @property
    def excess(self) -> int:
        return max(0, self.char_count - self.char_limit)

    @property
    def is_over_limit(self) -> bool:
        return self.char_count > self.char_limit

    @property
    def is_own_week(self) -> bool:
        return self.org_id == self.week.organizer_id

    @staticmethod
    def receiving_week_for(week: Week, org: Org) -> Week | None:
        """The week whose organizer receives org's summary of week: the parent week for the week's own organizer
        (None at the top of the tree), the week itself for any org under it. The one place this rule is written."""
        return week.parent if org.pk == week.organizer_id else week

    @property
    def receiving_week(self) -> Week | None:
        """The week whose organizer receives this summary (None for the top of the tree)."""
        return self.receiving_week_for(self.week, self.org)

    @property
    def due_at(self) -> datetime.datetime | None:
        week = self.receiving_week
        return week.summary_due_at if week else None

    @property
    def mailbox(self) -> str:
        week = self.receiving_week
        return week.summary_mailbox_for(self.org) if week else ""


class SummaryPictureQuerySet(models.QuerySet):
    def current(self):
        """The pictures in the summary now; removed ones stay for the versions that hold them."""
        return self.filter(removed_at__isnull=True)


class SummaryPicture(models.Model):
    """A picture chosen for the summary, printed in the document with its caption below.

    Removing a picture from the summary only marks it removed: the versions saved or submitted with it keep it.
    """

    summary = models.ForeignKey(Summary, verbose_name=_("总结"), on_delete=models.CASCADE, related_name="pictures")
    image = models.FileField(_("图片"), upload_to=summary_picture_path, storage=private_storage, max_length=200)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如“亮点 12”，上传的图片为空"))
    width = models.PositiveIntegerField(_("宽度"), default=0)
    height = models.PositiveIntegerField(_("高度"), default=0)
    content_type = models.CharField(_("文件类型"), max_length=50, blank=True, help_text=_("由图片内容识别"))
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    objects = SummaryPictureQuerySet.as_manager()

    class Meta:
        verbose_name = _("总结图片")
        verbose_name_plural = _("总结图片")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class SummaryVersion(models.Model):
    """Every saved state of a summary, kept."""

    summary = models.ForeignKey(Summary, verbose_name=_("总结"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    pictures = models.JSONField(_("图片"), default=list, help_text=_("[{id, caption}]"))
    char_count = models.PositiveIntegerField(_("字数"), default=0)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    saved_at = models.DateTimeField(_("保存时间"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("保存人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("总结版本")
        verbose_name_plural = _("总结版本")
        ordering = ["summary", "-number"]
        constraints = [models.UniqueConstraint(fields=["summary", "number"], name="summary_version_unique")]

    def __str__(self):
        return f"{self.summary} v{self.number}"


class SummarySubmission(OutboxRow):
    """One submission of a summary version upward, and the email that carries it: what, when, to whom.

    The outbox fields (status, attempts, claimed_at, next_attempt_at, last_error, sent_at) are the email's: it goes
    through the one outbox (eventweek.outbox) like every notice.
    """

    class MailStatus(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，等待重试")
        GAVE_UP = "gave_up", _("已放弃")
        NONE = "none", _("无需发送")  # no mailbox to send to: never claimed

    summary = models.ForeignKey(Summary, verbose_name=_("总结"), on_delete=models.CASCADE, related_name="submissions")
    version = models.ForeignKey(SummaryVersion, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Org, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期"), default=False)
    char_count = models.PositiveIntegerField(_("字数"), default=0)
    # The email: the attachment is rebuilt from the version at each attempt, so a retry sends the same document.
    mailbox = models.EmailField(_("收件邮箱"), blank=True)
    subject = models.CharField(_("邮件主题"), max_length=300, blank=True)
    attachment_name = models.CharField(_("附件名"), max_length=200, blank=True)
    attachment_size = models.PositiveIntegerField(_("附件大小"), default=0)
    status = models.CharField(
        _("邮件状态"), max_length=20, choices=MailStatus.choices, default=MailStatus.PENDING, db_index=True
    )

    class Meta:
        verbose_name = _("总结报送")
        verbose_name_plural = _("总结报送")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.summary} → {self.to_org}"

    @property
    def mail_pending(self) -> bool:
        return self.status in {self.MailStatus.PENDING, self.MailStatus.SENDING, self.MailStatus.FAILED}


class SummaryReminder(OutboxRow):
    """A reminder to an org that has not submitted its summary: one row per deadline, sent once through the one
    outbox (eventweek.outbox): claimed under a lease, retried with back-off, given up after the attempt cap."""

    Status = OutboxStatus

    week = models.ForeignKey(Week, verbose_name=_("活动周"), on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(_("截止时间"))
    email = models.EmailField(_("邮箱"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("总结提醒")
        verbose_name_plural = _("总结提醒")
        constraints = [models.UniqueConstraint(fields=["week", "org", "due_at"], name="summary_reminder_once")]

    def __str__(self):
        return f"{self.org} {self.due_at:%Y-%m-%d}"


class SummaryPdfJob(models.Model):
    """A PDF of a summary made by LibreOffice in a django-q2 task, never inside a request; the page polls its status.

    Like the quiz exports: a conditional update claims the job and numbers the claim (`attempts`); the run writes
    `heartbeat_at` as it goes, and a job silent for longer than the lease lost its worker: the sweep queues it again or,
    after the allowed attempts, marks it failed with a message.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    summary = models.ForeignKey(Summary, verbose_name=_("总结"), on_delete=models.CASCADE, related_name="pdf_jobs")
    version = models.ForeignKey(
        SummaryVersion, verbose_name=_("版本"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )  # None: the current text (the office); else the version shown (the orgs above see the submitted one)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0, help_text=_("百分比"))
    file = models.CharField(_("文件"), max_length=300, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)

    class Meta:
        verbose_name = _("总结 PDF 任务")
        verbose_name_plural = _("总结 PDF 任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.summary} PDF {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else self.progress
