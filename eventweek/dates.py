"""The one way dates and times are written for people: "7月5日 周日 16:00", a midnight deadline as "7月14日 24:00"."""

import datetime

from django.utils import timezone

from eventweek.models import LOCAL_TZ

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def local_time(value):
    """An aware datetime in Beijing time; naive ones are taken as already local."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, LOCAL_TZ)
    return value


def cn_date(value, *, weekday: bool = True, year: bool = False) -> str:
    """A date (or the date of a datetime) as "7月5日 周日"."""
    if value in (None, ""):
        return ""
    day = local_time(value)
    text = f"{day.month}月{day.day}日"
    if year:
        text = f"{day.year}年{text}"
    if weekday:
        text += f" {WEEKDAYS[day.weekday()]}"
    return text


def cn_datetime(value, *, weekday: bool = True, year: bool = False, deadline: bool = False) -> str:
    """A datetime as "7月5日 周日 16:00"; a deadline at 00:00 is the end of the day before, "7月14日 24:00"."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return cn_date(value, weekday=weekday, year=year)
    moment = local_time(value)
    hour = f"{moment:%H:%M}"
    if deadline and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        moment -= datetime.timedelta(days=1)
        hour = "24:00"
    return f"{cn_date(moment, weekday=weekday, year=year)} {hour}"


def cn_stored(text: str) -> str:
    """A changelog value stored as "2020-06-30 09:00" or "2020-06-30", written the one way; other text unchanged."""
    for pattern, as_date in (("%Y-%m-%d %H:%M", False), ("%Y-%m-%d", True)):
        try:
            parsed = datetime.datetime.strptime(text, pattern)
        except (TypeError, ValueError):
            continue
        return cn_date(parsed.date()) if as_date else cn_datetime(parsed)
    return text
