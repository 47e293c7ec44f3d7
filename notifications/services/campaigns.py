"""Public-interest SMS campaigns (公益短信): the message's length and segments, queueing the recipients (duplicates,
invalid numbers and opted-out numbers removed and counted), sending now or at a time, stopping and resuming, and the
progress and final tally. The sending itself is `campaign_sending.run_campaign`."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError
from eventweek.models import Org
from eventweek.outbox import OutboxStatus, ensure_schedule
from eventweek.phones import normalize_phone
from notifications.models import Campaign, CampaignRecipient, CampaignStatus, OptOut
from notifications.services.campaign_import import StaffEntry
from notifications.services.routing import sms_channel_for
from notifications.services.senders import SMS_DEFAULT_MAX_CHARS, sms_text

# One SMS holds 70 Chinese characters; a longer one is split into parts of 67 (3 go to the joining header).
SINGLE_SEGMENT_CHARS = 70
MULTI_SEGMENT_CHARS = 67
BULK_BATCH = 2000


def sms_segments(length: int) -> int:
    """How many SMS a text of `length` characters (the sign name included) is billed as: 70 → 1, 71 → 2, 135 → 3."""
    if length <= 0:
        return 0
    if length <= SINGLE_SEGMENT_CHARS:
        return 1
    return math.ceil(length / MULTI_SEGMENT_CHARS)


@dataclass(frozen=True)
class MessageSize:
    sign: str
    chars: int
    segments: int


def message_size(org: Org, message: str) -> MessageSize:
    """The length and segments of the message as phones receive it (with the org's SMS sign name 【…】)."""
    channel = sms_channel_for(org)
    text = sms_text(channel, message) if channel else message
    sign = (channel.config or {}).get("sign_name", "") if channel else ""
    return MessageSize(sign, len(text), sms_segments(len(text)))


def _checked_channel(org: Org, message: str):
    channel = sms_channel_for(org)
    if channel is None:
        raise ValidationError({"message": _("本单位及上级单位都没有启用的短信渠道，请先在“通知渠道”中添加短信网关。")})
    if not message.strip():
        raise ValidationError({"message": _("请填写短信内容。")})
    limit = int((channel.config or {}).get("max_chars") or SMS_DEFAULT_MAX_CHARS)
    size = len(sms_text(channel, message))
    if size > limit:
        raise ValidationError(
            {
                "message": _("短信太长：本网关最多 %(limit)d 字（含签名），这条有 %(size)d 字。")
                % {"limit": limit, "size": size}
            }
        )
    return channel


def queue_recipients(campaign: Campaign, entries: Iterable[StaffEntry]) -> dict:
    """Write one recipient row per distinct normalised mobile (bulk, in batches), skipping invalid and opted-out
    numbers; the three skip counts are added to the campaign. Returns them with the number queued."""
    opted_out_numbers = set(OptOut.objects.values_list("mobile", flat=True))
    seen, rows, errors = set(), [], list(campaign.import_errors)
    invalid = duplicates = opted_out = 0
    for entry in entries:
        try:
            mobile = normalize_phone(entry.mobile)
        except ValueError:
            invalid += 1
            if entry.row and len(errors) < 200:
                errors.append(
                    _("第 %(row)d 行：手机号“%(mobile)s”无效，已跳过。")
                    % {"row": entry.row, "mobile": entry.mobile[:20]}
                )
            continue
        if mobile in seen:
            duplicates += 1
            continue
        seen.add(mobile)
        if mobile in opted_out_numbers:
            opted_out += 1
            continue
        rows.append(CampaignRecipient(campaign=campaign, mobile=mobile, name=entry.name, unit_id=entry.unit_id))
    with transaction.atomic():
        CampaignRecipient.objects.bulk_create(rows, batch_size=BULK_BATCH)
        Campaign.objects.filter(pk=campaign.pk).update(
            invalid_skipped=campaign.invalid_skipped + invalid,
            duplicates_removed=campaign.duplicates_removed + duplicates,
            opted_out=campaign.opted_out + opted_out,
            import_errors=errors,
        )
    campaign.refresh_from_db()
    return {"queued": len(rows), "invalid": invalid, "duplicates": duplicates, "opted_out": opted_out}


def create_campaign(user, org: Org, name: str, message: str, entries: list[StaffEntry], source: str) -> Campaign:
    """A campaign of `org` (not sent yet) with its recipients queued; ValidationError keyed by field otherwise."""
    channel = _checked_channel(org, message)
    if not entries:
        raise ValidationError({"source": _("没有接收人：所选单位及下级单位没有联系人。")})
    with transaction.atomic():
        campaign = Campaign.objects.create(
            org=org, channel=channel, name=name, message=message, source=source[:100], created_by=user
        )
        queue_recipients(campaign, entries)
    return campaign


def _require(campaign: Campaign, allowed: tuple, message: str, **changes) -> None:
    if not Campaign.objects.filter(pk=campaign.pk, status__in=allowed).update(**changes):
        raise DomainError(message)
    campaign.refresh_from_db()


def send_now(campaign: Campaign, user) -> None:
    """Start sending (a draft, a scheduled or a stopped campaign); the runner starts after commit."""
    with transaction.atomic():
        first = campaign.started_at is None
        _require(
            campaign,
            (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.STOPPED),
            _("这条公益短信已在发送或已完成。"),
            status=CampaignStatus.SENDING,
            started_at=campaign.started_at or timezone.now(),
            runner_at=None,
        )
        if first:
            _log_send(campaign, user)
    campaign_id = campaign.pk
    transaction.on_commit(lambda: enqueue_run(campaign_id))


def schedule(campaign: Campaign, user, at: datetime.datetime) -> None:
    """Send the campaign at `at` (a one-off django-q2 schedule)."""
    if at <= timezone.now():
        raise ValidationError({"at": _("定时发送时间须晚于现在。")})
    with transaction.atomic():
        _require(
            campaign,
            (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED),
            _("只有尚未发送的公益短信可以定时。"),
            status=CampaignStatus.SCHEDULED,
            scheduled_at=at,
        )
        _log_send(campaign, user, scheduled_at=at.isoformat())
    from django_q.models import Schedule

    campaign_id = campaign.pk
    transaction.on_commit(
        lambda: ensure_schedule(
            f"notifications:campaign:{campaign_id}",
            "notifications.tasks.start_scheduled_campaign_task",
            minutes=None,
            args=repr((campaign_id,)),
            schedule_type=Schedule.ONCE,
            next_run=at,
        )
    )


def start_scheduled(campaign_id: int) -> bool:
    """The schedule's run: a campaign still scheduled starts sending (a stopped one stays stopped)."""
    started = Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SCHEDULED).update(
        status=CampaignStatus.SENDING, started_at=timezone.now(), runner_at=None
    )
    if started:
        enqueue_run(campaign_id)
    return bool(started)


def stop(campaign: Campaign) -> None:
    """Stop a sending or scheduled campaign: the runner stops before its next message; nothing sent is lost."""
    _require(
        campaign,
        (CampaignStatus.SENDING, CampaignStatus.SCHEDULED),
        _("只有发送中或已定时的公益短信可以暂停。"),
        status=CampaignStatus.STOPPED,
    )


def resume(campaign: Campaign, user) -> None:
    """Send the rest of a stopped campaign: rows already sent are never sent again."""
    if campaign.status != CampaignStatus.STOPPED:
        raise DomainError(_("只有已暂停的公益短信可以继续发送。"))
    send_now(campaign, user)


def enqueue_run(campaign_id: int) -> None:
    """Queue the campaign's runner task."""
    from django_q.tasks import async_task

    async_task("notifications.tasks.run_campaign_task", campaign_id)


def _log_send(campaign: Campaign, user, **data) -> None:
    # The campaign sends the staff's mobiles to a gateway: personal data leaving the site, so it is audited.
    total = CampaignRecipient.objects.filter(campaign=campaign).count()
    log_action(user, actions.SMS_CAMPAIGN_SEND, campaign, org=campaign.org, data={"recipients": total, **data})


def tally(campaign: Campaign) -> dict:
    """Progress and final tally: sent, failed, remaining, invalid numbers skipped, duplicates removed, opted out."""
    counts = {"sent": 0, "failed": 0, "remaining": 0, "opted_out": campaign.opted_out}
    rows = CampaignRecipient.objects.filter(campaign=campaign).values("status", "opted_out").annotate(n=Count("pk"))
    for row in rows:
        if row["status"] == OutboxStatus.SENT:
            counts["sent"] += row["n"]
        elif row["status"] == OutboxStatus.GAVE_UP:
            counts["opted_out" if row["opted_out"] else "failed"] += row["n"]
        else:
            counts["remaining"] += row["n"]
    counts.update(
        invalid=campaign.invalid_skipped,
        duplicates=campaign.duplicates_removed,
        total=counts["sent"] + counts["failed"] + counts["remaining"],
        status=campaign.status,
        status_label=str(campaign.get_status_display()),
    )
    return counts
