"""Queueing a notice (one delivery row per enabled channel and recipient, in the caller's transaction) and sending
one delivery through the outbox (claimed once, retried with back-off, recorded with the gateway's answer).

Stable API for every notice of the site:

    queue_notice(org, kind, key, subject, body, recipients=None) -> list[Delivery]
    send_delivery(delivery_id) -> bool
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from eventweek.models import Org
from eventweek.outbox import claimable, deliver
from eventweek.phones import normalize_phone
from notifications.models import Channel, ChannelKind, Delivery
from notifications.services.contacts import reminder_contacts
from notifications.services.routing import channels_for_kind
from notifications.services.senders import GatewayError, send_message

logger = logging.getLogger(__name__)

# One run of the retry sweep sends at most this many rows (the next run takes the rest).
RETRY_BATCH = 500


def idempotency_key(notice_key: str, channel_id: int, recipient: str) -> str:
    """The one key of a (notice, channel, recipient): a second queueing of the same notice writes nothing."""
    return f"{notice_key}:{channel_id}:{recipient}"


def _emails(values: Iterable[str]) -> list[str]:
    return [v.strip() for v in values if v and "@" in v]


def _mobiles(values: Iterable[str]) -> list[str]:
    mobiles = []
    for value in values:
        try:
            mobiles.append(normalize_phone(value))
        except ValueError:
            continue
    return mobiles


def recipients_for(channel: Channel, org: Org, recipients: list[str] | None) -> list[str]:
    """Who one channel sends a notice to: email addresses for email, mobiles for SMS, [""] (the group) otherwise.

    Given `recipients` (addresses and/or mobiles), each channel keeps those of its kind. Without them: the email
    channel's configured addresses, else the org's mailbox and its contacts' emails; for SMS the mobiles of the
    org's contacts who receive reminders.
    """
    if channel.kind == ChannelKind.EMAIL:
        if recipients is not None:
            found = _emails(recipients)
        else:
            found = _emails((channel.config or {}).get("addresses") or [])
            if not found:
                found = _emails([org.email, *(c.email for c in reminder_contacts(org))])
    elif channel.kind == ChannelKind.SMS:
        found = _mobiles(recipients if recipients is not None else [c.mobile for c in reminder_contacts(org)])
    else:
        return [""]
    return list(dict.fromkeys(found))  # once each, in order


def queue_notice(
    org: Org, kind: str, key: str, subject: str, body: str, recipients: list[str] | None = None
) -> list[Delivery]:
    """Write one delivery row per (enabled channel chosen for `kind`, recipient) in the caller's transaction and
    send each after commit; rows already queued under the same `key` are left as they are. Returns the new rows.

    `key` names the notice (e.g. f"activity:{activity.pk}:{org.pk}"); `recipients` (addresses and/or mobiles)
    overrides the org's defaults (see `recipients_for`).
    """
    rows = []
    for channel in channels_for_kind(org, kind):
        for recipient in recipients_for(channel, org, recipients):
            rows.append(
                Delivery(
                    org=org,
                    channel=channel,
                    kind=kind,
                    notice_key=key,
                    recipient=recipient,
                    subject=subject[:200],
                    body=body,
                    idempotency_key=idempotency_key(key, channel.pk, recipient),
                )
            )
    if not rows:
        logger.info("notice %s of org %s has no channel or recipient", key, org.pk)
        return []
    keys = [row.idempotency_key for row in rows]
    with transaction.atomic():
        existing = set(Delivery.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
        new = [row for row in rows if row.idempotency_key not in existing]
        # ignore_conflicts: a concurrent queueing of the same notice loses the race quietly, never twice.
        Delivery.objects.bulk_create(new, ignore_conflicts=True)
        created = list(
            Delivery.objects.filter(idempotency_key__in=[r.idempotency_key for r in new], attempts=0).order_by("pk")
        )
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from django_q.tasks import async_task

    for delivery_id in ids:
        async_task("notifications.tasks.send_delivery_task", delivery_id)


def _mentions(row: Delivery) -> list[str]:
    if row.channel.kind in (ChannelKind.WECOM, ChannelKind.DINGTALK) and (row.channel.config or {}).get("at_contacts"):
        return [c.mobile for c in reminder_contacts(row.org)]
    return []


def send_delivery(delivery_id: int, now=None) -> bool:
    """Claim one delivery and send it; True when this call sent it (a duplicated task, or a row already sent or
    being sent, sends nothing). A refusal is recorded in Chinese with the gateway's answer; one that cannot pass by
    trying again (a wrong secret, a message too long) is given up at once (`eventweek.outbox.record_failure`),
    anything else is retried with back-off."""
    outcome: dict = {}

    def send(row: Delivery) -> str:
        outcome["attempts"] = row.attempts
        try:
            answer = send_message(
                row.channel,
                row.recipient,
                row.subject,
                row.body,
                mentions=_mentions(row),
                extra={"kind": row.kind, "key": row.idempotency_key, "org": row.org.code},
            )
        except GatewayError as exc:
            outcome["error"] = exc
            raise
        outcome["answer"] = answer
        return answer.message_id

    def on_sent(row: Delivery, message_id: str) -> None:
        Delivery.objects.filter(pk=row.pk).update(
            provider_message_id=message_id or "", last_answer=outcome["answer"].as_text()
        )

    queryset = Delivery.objects.select_related("channel", "org")
    if deliver(queryset, delivery_id, send, on_sent=on_sent, now=now):
        return True
    error = outcome.get("error")
    if error is not None and error.answer is not None:
        Delivery.objects.filter(pk=delivery_id, attempts=outcome["attempts"]).update(last_answer=error.answer.as_text())
    return False


def retry_deliveries(now=None) -> int:
    """Send the deliveries due again (back-off passed, or a dead worker's lease run out); how many were sent."""
    now = now or timezone.now()
    ids = list(claimable(Delivery.objects.all(), now).order_by("pk").values_list("pk", flat=True)[:RETRY_BATCH])
    return sum(1 for delivery_id in ids if send_delivery(delivery_id, now=now))
