"""Public pages of a week (no login): one activity, the feeds, QR codes, the poster, the changelog.

The week page itself shows the quizzes too, so it is composed in `eventweek.views_home` from `week_page_context`.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from eventweek import qr
from eventweek.dates import cn_date
from eventweek.ical import ProgrammeCalendar
from eventweek.models import Activity, SpecialDay, Week
from eventweek.services.changes import original_start
from eventweek.services.programme import changelog, programme
from eventweek.services.public import get_public_activity, get_public_week, get_published_week

QR_MAX_AGE = 60 * 60
FEED_MAX_AGE = 5 * 60


# -- presentation --------------------------------------------------------------------------------------------------


def when_text(activity: Activity) -> str:
    """The activity's time in words: all-day ones as dates, others as local wall-clock times."""
    start, end = activity.local_start, activity.local_end
    first = cn_date(start, weekday=False, year=True)
    if activity.all_day:
        last = activity.last_day
        if last == activity.first_day:
            return _("%(day)s（全天）") % {"day": first}
        return _("%(first)s 至 %(last)s（全天）") % {"first": first, "last": cn_date(last, weekday=False)}
    if end.date() == start.date():
        return f"{first} {start:%H:%M}–{end:%H:%M}"
    return _("%(first)s %(start)s 至 %(last)s %(end)s") % {
        "first": first,
        "start": f"{start:%H:%M}",
        "last": cn_date(end, weekday=False),
        "end": f"{end:%H:%M}",
    }


def time_on_day(activity: Activity, day: datetime.date) -> str:
    """What the activity's time reads like in the column of one day."""
    if activity.all_day:
        return _("全天")
    start, end = activity.local_start, activity.local_end
    starts_today, ends_today = start.date() == day, activity.last_day == day
    if starts_today and ends_today:
        return f"{start:%H:%M}–{end:%H:%M}"
    if starts_today:
        return _("%(t)s 起") % {"t": f"{start:%H:%M}"}
    if ends_today:
        return _("至 %(t)s") % {"t": f"{end:%H:%M}"}
    return _("全天")


@dataclass
class Entry:
    activity: Activity
    time: str
    continued: bool


@dataclass
class Day:
    date: datetime.date
    label: str
    is_today: bool
    special_days: list[SpecialDay] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


def spans_week(activity: Activity, week: Week) -> bool:
    return activity.first_day <= week.start_date and activity.last_day >= week.end_date


def programme_days(week: Week, activities: list[Activity], special_days: list[SpecialDay]) -> list[Day]:
    """The week day by day; an activity that runs several days is listed on each of them."""
    today = timezone.localdate()
    days = [Day(d, cn_date(d), d == today) for d in week.days()]
    by_date = {day.date: day for day in days}
    for special in special_days:
        if special.date in by_date:
            by_date[special.date].special_days.append(special)
    for activity in activities:
        for day in days:
            if activity.first_day <= day.date <= activity.last_day:
                day.entries.append(Entry(activity, time_on_day(activity, day.date), day.date != activity.first_day))
    return days


def subscribe_links(week: Week) -> dict[str, str]:
    """The feed's address for a download and for a calendar app (webcal://)."""
    url = settings.SITE_URL + reverse("eventweek:week_ics", args=[week.slug])
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


# -- pages ---------------------------------------------------------------------------------------------------------


def week_page_context(week: Week) -> dict:
    """The public week page's context from the core app alone; the composing module adds what feature apps show."""
    context = {"week": week, "published": week.is_published}
    if week.is_published:
        activities = programme(week, public=True)
        whole_week = [a for a in activities if spans_week(a, week)]
        daily = [a for a in activities if not spans_week(a, week)]
        special_days = list(week.special_days.all())
        context |= {
            "whole_week": whole_week,
            "special_days": special_days,
            "days": programme_days(week, daily, special_days),
            "links": subscribe_links(week),
            "ancestors": week.ancestry()[1:],
        }
    return context


def activity_page_context(week: Week, activity: Activity) -> dict:
    """An activity page's context from the core app alone; the composing module adds the quizzes it links to."""
    context = {
        "week": week,
        "activity": activity,
        "when": when_text(activity),
        "original_start": original_start(activity),
        "qr_svg": qr.qr_svg(activity.target_url(week)),
        "target_url": activity.target_url(week),
    }
    return context


def _calendar_response(exporter: ProgrammeCalendar) -> HttpResponse:
    response = HttpResponse(exporter.to_ical(), content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def week_ics(request, slug):
    """The week's feed, inherited activities included. An unpublished week has no feed yet (404)."""
    week = get_published_week(slug)
    return _calendar_response(ProgrammeCalendar(week, programme(week, public=True)))


def activity_ics(request, slug, pk):
    week = get_public_week(slug)
    activity = get_public_activity(week, pk)
    exporter = ProgrammeCalendar(week, [activity], name=activity.title, filename=f"{week.slug}-{activity.pk}.ics")
    return _calendar_response(exporter)


def _qr_response(content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


def activity_qr_svg(request, slug, pk):
    week = get_public_week(slug)
    activity = get_public_activity(week, pk)
    return _qr_response(qr.qr_svg_document(activity.target_url(week)), "image/svg+xml")


def activity_qr_png(request, slug, pk):
    week = get_public_week(slug)
    activity = get_public_activity(week, pk)
    return _qr_response(qr.qr_png(activity.target_url(week)), "image/png")


def poster(request, slug):
    """An A4 sheet: every activity with its QR code, in place of disposable signs."""
    week = get_published_week(slug)
    items = [
        {"activity": a, "when": when_text(a), "qr_svg": qr.qr_svg(a.target_url(week))}
        for a in programme(week, public=True)
    ]
    return render(request, "eventweek/public/poster.html", {"week": week, "items": items})


def changes(request, slug):
    week = get_published_week(slug)
    return render(request, "eventweek/public/changes.html", {"week": week, "changes": changelog(week)})
