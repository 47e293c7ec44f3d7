"""Daily reports of the drill week (演练周, eventweek/demo_drill.py), filed through submit_report at past instants.

Before today each of the 13 cities is on time, late or missing on a fixed pattern (a late one is sometimes filed the
next morning). Today six cities have filed, at instants spread between midnight and now: before 16:00 all of them are
on time and the others are not yet due; after 16:00 the later filings are late and the others are missing. Nanjing
has not filed today, so nanjing_reporter finds today's form empty.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from eventweek.models import LOCAL_TZ, User, Week
from reporting.demo import ITEMS, _checked
from reporting.models.reports import Highlight
from reporting.services.highlights import mark_highlight
from reporting.services.status import local_today
from reporting.services.submission import ItemInput, submit_report

DRILL_WEEK = "drill-jiangsu"
FILED_TODAY = range(1, 7)  # city positions (sort order) that have filed today: Wuxi … Nantong


def drill_plan(city: int, index: int) -> str:
    """on_time / late / late_next_day / missing for a city on a day before today, fixed so counts are known."""
    if (city + 2 * index) % 5 == 4:
        return "missing"
    if (city + index) % 4 == 3:
        return "late_next_day" if city % 2 else "late"
    return "on_time"


def filing_time(week: Week, city: int, index: int, now: datetime.datetime) -> datetime.datetime | None:
    """When the city filed the week's day `index` (None: not filed); always before now."""
    day = week.start_date + datetime.timedelta(days=index)
    today = local_today(now)
    midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL_TZ)
    if day == today:
        if city not in FILED_TODAY:
            return None
        # Spread between midnight and now: whether a filing is late depends on the hour the demo is loaded.
        share = (city - FILED_TODAY.start + 1) / (len(FILED_TODAY) + 1)
        return midnight + (now - midnight) * share
    plan = drill_plan(city, index)
    if plan == "missing":
        return None
    if plan == "on_time":
        return midnight + datetime.timedelta(hours=9 + city % 6, minutes=7 * city % 60)
    if plan == "late_next_day" and day + datetime.timedelta(days=1) < today:
        return midnight + datetime.timedelta(days=1, hours=8, minutes=30 + city)
    return midnight + datetime.timedelta(hours=17, minutes=5 * city)


@transaction.atomic
def load(stdout=None) -> list[str]:
    """File the drill week's reports up to now and mark two of yesterday's items as highlights; returns the summary."""
    week = Week.objects.filter(slug=DRILL_WEEK).first()
    if week is None:
        return []
    now = timezone.now()
    today = local_today(now)
    cities = list(week.report_orgs.order_by("sort_order", "path"))
    reporters = {u.org_id: u for u in User.objects.filter(org__in=cities, role=User.Role.REPORTER).order_by("pk")}
    pictures: dict[str, object] = {}
    filed = {}
    for index, day in enumerate(week.days()):
        if day > today:
            break
        for c, city in enumerate(cities):
            when = filing_time(week, c, index, now)
            user = reporters.get(city.pk)
            if when is None or user is None:
                continue
            kind, title, place, mode, people, kg, text = ITEMS[(c + index) % len(ITEMS)]
            if title not in pictures:
                pictures[title] = _checked(title, (31, 122, 77), "演练周 · 活动现场")
            item = ItemInput(
                title=f"{city.display_name}{title}",
                kind=kind,
                place=place if mode == "online" else f"{city.display_name}{place}",
                mode=mode,
                participants=people // 2 + 10 * c,
                recycled_kg=kg,
                description=text,
                new_pictures=[pictures[title]],
            )
            report, _created = submit_report(
                week=week,
                org=city,
                day=day,
                user=user,
                token=uuid.uuid4(),
                expected_version=0,
                narrative=f"{city.display_name}{day.month}月{day.day}日开展演练活动 1 项。",
                contact_name=user.first_name,
                contact_phone=city.phone,
                items=[item],
                now=when,
            )
            filed[(c, day)] = report
    marked = _mark_highlights(week, filed, today - datetime.timedelta(days=1))
    today_count = sum(1 for (_c, day) in filed if day == today)
    if stdout is not None:
        stdout.write(f"drill reports: {len(filed)}, today {today_count}, highlights {marked}")
    return [f"演练周每日报送 {len(filed)} 份（今天已有 {today_count} 个市报送，16:00 截止），亮点 {marked} 条"]


def _mark_highlights(week: Week, filed: dict, day: datetime.date) -> int:
    reviewer = User.objects.filter(username="jiangsu_reviewer").first()
    if reviewer is None:
        return 0
    reports = [report for (_c, d), report in sorted(filed.items(), key=lambda kv: kv[0][0]) if d == day][:2]
    for order, report in enumerate(reports, start=1):
        item = report.items.filter(removed=False).order_by("position").first()
        mark_highlight(item, user=reviewer, comment="演练周亮点：做法可复制", order=order)
    return Highlight.objects.filter(week=week).count()
