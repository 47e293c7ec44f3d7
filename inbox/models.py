"""An inbox entry: one thing a child org sent upward, addressed to the org that receives it.

A new kind (e.g. the case-call entries) is one more `Kind` choice and one more nullable source field; the check
constraint keeps each entry pointing at exactly the source its kind names.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Forwarding
from eventweek.models import Org, Week
from reporting.models import ForwardedPackage, SummarySubmission


class InboxEntry(models.Model):
    """Something sent to `receiver` by `sender`: delivered when created, then read, adopted and answered."""

    class Kind(models.TextChoices):
        PACKAGE = "package", _("亮点")
        SUMMARY = "summary", _("总结")
        CALL = "call", _("案例征文")

    class Status(models.TextChoices):
        UNREAD = "unread", _("未读")
        READ = "read", _("已阅")
        ADOPTED = "adopted", _("已采用")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    sender = models.ForeignKey(Org, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Org, verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="inbox")
    week = models.ForeignKey(
        Week, verbose_name=_("接收单位的活动周"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=300)
    package = models.OneToOneField(
        ForwardedPackage,
        verbose_name=_("亮点包"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_entry",
    )
    submission = models.OneToOneField(
        SummarySubmission,
        verbose_name=_("总结报送"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_entry",
    )
    forwarding = models.OneToOneField(
        Forwarding,
        verbose_name=_("案例征文报送"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_entry",
    )
    sent_at = models.DateTimeField(_("送达时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("阅读人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("采用人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("回复意见"), blank=True)
    comment_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    comment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("到达通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("收件")
        verbose_name_plural = _("收件")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["receiver", "-sent_at"], name="inbox_receiver_sent")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="package", package__isnull=False, submission__isnull=True, forwarding__isnull=True))
                | (Q(kind="summary", submission__isnull=False, package__isnull=True, forwarding__isnull=True))
                | (Q(kind="call", forwarding__isnull=False, package__isnull=True, submission__isnull=True)),
                name="inbox_entry_source_matches_kind",
            )
        ]

    def __str__(self):
        return f"{self.sender} → {self.receiver}：{self.title}"

    @property
    def status(self) -> str:
        if self.adopted_at:
            return self.Status.ADOPTED
        if self.read_at:
            return self.Status.READ
        return self.Status.UNREAD

    def get_status_display(self) -> str:
        return self.Status(self.status).label
