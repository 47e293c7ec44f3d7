"""Channels an org sends through, which of them each kind of notice uses, the org's contacts, and one delivery row
per (notice, channel, recipient)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eventweek.models import Org
from eventweek.outbox import OutboxRow


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信网关")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WEBHOOK = "webhook", _("通用 Webhook")


class NoticeKind(models.TextChoices):
    ACTIVITY_REMINDER = "activity_reminder", _("活动提醒")
    REPORT_MISSING = "report_missing", _("未报送提醒")
    SUMMARY_DEADLINE = "summary_deadline", _("总结截止提醒")
    QUIZ_OPEN = "quiz_open", _("竞答开始")
    RECEIPT = "receipt", _("收件回执")
    TEST = "test", _("测试消息")


# The kinds an org routes on its settings page (the test message always goes to the one channel tested).
ROUTED_KINDS = [kind for kind in NoticeKind if kind != NoticeKind.TEST]


class Channel(models.Model):
    """One way an org is reached: a mailbox list, an SMS gateway, a WeCom or DingTalk group robot, or a webhook.

    `secret` (the SMS gateway's key, DingTalk's signing secret, the webhook's HMAC secret) and the query string of
    `url` (WeCom's key, DingTalk's access_token) are credentials: shown back only masked (`masked_secret`,
    `masked_url`), never logged. `config` holds the kind's plain settings (addresses, sign name, template id,
    maximum length, message format, DingTalk mode and keyword).
    """

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("类型"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    enabled = models.BooleanField(_("启用"), default=True)
    url = models.CharField(_("地址"), max_length=1000, blank=True)
    secret = models.CharField(_("密钥"), max_length=500, blank=True)
    config = models.JSONField(_("配置"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知渠道")
        verbose_name_plural = _("通知渠道")
        ordering = ["org__path", "kind", "name", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"

    @property
    def masked_secret(self) -> str:
        """The secret as shown on pages: "SEC…a1b2" (first 3 and last 4 characters) or "" when there is none."""
        return mask_secret(self.secret)

    @property
    def masked_url(self) -> str:
        """The address with every query value masked (WeCom's key and DingTalk's access_token live there)."""
        return mask_url(self.url)


def mask_secret(secret: str) -> str:
    """'SEC0123456789a1b2' → 'SEC…a1b2'; a secret too short to show any of it safely → '…'."""
    if not secret:
        return ""
    if len(secret) < 12:
        return "…"
    return f"{secret[:3]}…{secret[-4:]}"


def mask_url(url: str) -> str:
    """'https://h/send?key=abcdef0123456789' → 'https://h/send?key=abc…6789' (every query value masked)."""
    if "?" not in url:
        return url
    base, _sep, query = url.partition("?")
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        parts.append(f"{name}{eq}{mask_secret(value)}" if eq else pair)
    return f"{base}?{'&'.join(parts)}"


class NoticeRoute(models.Model):
    """Which of an org's channels carry one kind of notice. No row: the org's email (the default)."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="notice_routes")
    kind = models.CharField(_("通知类型"), max_length=40, choices=NoticeKind.choices)
    channels = models.ManyToManyField(Channel, verbose_name=_("渠道"), blank=True, related_name="routes")

    class Meta:
        verbose_name = _("通知渠道选择")
        verbose_name_plural = _("通知渠道选择")
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="notice_route_one_per_org_kind")]

    def __str__(self):
        return f"{self.org} · {self.get_kind_display()}"


class Contact(models.Model):
    """A unit contact: the person and mobile (and optional email) that receive reminders for the org."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("联系人"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=20, help_text=_("11 位手机号，例如 13812345678"))
    email = models.EmailField(_("邮箱"), blank=True)
    receives_reminders = models.BooleanField(_("接收提醒"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位联系人")
        verbose_name_plural = _("单位联系人")
        ordering = ["org__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "mobile"], name="contact_one_mobile_per_org")]

    def __str__(self):
        return self.name


class Delivery(OutboxRow):
    """One message to one recipient over one channel, for one notice: written in the transaction of its cause, sent
    once by `notifications.services.deliveries.send_delivery` (the outbox's claim), retried with back-off.

    `recipient` is an email address (email), a mobile (SMS), or "" for a group robot or a webhook (the group is the
    recipient). `idempotency_key` is f"{notice_key}:{channel_id}:{recipient}", so queueing a notice twice writes no
    second row.
    """

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(Channel, verbose_name=_("渠道"), on_delete=models.PROTECT, related_name="deliveries")
    kind = models.CharField(_("通知类型"), max_length=40, choices=NoticeKind.choices)
    notice_key = models.CharField(_("通知标识"), max_length=200, db_index=True)
    recipient = models.CharField(_("接收人"), max_length=254, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    idempotency_key = models.CharField(_("幂等键"), max_length=500, unique=True)
    provider_message_id = models.CharField(_("网关消息编号"), max_length=200, blank=True)
    # The gateway's last answer (HTTP status and body, secrets masked), as the delivery log shows it.
    last_answer = models.TextField(_("网关最后应答"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["org", "status"], name="delivery_org_status")]

    def __str__(self):
        return self.idempotency_key


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("待发送")
    SCHEDULED = "scheduled", _("已定时")
    SENDING = "sending", _("发送中")
    STOPPED = "stopped", _("已暂停")
    DONE = "done", _("已完成")


class Campaign(models.Model):
    """A public-interest SMS campaign (公益短信): one message, sent by an org admin to a staff list imported from .xlsx
    or to the contacts of an org subtree, batched at SMS_CAMPAIGN_RATE messages a second.

    The skip counters are fixed when the recipients are queued; the sent and failed counts are read from the rows.
    """

    org = models.ForeignKey(Org, verbose_name=_("组织单位"), on_delete=models.CASCADE, related_name="campaigns")
    channel = models.ForeignKey(
        Channel, verbose_name=_("短信渠道"), on_delete=models.PROTECT, related_name="campaigns", null=True
    )
    name = models.CharField(_("名称"), max_length=100)
    message = models.TextField(_("短信内容"))
    status = models.CharField(_("状态"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    source = models.CharField(_("接收人来源"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        "eventweek.User", verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    scheduled_at = models.DateTimeField(_("定时发送时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The one runner of a sending campaign: its heartbeat; a stale one is taken over by the sweep.
    runner_at = models.DateTimeField(_("发送进程心跳"), null=True, blank=True)
    invalid_skipped = models.PositiveIntegerField(_("无效号码（已跳过）"), default=0)
    duplicates_removed = models.PositiveIntegerField(_("重复号码（已去除）"), default=0)
    opted_out = models.PositiveIntegerField(_("已退订（已跳过）"), default=0)
    # Row-level messages of the import ("第 5 行：手机号…"), shown on the campaign's page.
    import_errors = models.JSONField(_("导入提示"), default=list, blank=True)

    class Meta:
        verbose_name = _("公益短信")
        verbose_name_plural = _("公益短信")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


class CampaignRecipient(OutboxRow):
    """One mobile of a campaign: unique per (campaign, mobile), claimed in batches before its send, recorded after."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("公益短信"), on_delete=models.CASCADE, related_name="recipients"
    )
    mobile = models.CharField(_("手机号"), max_length=20)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.SET_NULL, null=True, related_name="+")
    provider_message_id = models.CharField(_("网关消息编号"), max_length=200, blank=True)
    # Put on the opt-out list after it was queued: retired at its send, counted with the campaign's opted_out.
    opted_out = models.BooleanField(_("已退订"), default=False)

    class Meta:
        verbose_name = _("公益短信接收人")
        verbose_name_plural = _("公益短信接收人")
        constraints = [models.UniqueConstraint(fields=["campaign", "mobile"], name="campaign_one_row_per_mobile")]
        indexes = [models.Index(fields=["campaign", "status"], name="campaign_recipient_status")]

    def __str__(self):
        return self.mobile


class OptOutSource(models.TextChoices):
    REPLY = "reply", _("短信回复退订")
    ADMIN = "admin", _("管理员登记")


class OptOut(models.Model):
    """A mobile that receives no campaign any more: its reply of TD/退订, or an admin's entry."""

    mobile = models.CharField(_("手机号"), max_length=20, unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=OptOutSource.choices)
    org = models.ForeignKey(
        Org, verbose_name=_("登记单位"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("退订时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短信退订")
        verbose_name_plural = _("短信退订")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.mobile
