"""Publishing a week: its one-off publication schedule, the publish claim, the safety net and the periodic schedules."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from audit import actions
from audit.services.log import log_action
from eventweek.models import Week
from eventweek.outbox import ensure_schedule

logger = logging.getLogger(__name__)

PUBLISH_SCHEDULE_PREFIX = "eventweek:publish-week:"
PERIODIC_SCHEDULES = {
    "eventweek:publish-due-weeks": "eventweek.tasks.publish_due_weeks_task",
    "eventweek:activity-reminders": "eventweek.tasks.send_activity_reminders_task",
}


def publication_schedule_name(week: Week) -> str:
    return f"{PUBLISH_SCHEDULE_PREFIX}{week.pk}"


def schedule_publication(week: Week) -> None:
    """Create or move the django-q2 schedule that publishes the week at its publication time (idempotent)."""
    from django_q.models import Schedule

    name = publication_schedule_name(week)
    if week.is_published or week.needs_review:
        Schedule.objects.filter(name=name).delete()
        return
    ensure_schedule(
        name,
        "eventweek.tasks.publish_week_task",
        minutes=None,
        args=repr((week.pk,)),
        schedule_type=Schedule.ONCE,
        next_run=week.publish_at,
    )


def publication_schedule(week: Week):
    """The one-off django-q2 schedule that will publish the week, or None."""
    from django_q.models import Schedule

    return Schedule.objects.filter(name=publication_schedule_name(week)).first()


def publish_week(week_id: int, *, force: bool = False, now: datetime.datetime | None = None, actor=None) -> bool:
    """Make the week's programme public. Without force, only once its publication time has come.

    Returns True when this call published it, False when it was already public or not yet due. `actor` is the user
    who published by hand (None for the scheduled publication), as the audit log records it.
    """
    from django_q.models import Schedule

    now = now or timezone.now()
    due = Week.objects.filter(pk=week_id, published_at__isnull=True)
    if not force:
        # A copy not yet reviewed is published only by hand.
        due = due.filter(publish_at__lte=now, needs_review=False)
    with transaction.atomic():
        # The conditional update is the claim: two workers cannot both publish.
        published = due.update(published_at=now) == 1
        if published:
            week = Week.objects.select_related("organizer").get(pk=week_id)
            log_action(actor, actions.WEEK_PUBLISH, week, org=week.organizer, after={"published_at": now})
    if published:
        # Published early by hand: the one-off schedule must not fire later.
        Schedule.objects.filter(name=f"{PUBLISH_SCHEDULE_PREFIX}{week_id}").delete()
        logger.info("week %s published", week_id)
    return published


def publish_due_weeks(now: datetime.datetime | None = None) -> int:
    """Publish every week whose time has come; a safety net if a one-off schedule was missed."""
    now = now or timezone.now()
    ids = list(
        Week.objects.filter(published_at__isnull=True, publish_at__lte=now, needs_review=False).values_list(
            "pk", flat=True
        )
    )
    return sum(publish_week(pk, now=now) for pk in ids)


def ensure_schedules() -> None:
    """Create the periodic django-q2 schedules the app relies on (idempotent: safe at every migrate)."""
    for name, func in PERIODIC_SCHEDULES.items():
        ensure_schedule(name, func, minutes=1)
    for week in Week.objects.filter(published_at__isnull=True):
        schedule_publication(week)
