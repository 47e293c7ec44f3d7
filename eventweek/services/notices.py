"""Shared notice mechanism: claim a notice row under a lease, mail it, record the outcome.

Used by activity reminders here and by the report reminders in reporting.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def notice_claim_lease() -> datetime.timedelta:
    """How long a claim holds before another run may take the notice over."""
    # A claim (status SENDING) is a lease of OUTBOX_LEASE_MINUTES: a worker that dies mid-send leaves its row
    # SENDING, and a later run takes it over once the lease has run out. It is far longer than one send may take
    # (EMAIL_TIMEOUT is seconds), so a live claim is never taken twice.
    return datetime.timedelta(minutes=settings.OUTBOX_LEASE_MINUTES)


def claimable_notices(status_field: str = "status") -> Q:
    """Notice rows a worker may claim now: waiting, failed, or SENDING under a lease that has run out.

    A SENDING row without a claim time was left by a worker from before leases were recorded: it is taken over too.
    Shared by every notice model whose statuses are "pending", "sending" and "failed".
    """
    expired = timezone.now() - notice_claim_lease()
    return Q(**{f"{status_field}__in": ["pending", "failed"]}) | (
        Q(**{status_field: "sending"}) & (Q(claimed_at__lte=expired) | Q(claimed_at__isnull=True))
    )


def send_claimed_notice(claimable, notice_id: int, *, subject: str, body: str, to: str, still_wanted=None) -> bool:
    """Claim one notice row for a lease, mail it and record the outcome; return True when this call sent it.

    `claimable` is the queryset of rows a worker may claim now (see `claimable_notices`); its model has the notice
    fields (status with PENDING/SENDING/SENT/FAILED, claimed_at, attempts, last_error, sent_at). The conditional
    update is the claim, so a retried task never sends twice while the claim is live, and a notice whose worker died
    mid-send is taken over once the lease has run out. Only the claim's holder records the outcome, so a worker
    whose lease ran out cannot overwrite its successor's. `still_wanted`, asked after the claim, may retire the
    notice as RECORDED instead (a report filed in the meantime).
    """
    model = claimable.model
    claimed_at = timezone.now()
    claimed = claimable.filter(pk=notice_id).update(
        status=model.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False
    mine = model.objects.filter(pk=notice_id, status=model.Status.SENDING, claimed_at=claimed_at)
    if still_wanted is not None and not still_wanted():
        mine.update(status=model.Status.RECORDED)
        return False
    try:
        send_mail(subject, body, None, [to])
    except Exception as exc:  # the mail server's failure is recorded and retried, never dropped
        mine.update(status=model.Status.FAILED, last_error=str(exc)[:2000])
        logger.warning("%s %s failed: %s", model._meta.model_name, notice_id, exc)
        return False
    if mine.update(status=model.Status.SENT, sent_at=timezone.now(), last_error="") != 1:
        logger.warning("%s %s was sent after its claim had run out", model._meta.model_name, notice_id)
    return True
