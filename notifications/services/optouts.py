"""The opt-out list every campaign respects: a recipient's reply of TD/退订 (reported by the gateway to
/notifications/sms/replies/) or an admin's entry.

The reply endpoint takes a JSON POST {"channel": <SMS channel id>, "mobile": "13812345678", "content": "TD"} (other
fields ignored), authenticated either by `X-Eventweek-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed by
the channel's key, or by `X-Reply-Token: <token>` equal to the channel's config "reply_token".
"""

import hmac
import json
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import Org
from eventweek.phones import normalize_phone
from notifications.models import Channel, ChannelKind, OptOut, OptOutSource
from notifications.services.senders import webhook_signature

# What a recipient replies to unsubscribe (after NFKC, upper case, spaces and punctuation stripped).
OPT_OUT_WORDS = {"TD", "退订", "T", "N", "取消", "退订短信"}


def add_opt_out(mobile: str, source: str, org: Org | None = None) -> tuple[OptOut, bool]:
    """Put the number on the opt-out list (normalised; once); (row, created). ValueError for an invalid number."""
    normalised = normalize_phone(mobile)
    return OptOut.objects.get_or_create(mobile=normalised, defaults={"source": source, "org": org})


def add_opt_out_by_admin(mobile: str, org: Org) -> OptOut:
    """An admin's entry; a ValidationError keyed "mobile" for an invalid number."""
    try:
        row, _created = add_opt_out(mobile, OptOutSource.ADMIN, org)
    except ValueError as exc:
        raise ValidationError({"mobile": str(exc)}) from None
    return row


def remove_opt_out(row: OptOut) -> None:
    """Take a number off the list (the person asked to receive campaigns again)."""
    row.delete()


def is_opt_out_reply(content: str) -> bool:
    """True for a reply meaning "unsubscribe": TD, td, ＴＤ, 退订, "退订。" …"""
    text = unicodedata.normalize("NFKC", content or "").upper()
    text = "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch).startswith("P")))
    return text in OPT_OUT_WORDS


def _authenticated_channel(raw: bytes, headers) -> Channel:
    try:
        payload = json.loads(raw or b"{}")
        channel_id = int(payload.get("channel"))
    except (ValueError, TypeError, AttributeError):
        raise DomainError(_("回复数据无效：须为含 channel、mobile、content 的 JSON。")) from None
    channel = Channel.objects.filter(pk=channel_id, kind=ChannelKind.SMS).select_related("org").first()
    signature = headers.get("X-Eventweek-Signature", "")
    token = headers.get("X-Reply-Token", "")
    expected_token = str((channel.config or {}).get("reply_token", "")) if channel else ""
    ok = channel is not None and (
        (channel.secret and signature and hmac.compare_digest(signature, webhook_signature(channel.secret, raw)))
        or (expected_token and token and hmac.compare_digest(token, expected_token))
    )
    if not ok:
        raise PermissionError(_("签名或令牌无效。"))
    return channel


@transaction.atomic
def receive_reply(raw: bytes, headers) -> bool:
    """A gateway's report of a recipient's reply; True when it put the number on the opt-out list. PermissionError
    when unauthenticated, DomainError for a malformed payload."""
    channel = _authenticated_channel(raw, headers)
    payload = json.loads(raw)
    if not is_opt_out_reply(str(payload.get("content", ""))):
        return False
    try:
        _row, created = add_opt_out(str(payload.get("mobile", "")), OptOutSource.REPLY, channel.org)
    except ValueError:
        raise DomainError(_("回复数据无效：手机号无效。")) from None
    return created
