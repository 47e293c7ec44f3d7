"""The one date filter of every page: {% load eventweek_dates %} then |cn_datetime, |cn_datetime:"deadline", |cn_date."""

from django import template

from eventweek import dates

register = template.Library()


def _options(arg: str) -> dict:
    """Comma-separated variants: deadline (00:00 reads 24:00 the day before), short (no weekday), year."""
    words = {word.strip() for word in (arg or "").split(",") if word.strip()}
    unknown = words - {"deadline", "short", "year"}
    if unknown:
        raise template.TemplateSyntaxError(f"cn_datetime: unknown variant {sorted(unknown)}")
    return {"deadline": "deadline" in words, "weekday": "short" not in words, "year": "year" in words}


@register.filter
def cn_datetime(value, arg: str = "") -> str:
    """ "7月5日 周日 16:00"; with "deadline" a midnight reads "7月14日 24:00"."""
    return dates.cn_datetime(value, **_options(arg))


@register.filter
def cn_date(value, arg: str = "") -> str:
    """ "7月5日 周日" ("short": "7月5日", "year": "2020年7月5日 周日")."""
    options = _options(arg)
    return dates.cn_date(value, weekday=options["weekday"], year=options["year"])


@register.filter
def cn_time(value) -> str:
    """ "16:00" in Beijing time."""
    if value in (None, ""):
        return ""
    return f"{dates.local_time(value):%H:%M}"


@register.filter
def cn_stored(value) -> str:
    """A changelog's stored "2020-06-30 09:00" as "6月30日 周二 09:00"."""
    return dates.cn_stored(value)
