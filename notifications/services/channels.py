"""Saving an org's channels and sending a test message to one of them, with the gateway's actual answer."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from eventweek.models import Org
from notifications.models import Channel, ChannelKind
from notifications.services.senders import GatewayAnswer, GatewayError, send_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrialResult:
    """The outcome of a test message: accepted or not, the Chinese explanation, and the gateway's masked answer."""

    ok: bool
    message: str
    answer: GatewayAnswer | None


@transaction.atomic
def save_channel(channel: Channel, org: Org | None = None) -> Channel:
    """Save a channel (new ones for `org`)."""
    if org is not None and channel.org_id is None:
        channel.org = org
    channel.save()
    return channel


@transaction.atomic
def set_channel_enabled(channel: Channel, enabled: bool) -> Channel:
    """Turn a channel on or off (an off channel is skipped by every notice)."""
    channel.enabled = enabled
    channel.save(update_fields=["enabled", "updated_at"])
    return channel


def trial_recipient(channel: Channel, user) -> str:
    """Who a test message goes to: the first configured address (email), the admin's own mobile (SMS), the group."""
    if channel.kind == ChannelKind.EMAIL:
        addresses = (channel.config or {}).get("addresses") or []
        return addresses[0] if addresses else (channel.org.email or user.email)
    if channel.kind == ChannelKind.SMS:
        return (channel.config or {}).get("test_mobile") or user.phone
    return ""


def send_test_message(channel: Channel, user) -> TrialResult:
    """Send a test message to the channel now (not through the outbox) and say what the gateway answered."""
    recipient = trial_recipient(channel, user)
    if channel.kind in (ChannelKind.EMAIL, ChannelKind.SMS) and not recipient:
        return TrialResult(False, _("没有可用的测试接收人：请先在渠道中填写邮箱或测试手机号。"), None)
    subject = _("测试消息")
    body = _("这是来自节能宣传周平台的测试消息（%(org)s · %(name)s）。") % {
        "org": channel.org.display_name,
        "name": channel.name,
    }
    try:
        answer = send_message(channel, recipient, subject, body)
    except GatewayError as exc:
        logger.info("test message on channel %s refused: %s", channel.pk, exc)
        return TrialResult(False, str(exc), exc.answer)
    return TrialResult(True, _("网关已接收测试消息。"), answer)
