"""Activity reminders: who is told about an activity, when, and handing each notice once to the org's channels."""

import datetime

from django.conf import settings
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.models import LOCAL_TZ, Activity, ActivityNotice, Org, Week
from eventweek.outbox import claimable, create_once, deliver
from notifications.models import NoticeKind
from notifications.services.deliveries import queue_notice
from notifications.services.routing import reaches


def week_recipients(week: Week) -> list[Org]:
    """The orgs of a week that receive its reminders: the organizer and the daily reporters, if a reminder can reach
    them (a mailbox, or a channel they chose for activity reminders)."""
    orgs = {week.organizer_id: week.organizer}
    orgs.update((org.pk, org) for org in week.report_orgs.all())
    return sorted(
        (org for org in orgs.values() if reaches(org, NoticeKind.ACTIVITY_REMINDER)), key=lambda org: org.path
    )


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
    recipients: dict[int, list[Org]] = {}  # per week: asked once, not once per activity (reaches() may query)
    for activity in activities:
        for week in showing.get(activity.week_id, []):
            if activity.start - datetime.timedelta(minutes=week.reminder_minutes) > now:
                continue
            if week.pk not in recipients:
                recipients[week.pk] = week_recipients(week)
            for org in recipients[week.pk]:
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
        notice = create_once(ActivityNotice, activity=activity, sequence=activity.sequence, org=org, email=org.email)
        if notice is not None:  # else another worker noticed this version to this org a moment ago
            created.append(notice.pk)
    return created


def _sendable(now: datetime.datetime):
    """Notices still worth sending: for the current version of a scheduled activity not yet over.

    A notice of an older version is never sent: the newer version gets its own.
    """
    return ActivityNotice.objects.filter(
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
    """Hand one notice once to the org's channels chosen for activity reminders (see `eventweek.outbox.deliver`):
    one delivery per channel and recipient, keyed by this notice, so a retried notice queues nothing twice and each
    delivery is sent and retried on its own. Rendered before the claim, so a template error cannot leave it stuck in
    SENDING."""
    now = now or timezone.now()
    notice = ActivityNotice.objects.select_related("activity__week", "org").filter(pk=notice_id).first()
    if notice is None:
        return False
    activity = notice.activity
    context = {"activity": activity, "org": notice.org, "link": activity_link(activity), "site_url": settings.SITE_URL}
    subject = notice_subject(activity)
    body = render_to_string("eventweek/email/activity_notice.txt", context)

    def queue(row: ActivityNotice) -> None:
        queue_notice(row.org, NoticeKind.ACTIVITY_REMINDER, f"activity:{row.pk}", subject, body)

    return deliver(_sendable(now), notice_id, queue, now=now)


def send_due_activity_reminders(now: datetime.datetime | None = None) -> int:
    """Create due notices and hand them to the channels along with earlier ones whose retry time has come; return how
    many were handed over. A delivery that fails is retried by the notifications outbox, not here."""
    now = now or timezone.now()
    create_due_notices(now)
    ready = list(claimable(_sendable(now), now).order_by("pk").values_list("pk", flat=True))
    return sum(send_activity_notice(pk, now=now) for pk in ready)
