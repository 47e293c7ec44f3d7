"""The lease of a background job row (a quiz export, a summary PDF): a numbered claim, its heartbeat, the sweep.

A job row has `status` (Status.PENDING / RUNNING / FAILED), `attempts`, `heartbeat_at`, `created_at` and
`finished_at`. A conditional update claims a PENDING job and numbers the claim (`attempts`), so a retried task never
runs twice; every later write goes through the returned queryset, so only the claim's holder records anything. A job
silent for longer than the lease lost its worker: the sweep queues it again or, after the allowed runs, fails it.
"""

import datetime
from collections.abc import Callable

from django.db.models import Model, Q, QuerySet
from django.utils import timezone


def claim_job(model: type[Model], job_id: int, **fields) -> QuerySet | None:
    """Claim a pending job (RUNNING, one more attempt, a fresh heartbeat, `fields`); the claim's queryset, or None."""
    pending = model.Status.PENDING
    attempts = model.objects.filter(pk=job_id, status=pending).values_list("attempts", flat=True).first()
    if attempts is None:
        return None
    claimed = model.objects.filter(pk=job_id, status=pending, attempts=attempts).update(
        status=model.Status.RUNNING, attempts=attempts + 1, heartbeat_at=timezone.now(), **fields
    )
    if claimed != 1:
        return None
    return model.objects.filter(pk=job_id, status=model.Status.RUNNING, attempts=attempts + 1)


def sweep_stale_jobs(
    model: type[Model],
    *,
    lease: datetime.timedelta,
    max_attempts: int,
    failed_error: Callable[[int], str],
    enqueue: Callable[[int], None],
    now: datetime.datetime,
    **reset,
) -> dict[str, int]:
    """Take over the jobs silent for a lease: a running one out of attempts fails with failed_error(attempts), any
    other goes back to PENDING (with `reset`) and is enqueued. Returns the counts {"requeued": …, "failed": …}."""
    expired = now - lease
    silent = Q(heartbeat_at__lt=expired) | Q(heartbeat_at__isnull=True, created_at__lt=expired)
    requeued = failed = 0
    stale = model.objects.filter(silent, status__in=[model.Status.PENDING, model.Status.RUNNING])
    for job_id, status, attempts, heartbeat_at in stale.values_list("pk", "status", "attempts", "heartbeat_at"):
        # Conditional on what was read: a run that beat in the meantime keeps its job.
        same = model.objects.filter(pk=job_id, status=status, attempts=attempts, heartbeat_at=heartbeat_at)
        if status == model.Status.RUNNING and attempts >= max_attempts:
            failed += same.update(status=model.Status.FAILED, error=failed_error(attempts), finished_at=now)
            continue
        # A running job goes back to the queue (its next claim outbids the dead one); a queued one is queued again
        # (its task was lost; a duplicate task finds nothing to claim).
        if same.update(status=model.Status.PENDING, heartbeat_at=now, **reset) == 1:
            requeued += 1
            enqueue(job_id)
    return {"requeued": requeued, "failed": failed}
