"""iCalendar (RFC 5545) feeds of a week's programme: one exporter class, one calendar per response."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from eventweek.campaigns import campaign_title
from eventweek.models import LOCAL_TZ, Activity, Week

PRODID = "-//eventweek//公共机构宣传活动//ZH"
TZID = "Asia/Shanghai"
# When an all-day activity's reminder rings, Beijing time, on its first day.
ALL_DAY_ALARM_AT = datetime.time(8, 0)


def activity_uid(activity: Activity) -> str:
    """The stable UID a calendar client de-duplicates on; the same in every week that shows the activity."""
    return f"{activity.uid}@eventweek"


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


class ProgrammeCalendar:
    """Writes activities of a week's programme as a VCALENDAR with its Asia/Shanghai VTIMEZONE."""

    content_type = "text/calendar; charset=utf-8"

    def __init__(self, week: Week, activities: Iterable[Activity], *, name: str | None = None, filename: str = ""):
        self.week = week
        self.activities = list(activities)
        self.name = name or campaign_title(week)
        self.filename = filename or f"{week.slug}.ics"

    def calendar(self) -> Calendar:
        """The whole calendar object."""
        cal = Calendar.new(
            prodid=PRODID,
            name=self.name,
            description=self.week.theme,
            uid=f"{self.week.slug}@eventweek",
            url=absolute_url(self.week.get_absolute_url()),
        )
        cal.add("x-wr-timezone", TZID)
        for activity in self.activities:
            cal.add_component(self.event(activity))
        # Without first_date icalendar writes the zone from 1970, with China's 1986-91 summer time; a window around
        # the week gives one plain +08:00 STANDARD rule that every client reads the same way.
        cal.add_missing_timezones(
            first_date=self.week.start_date - datetime.timedelta(days=1),
            last_date=self.week.end_date + datetime.timedelta(days=366),
        )
        return cal

    def event(self, activity: Activity) -> Event:
        """One VEVENT; times converted to the local zone, all-day activities as DATE values."""
        event = Event()
        event.add("uid", activity_uid(activity))
        # No METHOD: DTSTAMP is when the activity was last revised (RFC 5545 3.8.7.2), in UTC, whole seconds.
        revised = activity.updated_at.astimezone(datetime.UTC).replace(microsecond=0)
        event.add("dtstamp", revised)
        event.add("last-modified", revised)
        event.add("sequence", activity.sequence)
        if activity.all_day:
            event.add("dtstart", activity.first_day)
            event.add("dtend", activity.last_day + datetime.timedelta(days=1))
        else:
            event.add("dtstart", activity.start.astimezone(LOCAL_TZ))
            event.add("dtend", activity.end.astimezone(LOCAL_TZ))
        event.add("status", "CANCELLED" if activity.is_cancelled else "CONFIRMED")
        summary = activity.title
        if activity.is_cancelled:
            # Many clients ignore STATUS in subscribed calendars; the title says it too.
            summary = _("【已取消】%(title)s") % {"title": activity.title}
        event.add("summary", summary)
        event.add("description", self.description(activity))
        location = " · ".join(part for part in (activity.platform, activity.place) if part)
        if location:
            event.add("location", location)
        event.add("url", activity.target_url(self.week))
        event.add("categories", [str(activity.get_kind_display())])
        if not activity.is_cancelled:
            event.add_component(self.alarm(activity))
        return event

    def alarm(self, activity: Activity) -> Alarm:
        """A display alarm: the week's minutes before a timed activity; 08:00 Beijing time on an all-day one's day."""
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        if activity.all_day:
            # Minutes before a DATE start ring the night before (23:00 for 60); a morning alarm is what people expect.
            # An absolute UTC time rings at 08:00 in Beijing whatever zone the client is set to.
            morning = datetime.datetime.combine(activity.first_day, ALL_DAY_ALARM_AT, tzinfo=LOCAL_TZ)
            # RFC 5545 3.8.6.3: an absolute trigger says VALUE=DATE-TIME (icalendar leaves it out).
            alarm.add("trigger", morning.astimezone(datetime.UTC), parameters={"VALUE": "DATE-TIME"})
        else:
            alarm.add("trigger", datetime.timedelta(minutes=-self.week.reminder_minutes))
        alarm.add("description", _("即将开始：%(title)s") % {"title": activity.title})
        return alarm

    def description(self, activity: Activity) -> str:
        lines = []
        if activity.is_cancelled and activity.cancel_reason:
            lines.append(_("已取消，原因：%(v)s") % {"v": activity.cancel_reason})
        if activity.description:
            lines.append(activity.description)
        if activity.platform:
            lines.append(_("平台：%(v)s") % {"v": activity.platform})
        if activity.audience:
            lines.append(_("参与对象：%(v)s") % {"v": activity.audience})
        if activity.link:
            lines.append(_("链接：%(v)s") % {"v": activity.link})
        lines.append(_("详情：%(v)s") % {"v": absolute_url(activity.get_absolute_url(self.week))})
        return "\n".join(lines)

    def to_ical(self) -> bytes:
        return self.calendar().to_ical()


class YearCalendar:
    """年度宣传活动安排 as one VCALENDAR: a whole-day VEVENT per campaign, linking to its programme."""

    content_type = "text/calendar; charset=utf-8"

    def __init__(self, plan, *, name: str, filename: str):
        self.plan = plan
        self.name = name
        self.filename = filename

    def calendar(self) -> Calendar:
        """The whole calendar object."""
        cal = Calendar.new(prodid=PRODID, name=self.name, uid=f"year-{self.plan.org.code}-{self.plan.year}@eventweek")
        cal.add("x-wr-timezone", TZID)
        for entry in self.plan.entries:
            week = entry.week
            event = Event()
            event.add("uid", f"campaign-{week.slug}@eventweek")
            event.add("dtstamp", week.published_at.astimezone(datetime.UTC).replace(microsecond=0))
            event.add("dtstart", week.start_date)
            event.add("dtend", week.end_date + datetime.timedelta(days=1))
            event.add("summary", week.title + entry.inside)
            event.add(
                "description", _("主题：%(theme)s\n主办：%(org)s") % {"theme": week.theme, "org": week.organizer.name}
            )
            event.add("url", absolute_url(week.get_absolute_url()))
            cal.add_component(event)
        return cal

    def to_ical(self) -> bytes:
        return self.calendar().to_ical()
