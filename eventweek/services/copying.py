"""Copying a campaign from last year: programme, report settings, special days (feature apps copy their own parts on
`campaign_copied`), every date moved by one offset, nothing published until a person reviews the copy."""

import dataclasses
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.models import Activity, SpecialDay, Week

# Sent inside the copy's transaction with source, copy, offset (a timedelta) and activities ({old pk: new Activity}):
# the quiz app copies its settings and bank on it.
campaign_copied = Signal()


@dataclasses.dataclass(frozen=True)
class CopyPlan:
    """What a copy will be: its offset and its new dates (shown on the confirmation page)."""

    offset: datetime.timedelta
    start_date: datetime.date
    end_date: datetime.date
    slug: str
    title: str
    activities: int


def next_year_same_weekday(day: datetime.date) -> datetime.timedelta:
    """The offset to the same weekday next year, the nearest to the same calendar date (364 or 371 days)."""
    weeks = 52
    anniversary = _anniversary(day)
    if anniversary is not None and (anniversary - (day + datetime.timedelta(weeks=weeks))).days > 3:
        weeks = 53
    return datetime.timedelta(weeks=weeks)


def _anniversary(day: datetime.date) -> datetime.date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 2月29日
        return None


def offset_for(source: Week, *, days: int | None = None, same_date: bool = False) -> datetime.timedelta:
    """The offset chosen: explicit days, the same calendar date next year, or (default) the same weekday."""
    if days is not None:
        return datetime.timedelta(days=days)
    if same_date:
        target = _anniversary(source.start_date)
        if target is None:
            raise ValidationError(
                {
                    "offset": _("%(day)s 是闰日，明年没有同一日期，请改用“同一星期几”或指定天数。")
                    % {"day": source.start_date}
                }
            )
        return target - source.start_date
    return next_year_same_weekday(source.start_date)


def _shift(value, offset: datetime.timedelta):
    """A date or datetime moved by offset; an impossible result (before year 1, after 9999) is refused."""
    if value is None:
        return None
    try:
        return value + offset
    except OverflowError:
        raise ValidationError(
            {
                "offset": _("偏移后的日期超出可用范围（%(v)s 加 %(n)s 天），请换一个偏移。")
                % {"v": value, "n": offset.days}
            }
        ) from None


def renamed_year(text: str, old_year: int, new_year: int) -> str:
    """text with old_year (as a whole number, not inside a longer one) written as new_year."""
    return re.sub(rf"(?<!\d){old_year}(?!\d)", str(new_year), text) if old_year != new_year else text


def plan_copy(source: Week, offset: datetime.timedelta, slug: str = "") -> CopyPlan:
    """The copy's dates, slug and title, checked (ValidationError keyed by field) before anything is written."""
    start, end = _shift(source.start_date, offset), _shift(source.end_date, offset)
    for activity in source.activities.all():
        _shift(activity.start, offset)
        _shift(activity.end, offset)
    new_slug = slug or renamed_year(source.slug, source.start_date.year, start.year)
    if new_slug == source.slug:
        new_slug = f"{source.slug}-{start.year}"
    if Week.objects.filter(slug=new_slug).exists():
        raise ValidationError({"slug": _("网址标识“%(slug)s”已被使用，请另填一个。") % {"slug": new_slug}})
    title = renamed_year(source.title, source.start_date.year, start.year)
    return CopyPlan(
        offset, start, end, new_slug, title, source.activities.exclude(status=Activity.Status.CANCELLED).count()
    )


def _parent_for(source: Week, start: datetime.date) -> Week | None:
    """The parent organizer's campaign of the same kind holding the copy's first day (this year's), if any."""
    if not source.parent_id:
        return None
    return (
        Week.objects.filter(
            organizer_id=source.parent.organizer_id, kind=source.kind, start_date__lte=start, end_date__gte=start
        )
        .order_by("-start_date", "pk")
        .first()
    )


def copy_campaign(source: Week, *, actor, offset: datetime.timedelta, slug: str = "") -> Week:
    """Copy source with every date moved by offset, as a draft waiting for review (no publication schedule)."""
    plan = plan_copy(source, offset, slug)
    with transaction.atomic():
        copy = Week(
            slug=plan.slug,
            title=plan.title,
            kind=source.kind,
            name=source.name,
            edition=source.edition + 1 if source.edition else None,
            theme=source.theme,
            start_date=plan.start_date,
            end_date=plan.end_date,
            organizer=source.organizer,
            parent=_parent_for(source, plan.start_date),
            description=source.description,
            publish_at=_shift(source.publish_at, offset),
            reminder_minutes=source.reminder_minutes,
            daily_cutoff=source.daily_cutoff,
            daily_reminder_time=source.daily_reminder_time,
            summary_due_at=_shift(source.summary_due_at, offset),
            summary_char_limit=source.summary_char_limit,
            summary_mailbox=source.summary_mailbox,
            department_summary_mailbox=source.department_summary_mailbox,
            needs_review=True,
            copied_from=source,
        )
        copy.full_clean()
        copy.save()
        copy.report_orgs.set(source.report_orgs.all())
        SpecialDay.objects.bulk_create(
            SpecialDay(week=copy, date=_shift(day.date, offset), name=day.name, theme=day.theme)
            for day in source.special_days.all()
        )
        activities = {}
        for old in source.activities.exclude(status=Activity.Status.CANCELLED).order_by("start", "pk"):
            new = Activity(
                week=copy,
                kind=old.kind,
                title=old.title,
                description=old.description,
                start=_shift(old.start, offset),
                end=_shift(old.end, offset),
                all_day=old.all_day,
                platform=old.platform,
                place=old.place,
                link=old.link,
                audience=old.audience,
                organizer=old.organizer,
            )
            new.save()
            activities[old.pk] = new
        campaign_copied.send(Week, source=source, copy=copy, offset=offset, activities=activities)
        log_action(
            actor,
            actions.WEEK_COPY,
            copy,
            org=copy.organizer,
            data={"source": source.slug, "offset_days": offset.days, "activities": len(activities)},
        )
    return copy
