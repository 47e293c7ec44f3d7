"""Writes and reads of the schedule engine: publishing, changes, the programme, reminders."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Activity, ActivityChange, ActivityNotice, Org, SpecialDay, Week

logger = logging.getLogger(__name__)

PUBLISH_SCHEDULE_PREFIX = "eventweek:publish-week:"
PERIODIC_SCHEDULES = {
    "eventweek:publish-due-weeks": "eventweek.tasks.publish_due_weeks_task",
    "eventweek:activity-reminders": "eventweek.tasks.send_activity_reminders_task",
}
# A failed notice is retried 1, 2, 4, 8 … minutes after the previous try, at most this many minutes apart.
NOTICE_RETRY_CAP_MINUTES = 15
# A claim (status SENDING) is a lease of this many minutes: a worker that dies mid-send leaves its row SENDING, and a
# later run takes it over once the lease has run out. It is far longer than one send may take (EMAIL_TIMEOUT is
# seconds), so a live claim is never taken twice.
NOTICE_CLAIM_LEASE_MINUTES = 10


# -- publishing ---------------------------------------------------------------------------------------------------


def publication_schedule_name(week: Week) -> str:
    return f"{PUBLISH_SCHEDULE_PREFIX}{week.pk}"


def schedule_publication(week: Week) -> None:
    """Create or move the django-q2 schedule that publishes the week at its publication time (idempotent)."""
    from django_q.models import Schedule

    name = publication_schedule_name(week)
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


def publication_schedule(week: Week):
    """The one-off django-q2 schedule that will publish the week, or None."""
    from django_q.models import Schedule

    return Schedule.objects.filter(name=publication_schedule_name(week)).first()


def publish_week(week_id: int, *, force: bool = False, now: datetime.datetime | None = None) -> bool:
    """Make the week's programme public. Without force, only once its publication time has come.

    Returns True when this call published it, False when it was already public or not yet due.
    """
    from django_q.models import Schedule

    now = now or timezone.now()
    due = Week.objects.filter(pk=week_id, published_at__isnull=True)
    if not force:
        due = due.filter(publish_at__lte=now)
    # The conditional update is the claim: two workers cannot both publish.
    published = due.update(published_at=now) == 1
    if published:
        # Published early by hand: the one-off schedule must not fire later.
        Schedule.objects.filter(name=f"{PUBLISH_SCHEDULE_PREFIX}{week_id}").delete()
        logger.info("week %s published", week_id)
    return published


def publish_due_weeks(now: datetime.datetime | None = None) -> int:
    """Publish every week whose time has come; a safety net if a one-off schedule was missed."""
    now = now or timezone.now()
    ids = list(Week.objects.filter(published_at__isnull=True, publish_at__lte=now).values_list("pk", flat=True))
    return sum(publish_week(pk, now=now) for pk in ids)


# -- changes to activities ---------------------------------------------------------------------------------------


def _field_display(activity: Activity, field: str) -> str:
    """A field's value as the changelog shows it: local wall-clock times, all-day activities as dates."""
    value = getattr(activity, field)
    if field in {"start", "end"}:
        if not value:
            return ""
        if activity.all_day:
            day = timezone.localtime(value, LOCAL_TZ).date()
            if field == "end":
                day -= datetime.timedelta(days=1)  # the stored end is 00:00 after the last day
            return day.isoformat()
        return timezone.localtime(value, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    if field == "status":
        return str(activity.get_status_display())
    if field == "all_day":
        return _("是") if value else _("否")
    return str(value or "")


def _diff(before: Activity | None, after: Activity) -> list[dict]:
    changes = []
    for field in Activity.TRACKED_FIELDS:
        old = _field_display(before, field) if before else ""
        new = _field_display(after, field)
        if before is None or getattr(before, field) != getattr(after, field):
            if before is not None or new:
                label = str(Activity._meta.get_field(field).verbose_name)
                changes.append({"field": field, "label": label, "old": old, "new": new})
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
        activity.sequence = before.sequence
        activity.save()
        return activity
    if week.is_published and before is not None:
        # From the locked row, not the caller's copy: two concurrent edits give two versions.
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


# -- weeks ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def save_week(
    week: Week,
    *,
    report_orgs: Iterable[Org] | None = None,
    special_days: Iterable[tuple[datetime.date, str, str]] | None = None,
) -> Week:
    """Validate and save a week (with its daily reporters and special days), and (re)schedule its publication.

    report_orgs and special_days, when given, replace the week's current ones; special days are (date, name, theme).
    """
    week.full_clean()
    if report_orgs is not None:
        report_orgs = list(report_orgs)
        outside = [org.name for org in report_orgs if not org.is_within(week.organizer)]
        if outside:
            raise ValidationError(
                {"report_orgs": _("每日报送单位必须是主办单位或其下级单位：%(orgs)s。") % {"orgs": "、".join(outside)}}
            )
    if special_days is not None:
        special_days = [(day, name.strip(), theme.strip()) for day, name, theme in special_days]
        for day, _name, _theme in special_days:
            if not week.contains_date(day):
                raise ValidationError({"special_days": _("主题日 %(day)s 不在活动周之内。") % {"day": day}})
    week.save()
    if report_orgs is not None:
        week.report_orgs.set(report_orgs)
    if special_days is not None:
        _sync_special_days(week, special_days)
    transaction.on_commit(lambda: schedule_publication(week))
    return week


def _sync_special_days(week: Week, wanted: list[tuple[datetime.date, str, str]]) -> None:
    """Keep rows that still exist (same date and name), update their theme, add and remove the rest."""
    existing = {(day.date, day.name): day for day in week.special_days.all()}
    keep = set()
    for date, name, theme in wanted:
        key = (date, name)
        if key in keep:
            continue
        keep.add(key)
        row = existing.get(key)
        if row is None:
            SpecialDay.objects.create(week=week, date=date, name=name, theme=theme)
        elif row.theme != theme:
            row.theme = theme
            row.save(update_fields=["theme"])
    stale = [row.pk for key, row in existing.items() if key not in keep]
    if stale:
        SpecialDay.objects.filter(pk__in=stale).delete()


# -- reading the programme ---------------------------------------------------------------------------------------


def programme(week: Week, *, public: bool = True) -> list[Activity]:
    """The week's activities plus those of its published ancestors, in time order.

    With public=True, only what has been published: nothing at all if the week itself is not.
    With public=False (the organizer's draft), all of the week's own activities, but still only the published
    activities of its ancestors: a parent's draft is not the child's business.
    """
    chain = week.ancestry()
    if public:
        if not week.is_published:
            return []
        chain = [w for w in chain if w.is_published]
    else:
        chain = [w for w in chain if w.pk == week.pk or w.is_published]
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
        ActivityChange.objects.filter(week_id__in=week_ids)
        .select_related("activity", "week", "changed_by")
        .order_by("-changed_at", "-pk")
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
    return weeks_for_user(user).select_related("parent__organizer", "parent__parent__organizer").get(slug=slug)


def get_own_activity(week: Week, activity_id: int) -> Activity:
    """An activity of a week fetched through get_week_for_user (own activities only, not inherited)."""
    activity = Activity.objects.select_related("organizer").get(week=week, pk=activity_id)
    activity.week = week
    return activity


def can_change_week(user) -> bool:
    """Admins (and superusers) change weeks; reporters and reviewers of the tree only read them."""
    return user.is_org_admin


def require_admin(user) -> None:
    if not can_change_week(user):
        raise DomainError(_("只有管理员可以修改活动周。"))


# -- reminders -----------------------------------------------------------------------------------------------------


def week_recipients(week: Week) -> list[Org]:
    """The orgs of a week that receive its reminders: the organizer and the daily reporters, if they have a mailbox."""
    orgs = {week.organizer_id: week.organizer}
    orgs.update((org.pk, org) for org in week.report_orgs.all())
    return sorted((org for org in orgs.values() if org.email), key=lambda org: org.path)


def _weeks_showing(weeks: list[Week], parent_of: dict[int, int | None]) -> dict[int, list[Week]]:
    """For each week id, the published weeks whose programme shows that week's activities (itself and descendants)."""
    showing: dict[int, list[Week]] = {}
    for week in weeks:
        seen, current = set(), week.pk
        while current is not None and current not in seen:
            seen.add(current)
            showing.setdefault(current, []).append(week)
            current = parent_of.get(current)
    return showing


def notice_recipients(activity: Activity) -> list[Org]:
    """Every org told about an activity: those of its week and of every published week that inherits it."""
    parent_of = dict(Week.objects.values_list("pk", "parent_id"))
    weeks = list(
        Week.objects.filter(published_at__isnull=False).select_related("organizer").prefetch_related("report_orgs")
    )
    orgs = {}
    for week in _weeks_showing(weeks, parent_of).get(activity.week_id, []):
        orgs.update((org.pk, org) for org in week_recipients(week))
    return sorted(orgs.values(), key=lambda org: org.path)


def due_notices(now: datetime.datetime | None = None) -> list[tuple[Activity, Org]]:
    """(activity, org) pairs whose reminder time has come: each published week tells its orgs
    `week.reminder_minutes` before each scheduled activity of its programme (inherited ones included)."""
    now = now or timezone.now()
    live = Week.objects.filter(published_at__isnull=False, end_date__gte=(now - datetime.timedelta(days=1)).date())
    longest = live.aggregate(longest=Max("reminder_minutes"))["longest"]
    if longest is None:
        return []
    activities = list(
        Activity.objects.filter(
            status=Activity.Status.SCHEDULED,
            week__published_at__isnull=False,
            start__gt=now,
            start__lte=now + datetime.timedelta(minutes=longest),
        ).order_by("start", "pk")
    )
    if not activities:
        return []
    parent_of = dict(Week.objects.values_list("pk", "parent_id"))
    showing = _weeks_showing(list(live.select_related("organizer").prefetch_related("report_orgs")), parent_of)
    pairs, seen = [], set()
    for activity in activities:
        for week in showing.get(activity.week_id, []):
            if activity.start - datetime.timedelta(minutes=week.reminder_minutes) > now:
                continue
            for org in week_recipients(week):
                if (activity.pk, org.pk) not in seen:
                    seen.add((activity.pk, org.pk))
                    pairs.append((activity, org))
    return pairs


def create_due_notices(now: datetime.datetime | None = None) -> list[int]:
    """Create the notice rows whose time has come (once per activity version and org); return their ids."""
    pairs = due_notices(now)
    if not pairs:
        return []
    existing = set(
        ActivityNotice.objects.filter(activity__in={activity.pk for activity, _org in pairs}).values_list(
            "activity_id", "sequence", "org_id"
        )
    )
    created = []
    for activity, org in pairs:
        if (activity.pk, activity.sequence, org.pk) in existing:
            continue
        try:
            with transaction.atomic():
                notice = ActivityNotice.objects.create(
                    activity=activity, sequence=activity.sequence, org=org, email=org.email
                )
        except IntegrityError:
            continue  # another worker noticed this version to this org a moment ago
        created.append(notice.pk)
    return created


def notice_retry_at(notice: ActivityNotice) -> datetime.datetime:
    """When a notice may next be tried: at once if never tried, then backing off 1, 2, 4 … minutes (capped)."""
    delay = sum(min(2**i, NOTICE_RETRY_CAP_MINUTES) for i in range(notice.attempts))
    return notice.created_at + datetime.timedelta(minutes=delay)


def notice_claim_lease() -> datetime.timedelta:
    """How long a claim holds before another run may take the notice over."""
    return datetime.timedelta(minutes=getattr(settings, "NOTICE_CLAIM_LEASE_MINUTES", NOTICE_CLAIM_LEASE_MINUTES))


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


def _sendable(now: datetime.datetime):
    """Notices still worth sending: claimable (see `claimable_notices`), for the current version of a scheduled
    activity not yet over.

    A notice of an older version is never sent: the newer version gets its own.
    """
    return ActivityNotice.objects.filter(
        claimable_notices(),
        activity__status=Activity.Status.SCHEDULED,
        activity__sequence=F("sequence"),
        activity__end__gt=now,
    )


def activity_link(activity: Activity) -> str:
    """The absolute URL of the activity's public page."""
    try:
        path = activity.get_absolute_url()
    except NoReverseMatch:  # the public pages are not wired in (a partial deployment): the same path by hand
        path = f"/weeks/{activity.week.slug}/activities/{activity.pk}/"
    return settings.SITE_URL + path


def notice_subject(activity: Activity) -> str:
    start = timezone.localtime(activity.start, LOCAL_TZ)
    if activity.all_day:
        when = _("%(month)s月%(day)s日（全天）") % {"month": start.month, "day": start.day}
    else:
        when = _("%(month)s月%(day)s日 %(time)s") % {
            "month": start.month,
            "day": start.day,
            "time": start.strftime("%H:%M"),
        }
    return _("【活动提醒】%(title)s 将于 %(when)s 开始") % {"title": activity.title, "when": when}


def send_activity_notice(notice_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Send one notice once (see `send_claimed_notice`); rendered before the claim, so a template error cannot leave
    it stuck in SENDING."""
    now = now or timezone.now()
    notice = ActivityNotice.objects.select_related("activity__week", "org").filter(pk=notice_id).first()
    if notice is None:
        return False
    activity = notice.activity
    context = {"activity": activity, "org": notice.org, "link": activity_link(activity), "site_url": settings.SITE_URL}
    return send_claimed_notice(
        _sendable(now),
        notice_id,
        subject=notice_subject(activity),
        body=render_to_string("eventweek/email/activity_notice.txt", context),
        to=notice.email,
    )


def send_due_activity_reminders(now: datetime.datetime | None = None) -> int:
    """Create due notices and send them along with earlier failures whose retry time has come; return how many were sent.

    A failed notice is retried (with back-off) until its activity is over: never dropped while it can still help.
    """
    now = now or timezone.now()
    create_due_notices(now)
    ready = [notice.pk for notice in _sendable(now).order_by("pk") if notice_retry_at(notice) <= now]
    return sum(send_activity_notice(pk, now=now) for pk in ready)


# -- schedules -----------------------------------------------------------------------------------------------------


def ensure_schedules() -> None:
    """Create the periodic django-q2 schedules the app relies on (idempotent: safe at every migrate)."""
    from django_q.models import Schedule

    for name, func in PERIODIC_SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
        )
    for week in Week.objects.filter(published_at__isnull=True):
        schedule_publication(week)
