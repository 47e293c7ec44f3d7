"""The one outbox: every notice or delivery row is claimed under a lease, sent, and its outcome recorded, with one
retry policy (back-off 1, 2, 4 … minutes capped at OUTBOX_RETRY_CAP_MINUTES, at most OUTBOX_MAX_ATTEMPTS tries).

Core infrastructure: imports no feature app. Also holds `ensure_schedule`, the one django-q2 Schedule upsert.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败，等待重试")  # retryable
    GAVE_UP = "gave_up", _("已放弃")  # terminal: attempts used up, or no longer wanted after its window


class OutboxRow(models.Model):
    """Abstract base of every notice and delivery row: its status, the claim's lease, the back-off and the outcome."""

    status = models.CharField(
        _("状态"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    # The lease: SENDING since when. A worker that dies mid-send leaves its row SENDING; a later run takes it over
    # once OUTBOX_LEASE_MINUTES have passed.
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    # The back-off: not tried again before this time.
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.TextField(_("最后错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        abstract = True


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed tries: 1, 2, 4, 8 … minutes, capped."""
    if attempts <= 0:
        return datetime.timedelta(0)
    # 2**(attempts-1) grows without bound; cap the exponent so a long-failing row cannot overflow.
    minutes = min(2 ** min(attempts - 1, 30), settings.OUTBOX_RETRY_CAP_MINUTES)
    return datetime.timedelta(minutes=minutes)


def claimable(queryset, now: datetime.datetime | None = None):
    """The rows of `queryset` a worker may claim now: waiting or failed whose back-off has passed, or SENDING under a
    lease that has run out (or was never recorded, by a worker from before leases)."""
    now = now or timezone.now()
    # The lease is far longer than one send may take (EMAIL_TIMEOUT is seconds), so a live claim is never taken twice.
    expired = now - datetime.timedelta(minutes=settings.OUTBOX_LEASE_MINUTES)
    waiting = Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=OutboxStatus.SENDING) & (Q(claimed_at__lte=expired) | Q(claimed_at__isnull=True))
    return queryset.filter(waiting | abandoned)


def record_failure(mine, attempts: int, claimed_at: datetime.datetime, error: Exception) -> bool:
    """Record a failed try on the claim holder's row (`mine`): retried after the back-off, or given up once
    OUTBOX_MAX_ATTEMPTS tries are used or the error says trying again cannot help (`error.retryable` false, e.g. a
    wrong secret or a message too long); True when given up."""
    gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS or not getattr(error, "retryable", True)
    mine.update(
        status=OutboxStatus.GAVE_UP if gave_up else OutboxStatus.FAILED,
        last_error=str(error)[:2000],
        next_attempt_at=None if gave_up else claimed_at + retry_delay(attempts),
    )
    return gave_up


def deliver(
    queryset,
    pk,
    send: Callable,
    *,
    still_wanted: Callable | None = None,
    retire_status: str = OutboxStatus.GAVE_UP,
    on_sent: Callable | None = None,
    now: datetime.datetime | None = None,
) -> bool:
    """Claim one row of `queryset` for a lease, send it and record the outcome; return True when this call sent it.

    The conditional UPDATE is the claim, so a retried task never sends twice while the claim is live, and a row whose
    worker died mid-send is taken over once the lease has run out. `still_wanted(row)`, asked after the claim, may
    retire the row (as `retire_status`) instead. `send(row)` may return a gateway's message id, handed to
    `on_sent(row, result)`. A failure is recorded and retried with back-off until OUTBOX_MAX_ATTEMPTS, then given
    up (at once when it is not retryable, see `record_failure`). Only the claim's holder records the outcome, so a worker whose lease ran out cannot overwrite its successor's.
    """
    model = queryset.model
    claimed_at = now or timezone.now()
    claimed = (
        claimable(queryset, claimed_at)
        .filter(pk=pk)
        .update(status=OutboxStatus.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return False  # someone else holds it, it is sent, or it is not due yet
    mine = model.objects.filter(pk=pk, status=OutboxStatus.SENDING, claimed_at=claimed_at)
    # Read back through the caller's queryset, so its select_related serves send().
    row = queryset.filter(pk=pk, status=OutboxStatus.SENDING, claimed_at=claimed_at).first()
    if row is None:
        return False
    if still_wanted is not None and not still_wanted(row):
        mine.update(status=retire_status)
        return False
    try:
        result = send(row)
    except Exception as exc:  # the gateway's failure is recorded and retried, never dropped
        record_failure(mine, row.attempts, claimed_at, exc)
        logger.warning("%s %s failed (try %s): %s", model._meta.model_name, pk, row.attempts, exc)
        return False
    if mine.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None) != 1:
        logger.warning("%s %s was sent after its claim had run out", model._meta.model_name, pk)
    if on_sent is not None:
        on_sent(row, result)
    return True


def create_once(model, **fields):
    """The new row, or None when its unique constraint says another run made it first (the row is the claim)."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives the refusal
            return model.objects.create(**fields)
    except IntegrityError:
        return None


def ensure_schedule(name: str, func: str, *, minutes: int = 1, **kwargs) -> None:
    """Create or update the django-q2 Schedule `name` (idempotent: safe at every migrate).

    Periodic every `minutes` by default; keyword arguments override the defaults (e.g. schedule_type=Schedule.ONCE,
    next_run=…, args=…).
    """
    from django_q.models import Schedule  # django_q's models need the app registry ready

    defaults = {"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1}
    defaults.update(kwargs)
    Schedule.objects.update_or_create(name=name, defaults=defaults)
