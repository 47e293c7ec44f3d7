"""Writes and reads of the schedule engine: publishing, changes, the programme, reminders."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.models import Activity, ActivityChange, ActivityNotice, Org, Week

logger = logging.getLogger(__name__)

PUBLISH_SCHEDULE_PREFIX = "eventweek:publish-week:"


class DomainError(Exception):
    """A business rule refused the operation; the message is shown to the user."""


# -- publishing ---------------------------------------------------------------------------------------------------


def schedule_publication(week: Week) -> None:
    """Create or move the django-q2 schedule that publishes the week at its publication time (idempotent)."""
    from django_q.models import Schedule

    name = f"{PUBLISH_SCHEDULE_PREFIX}{week.pk}"
    if week.is_published:
        Schedule.objects.filter(name=name).delete()
        return
    Schedule.objects.update_or_create(
        name=name,
        defaults={
            "func": "eventweek.tasks.publish_week_task",
            "args": repr((week.pk,)),
            "schedule_type": Schedule.ONCE,
            "repeats": -1,
            "next_run": week.publish_at,
        },
    )


def publish_week(week_id: int, *, force: bool = False, now: datetime.datetime | None = None) -> bool:
    """Make the week's programme public. Without force, only once its publication time has come.

    Returns True when this call published it, False when it was already public or not yet due.
    """
    now = now or timezone.now()
    due = Week.objects.filter(pk=week_id, published_at__isnull=True)
    if not force:
        due = due.filter(publish_at__lte=now)
    # The conditional update is the claim: two workers cannot both publish.
    published = due.update(published_at=now) == 1
    if published:
        logger.info("week %s published", week_id)
    return published


def publish_due_weeks(now: datetime.datetime | None = None) -> int:
    """Publish every week whose time has come; a safety net if a one-off schedule was missed."""
    now = now or timezone.now()
    ids = list(Week.objects.filter(published_at__isnull=True, publish_at__lte=now).values_list("pk", flat=True))
    return sum(publish_week(pk, now=now) for pk in ids)


# -- changes to activities ---------------------------------------------------------------------------------------


def _field_display(activity: Activity, field: str):
    value = getattr(activity, field)
    if field in {"start", "end"}:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
    if field == "status":
        return activity.get_status_display()
    if field == "all_day":
        return _("是") if value else _("否")
    return value or ""


def _diff(before: Activity | None, after: Activity) -> list[dict]:
    changes = []
    for field in Activity.TRACKED_FIELDS:
        old = _field_display(before, field) if before else ""
        new = _field_display(after, field)
        if before is None or getattr(before, field) != getattr(after, field):
            if before is not None or new:
                label = str(Activity._meta.get_field(field).verbose_name)
                changes.append({"field": field, "label": label, "old": str(old), "new": str(new)})
    return changes


@transaction.atomic
def save_activity(activity: Activity, *, user=None) -> Activity:
    """Validate and save an activity; once its week is published, log the change and raise its SEQUENCE."""
    activity.full_clean()
    before = None
    if activity.pk:
        before = Activity.objects.select_for_update().get(pk=activity.pk)
    week = Week.objects.get(pk=activity.week_id)
    changes = _diff(before, activity)
    if before is not None and not changes:
        activity.save()
        return activity
    if week.is_published and before is not None:
        activity.sequence = before.sequence + 1
    activity.save()
    if week.is_published:
        if before is None:
            action = ActivityChange.Action.ADDED
        elif before.status != activity.status:
            action = ActivityChange.Action.CANCELLED if activity.is_cancelled else ActivityChange.Action.RESTORED
        else:
            action = ActivityChange.Action.CHANGED
        ActivityChange.objects.create(
            week=week, activity=activity, action=action, sequence=activity.sequence, changes=changes, changed_by=user
        )
    return activity


def cancel_activity(activity: Activity, *, user=None) -> Activity:
    """Cancel an activity; it stays in the feeds with STATUS:CANCELLED."""
    if activity.is_cancelled:
        raise DomainError(_("该活动已经取消。"))
    activity.status = Activity.Status.CANCELLED
    return save_activity(activity, user=user)


def restore_activity(activity: Activity, *, user=None) -> Activity:
    """Undo a cancellation."""
    if not activity.is_cancelled:
        raise DomainError(_("该活动没有被取消。"))
    activity.status = Activity.Status.SCHEDULED
    return save_activity(activity, user=user)


@transaction.atomic
def save_week(week: Week) -> Week:
    """Validate and save a week, and (re)schedule its publication after commit."""
    week.full_clean()
    week.save()
    transaction.on_commit(lambda: schedule_publication(week))
    return week


# -- reading the programme ---------------------------------------------------------------------------------------


def programme(week: Week, *, public: bool = True) -> list[Activity]:
    """The week's activities plus those of its published ancestors, in time order.

    With public=True, only what has been published: nothing at all if the week itself is not.
    """
    chain = week.ancestry()
    if public:
        if not week.is_published:
            return []
        chain = [w for w in chain if w.is_published]
    weeks_by_id = {w.pk: w for w in chain}
    activities = list(
        Activity.objects.filter(week_id__in=weeks_by_id).select_related("organizer").order_by("start", "pk")
    )
    for activity in activities:
        activity.week = weeks_by_id[activity.week_id]
        activity.inherited = activity.week_id != week.pk
    return activities


def get_programme_activity(week: Week, activity_id: int, *, public: bool = True) -> Activity | None:
    """One activity of the week's programme (inherited ones included), or None."""
    for activity in programme(week, public=public):
        if activity.pk == activity_id:
            return activity
    return None


def changelog(week: Week) -> list[ActivityChange]:
    """Public changes of this week and its ancestors, newest first."""
    week_ids = [w.pk for w in week.ancestry() if w.is_published]
    return list(
        ActivityChange.objects.filter(week_id__in=week_ids).select_related("activity", "week").order_by("-changed_at", "-pk")
    )


# -- access --------------------------------------------------------------------------------------------------------


def get_public_week(slug: str) -> Week:
    """The week by slug for public pages, or Week.DoesNotExist."""
    return Week.objects.select_related("organizer", "parent__parent").get(slug=slug)


def weeks_for_user(user):
    """Weeks organized by the user's org or its descendants."""
    if user.is_superuser:
        return Week.objects.all().select_related("organizer")
    if not user.org_id:
        return Week.objects.none()
    return Week.objects.filter(organizer__path__startswith=user.org.path).select_related("organizer")


def get_week_for_user(user, slug: str) -> Week:
    """A week the user may manage; Week.DoesNotExist (a 404) for outsiders."""
    return weeks_for_user(user).get(slug=slug)


def get_own_activity(week: Week, activity_id: int) -> Activity:
    """An activity of a week fetched through get_week_for_user (own activities only, not inherited)."""
    return Activity.objects.select_related("week", "organizer").get(week=week, pk=activity_id)


def require_admin(user) -> None:
    if not user.is_org_admin:
        raise DomainError(_("只有管理员可以修改活动周。"))


# -- reminders -----------------------------------------------------------------------------------------------------


def notice_recipients(activity: Activity) -> list[Org]:
    """Orgs told about an activity: the organizers and daily reporters of its week and of weeks derived from it."""
    weeks = Week.objects.filter(Q(pk=activity.week_id) | Q(parent_id=activity.week_id), published_at__isnull=False)
    org_ids = set()
    for week in weeks.prefetch_related("report_orgs"):
        org_ids.add(week.organizer_id)
        org_ids.update(org.pk for org in week.report_orgs.all())
    return list(Org.objects.filter(pk__in=org_ids).exclude(email="").order_by("path"))


def due_activities(now: datetime.datetime | None = None):
    """Published, scheduled activities whose reminder time has come and which have not started."""
    now = now or timezone.now()
    return (
        Activity.objects.filter(
            status=Activity.Status.SCHEDULED,
            week__published_at__isnull=False,
            start__gt=now,
            start__lte=now + datetime.timedelta(days=2),
        )
        .select_related("week")
        .order_by("start")
    )


def create_due_notices(now: datetime.datetime | None = None) -> list[int]:
    """Create the notice rows whose time has come (once per activity version and org); return their ids."""
    now = now or timezone.now()
    created = []
    for activity in due_activities(now):
        if activity.start - datetime.timedelta(minutes=activity.week.reminder_minutes) > now:
            continue
        for org in notice_recipients(activity):
            try:
                with transaction.atomic():
                    notice = ActivityNotice.objects.create(
                        activity=activity, sequence=activity.sequence, org=org, email=org.email
                    )
            except IntegrityError:
                continue  # this version was already noticed to this org
            created.append(notice.pk)
    return created


def send_activity_notice(notice_id: int) -> bool:
    """Send one notice. The conditional update claims it, so a retried task never sends twice."""
    claimed = ActivityNotice.objects.filter(
        pk=notice_id, status__in=[ActivityNotice.Status.PENDING, ActivityNotice.Status.FAILED]
    ).update(status=ActivityNotice.Status.SENDING, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    notice = ActivityNotice.objects.select_related("activity__week", "org").get(pk=notice_id)
    activity = notice.activity
    context = {"activity": activity, "org": notice.org, "site_url": settings.SITE_URL}
    subject = _("【活动提醒】%(title)s 将于 %(start)s 开始") % {
        "title": activity.title,
        "start": timezone.localtime(activity.start).strftime("%m月%d日 %H:%M"),
    }
    try:
        send_mail(
            subject,
            render_to_string("eventweek/email/activity_notice.txt", context),
            None,
            [notice.email],
        )
    except Exception as exc:  # the mail server's failure is recorded and retried, never dropped
        ActivityNotice.objects.filter(pk=notice_id).update(status=ActivityNotice.Status.FAILED, last_error=str(exc))
        logger.warning("activity notice %s failed: %s", notice_id, exc)
        return False
    ActivityNotice.objects.filter(pk=notice_id).update(status=ActivityNotice.Status.SENT, sent_at=timezone.now())
    return True


def send_due_activity_reminders(now: datetime.datetime | None = None) -> int:
    """Create due notices and send them along with any earlier failures; return how many were sent."""
    create_due_notices(now)
    pending = ActivityNotice.objects.filter(
        status__in=[ActivityNotice.Status.PENDING, ActivityNotice.Status.FAILED], attempts__lt=5
    ).values_list("pk", flat=True)
    return sum(send_activity_notice(pk) for pk in list(pending))


# -- schedules -----------------------------------------------------------------------------------------------------


def ensure_schedules() -> None:
    """Create the periodic django-q2 schedules the app relies on (idempotent: safe at every migrate)."""
    from django_q.models import Schedule

    periodic = {
        "eventweek:publish-due-weeks": "eventweek.tasks.publish_due_weeks_task",
        "eventweek:activity-reminders": "eventweek.tasks.send_activity_reminders_task",
    }
    for name, func in periodic.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
        )
    for week in Week.objects.filter(published_at__isnull=True):
        schedule_publication(week)

