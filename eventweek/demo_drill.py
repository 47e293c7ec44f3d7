"""The drill week (演练周): the 2020 national and Jiangsu weeks again, shifted so that their seven days contain today.

Dates come from the clock at load time (Asia/Shanghai): the week starts three days ago, so today is its fourth day,
and the 云竞答 activity runs from yesterday 09:00 to the day after tomorrow 17:00, so the drill quiz is open now. The
reporting and quiz apps add their drill data in their own demo_drill loaders (settings.DEMO_LOADERS).
"""

import copy
import datetime

from django.db import transaction
from django.utils import timezone

from eventweek.dates import cn_date
from eventweek.demo import load_weeks, read_fixture
from eventweek.models import LOCAL_TZ, Activity, Org

DRILL_SLUGS = {"2020-national": "drill-national", "2020-jiangsu": "drill-jiangsu"}
DRILL_WEEK = "drill-jiangsu"
DAYS_BEFORE_TODAY = 3


def drill_start(now: datetime.datetime | None = None) -> datetime.date:
    """The drill week's first day: three days before today, local time."""
    today = timezone.localtime(now or timezone.now(), LOCAL_TZ).date()
    return today - datetime.timedelta(days=DAYS_BEFORE_TODAY)


def _shift(value: str, days: int) -> str:
    """An ISO date or local date-time from the fixture, moved by whole days (wall-clock times kept)."""
    if "T" in value:
        return (datetime.datetime.fromisoformat(value) + datetime.timedelta(days=days)).isoformat(timespec="minutes")
    return (datetime.date.fromisoformat(value) + datetime.timedelta(days=days)).isoformat()


def drill_specs(start: datetime.date) -> list[dict]:
    """The 2020 week specs moved to start on `start`, renamed, published, with the quiz window around today."""
    specs = []
    for original in read_fixture("weeks.json")["weeks"]:
        spec = copy.deepcopy(original)
        days = (start - datetime.date.fromisoformat(spec["start_date"])).days
        spec["slug"] = DRILL_SLUGS[spec["slug"]]
        spec["parent"] = DRILL_SLUGS.get(spec.get("parent") or "")
        spec["title"] = spec["title"].replace("2020年", f"{start.year}年") + "（演练）"
        spec["edition"] = None
        spec["description"] = "演练周：日期随加载演示数据的当天生成，供试用各项功能。" + spec["description"]
        for key in ("start_date", "end_date", "summary_due_at"):
            if spec.get(key):
                spec[key] = _shift(spec[key], days)
        # Published four days before the week starts, at the same wall-clock time as in 2020.
        spec["publish_at"] = _shift(spec["publish_at"], days)
        spec["published"] = True
        spec["special_days"] = [[_shift(day, days), name, theme] for day, name, theme in spec.get("special_days", [])]
        for item in spec["activities"]:
            item["start"], item["end"] = _shift(item["start"], days), _shift(item["end"], days)
            if item["kind"] == Activity.Kind.QUIZ:
                # Open now whatever the hour: from yesterday 09:00 to the day after tomorrow 17:00.
                today = start + datetime.timedelta(days=DAYS_BEFORE_TODAY)
                item["start"] = f"{today - datetime.timedelta(days=1)}T09:00"
                item["end"] = f"{today + datetime.timedelta(days=2)}T17:00"
        specs.append(spec)
    return specs


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Create the drill weeks (national parent and Jiangsu) around today; returns the summary line."""
    start = drill_start()
    orgs = {org.code: org for org in Org.objects.all()}
    weeks = load_weeks(orgs, drill_specs(start))
    week = weeks[DRILL_WEEK]
    today = start + datetime.timedelta(days=DAYS_BEFORE_TODAY)
    if stdout is not None:
        stdout.write(f"drill weeks: {', '.join(weeks)} from {week.start_date} to {week.end_date}")
    return [
        f"演练周：{'、'.join(weeks)}（{cn_date(week.start_date, weekday=False)}至{cn_date(week.end_date, weekday=False)}，"
        f"今天 {cn_date(today, weekday=False)} 是第 {DAYS_BEFORE_TODAY + 1} 天，已发布）"
    ]
