"""The status of a day's report: the local date, who has a cutoff, on time / late / missing, which days may be filed."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.deadlines import DeadlineStatus
from eventweek.models import LOCAL_TZ, Org, Week
from reporting.models import DailyReport

# Orgs at these levels report before the daily cutoff; provincial-level units and departments report "promptly".
CUTOFF_LEVELS = {Org.Level.CITY, Org.Level.COUNTY}


SUBMITTED_STATUSES = {DeadlineStatus.ON_TIME, DeadlineStatus.LATE, DeadlineStatus.SUBMITTED}


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), LOCAL_TZ).date()


def has_cutoff(org: Org) -> bool:
    """Whether the org's daily reports are due by the week's cutoff (cities and counties) or have no fixed hour."""
    return org.level in CUTOFF_LEVELS


def submission_status(week: Week, org: Org, day: datetime.date, at: datetime.datetime) -> str:
    """The status a submission at `at` earns: on time strictly before the cutoff, late from the cutoff on."""
    if not has_cutoff(org):
        return DeadlineStatus.SUBMITTED
    return DeadlineStatus.ON_TIME if at < week.cutoff_for(day) else DeadlineStatus.LATE


def cell_status(
    week: Week, org: Org, day: datetime.date, report: DailyReport | None, now: datetime.datetime | None = None
) -> str:
    """The status of an (org, day) cell: the first submission decides on time or late; an amendment never changes it."""
    now = now or timezone.now()
    if report is not None and report.first_submitted_at is not None:
        return submission_status(week, org, day, report.first_submitted_at)
    if not has_cutoff(org):
        return DeadlineStatus.OPEN
    return DeadlineStatus.MISSING if now >= week.cutoff_for(day) else DeadlineStatus.NOT_DUE


def check_report_day(week: Week, day: datetime.date, now: datetime.datetime | None = None) -> None:
    """Refuse a day outside the week or in the future with a message naming the day."""
    if not week.contains_date(day):
        raise ValidationError(
            {
                "day": _("%(day)s 不在活动周（%(start)s 至 %(end)s）之内，不能报送。")
                % {"day": day, "start": week.start_date, "end": week.end_date}
            }
        )
    if day > local_today(now):
        raise ValidationError({"day": _("%(day)s 还没有到，不能提前报送。") % {"day": day}})
