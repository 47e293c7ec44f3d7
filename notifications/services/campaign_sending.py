"""Sending a campaign: one runner at a time per campaign, batches claimed with one conditional UPDATE, each row
recorded as soon as its send returns, paced at SMS_CAMPAIGN_RATE messages a second with up to SENDERS in flight.

A row is SENDING (claimed, with its lease) before its message leaves and SENT right after the gateway accepted it,
so a stopped and resumed campaign sends no number twice; a killed runner's claimed rows and the campaign itself are
taken over once OUTBOX_LEASE_MINUTES have passed (the sweep every minute).
"""

import datetime
import logging
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.outbox import OutboxStatus, claimable, record_failure
from notifications.models import Campaign, CampaignRecipient, CampaignStatus, OptOut
from notifications.services.campaigns import enqueue_run
from notifications.services.senders import GatewayError, send_sms

logger = logging.getLogger(__name__)

# A batch holds this many seconds of sends at the rate: far below the lease, so a live claim is never taken over.
BATCH_SECONDS = 5
# …and at most this many rows (the ids of a claim go into one statement's parameters).
MAX_BATCH = 1000
# One task sends for at most this long, then queues the next (django-q2 kills a task after 300 s).
SLICE_SECONDS = 120
# Messages in flight at once: a real gateway answers in tens of milliseconds, so one at a time could not reach 200 a
# second. The runner alone touches the database (claims and records); the sender threads only talk to the gateway.
SENDERS = 8
# How often (in messages) the runner looks whether the campaign was stopped.
STOP_CHECK_EVERY = 20


def _lease() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.OUTBOX_LEASE_MINUTES)


def _take_runner(campaign_id: int):
    """Become the campaign's one runner (a conditional UPDATE): the heartbeat set, or None when another runs it."""
    now = timezone.now()
    taken = (
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING)
        .filter(Q(runner_at__isnull=True) | Q(runner_at__lte=now - _lease()))
        .update(runner_at=now)
    )
    return now if taken else None


def _claim_batch(campaign: Campaign, size: int):
    """Claim up to `size` due rows with one conditional UPDATE; (claim time, rows) of those this runner holds."""
    now = timezone.now()
    rows = CampaignRecipient.objects.filter(campaign=campaign)
    ids = list(claimable(rows, now).order_by("pk").values_list("pk", flat=True)[:size])
    if not ids:
        return now, []
    claimable(CampaignRecipient.objects.filter(pk__in=ids), now).update(
        status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    mine = rows.filter(pk__in=ids, status=OutboxStatus.SENDING, claimed_at=now).order_by("pk")
    return now, list(mine.values_list("pk", "mobile", "attempts"))


def run_campaign(campaign_id: int, *, slice_seconds: float = SLICE_SECONDS) -> dict:
    """Send a campaign's due rows for up to `slice_seconds`, then hand over to a new task; marks it done when no row
    is left to send. Returns {"sent", "failed", "ran"}."""
    heartbeat = _take_runner(campaign_id)
    if heartbeat is None:
        return {"sent": 0, "failed": 0, "ran": False}
    campaign = Campaign.objects.select_related("channel").get(pk=campaign_id)
    rate = settings.SMS_CAMPAIGN_RATE
    started = time.monotonic()
    done = {"sent": 0, "failed": 0, "ran": True}
    paced = 0
    more = False
    in_flight: dict = {}  # future -> (pk, attempts, claimed_at)
    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="campaign-send") as pool:
        while True:
            if time.monotonic() - started >= slice_seconds:
                more = True
                break
            claimed_at, batch = _claim_batch(campaign, min(max(1, rate * BATCH_SECONDS), MAX_BATCH))
            if not batch:
                break
            now = timezone.now()
            if not Campaign.objects.filter(pk=campaign_id, runner_at=heartbeat).update(runner_at=now):
                _release(batch, claimed_at)  # the campaign was taken over: its new runner sends these
                return done
            heartbeat = now
            opted_out = set(
                OptOut.objects.filter(mobile__in=[m for _pk, m, _a in batch]).values_list("mobile", flat=True)
            )
            for position, (pk, mobile, attempts) in enumerate(batch):
                if position % STOP_CHECK_EVERY == 0 and not _still_sending(campaign_id):
                    _record(in_flight, done, everything=True)
                    _release(batch[position:], claimed_at)
                    _end_run(campaign_id, heartbeat)
                    return done
                if mobile in opted_out:
                    _mine(pk, claimed_at).update(status=OutboxStatus.GAVE_UP, opted_out=True, last_error=_("已退订"))
                    continue
                if len(in_flight) >= SENDERS:
                    _record(in_flight, done, block=True)
                # Pace from the run's start: never ahead of the rate, and a slow send is caught up on.
                wait_s = started + paced / rate - time.monotonic()
                if wait_s > 0:
                    time.sleep(wait_s)
                paced += 1
                future = pool.submit(_gateway_answer, campaign.channel, mobile, campaign.message)
                in_flight[future] = (pk, attempts, claimed_at)
                _record(in_flight, done)
            _record(in_flight, done, everything=True)  # a batch is recorded in full before the next claim
    _end_run(campaign_id, heartbeat, more=more)
    return done


def _gateway_answer(channel, mobile: str, message: str):
    """In a sender thread: the gateway's answer, or its refusal (no database here: the runner records)."""
    try:
        return send_sms(channel, mobile, message)
    except GatewayError as exc:
        return exc


def _mine(pk: int, claimed_at):
    """The row while this runner's claim holds: only the claim's holder records the outcome."""
    return CampaignRecipient.objects.filter(pk=pk, status=OutboxStatus.SENDING, claimed_at=claimed_at)


def _record(in_flight: dict, done: dict, *, block: bool = False, everything: bool = False) -> None:
    """Record the sends that have finished (at least one when `block`, all of them when `everything`)."""
    if not in_flight:
        return
    if everything:
        finished, _pending = wait(in_flight)
    else:
        finished, _pending = wait(in_flight, timeout=None if block else 0, return_when=FIRST_COMPLETED)
    for future in finished:
        pk, attempts, claimed_at = in_flight.pop(future)
        outcome = future.result()
        mine = _mine(pk, claimed_at)
        if isinstance(outcome, GatewayError):
            record_failure(mine, attempts, claimed_at, outcome)
            done["failed"] += 1
        else:
            mine.update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), provider_message_id=outcome.message_id, last_error=""
            )
            done["sent"] += 1


def _still_sending(campaign_id: int) -> bool:
    return Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).exists()


def _release(batch, claimed_at) -> None:
    """Give claimed rows not sent back (a stop): the claim's try is not counted."""
    CampaignRecipient.objects.filter(
        pk__in=[pk for pk, _m, _a in batch], status=OutboxStatus.SENDING, claimed_at=claimed_at
    ).update(status=OutboxStatus.PENDING, claimed_at=None, attempts=F("attempts") - 1)


def _end_run(campaign_id: int, heartbeat, *, more: bool = False) -> None:
    """Let go of the campaign: done when no row is left to send, else the next task (or the sweep) goes on."""
    Campaign.objects.filter(pk=campaign_id, runner_at=heartbeat).update(runner_at=None)
    left = CampaignRecipient.objects.filter(
        campaign_id=campaign_id, status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED]
    ).exists()
    if not left:
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.DONE, finished_at=timezone.now()
        )
    elif more:
        enqueue_run(campaign_id)


def resume_stalled_campaigns() -> int:
    """Every minute: run again each sending campaign with no live runner (one killed, or rows waiting on back-off)."""
    stale = timezone.now() - _lease()
    ids = list(
        Campaign.objects.filter(status=CampaignStatus.SENDING)
        .filter(Q(runner_at__isnull=True) | Q(runner_at__lte=stale))
        .values_list("pk", flat=True)
    )
    for campaign_id in ids:
        enqueue_run(campaign_id)
    return len(ids)
