"""The demo data: the org tree, the demo logins and the 2020 weeks, read from fixtures/."""

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import import_string

from eventweek.dates import cn_date
from eventweek.models import Activity, Org, SpecialDay, User, Week

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def read_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _aware(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value).replace(tzinfo=LOCAL_TZ)


def load_orgs() -> dict[str, Org]:
    """Create the org tree; returns orgs by code."""
    orgs: dict[str, Org] = {}
    for order, (code, name, short, level, parent, email, phone, headcount) in enumerate(
        read_fixture("orgs.json")["orgs"]
    ):
        orgs[code] = Org.objects.create(
            code=code,
            name=name,
            short_name=short,
            level=level,
            parent=orgs[parent] if parent else None,
            email=email,
            phone=phone,
            headcount=headcount,
            sort_order=order,
        )
    return orgs


def load_users(orgs: dict[str, Org]) -> dict[str, User]:
    data = read_fixture("users.json")
    password = make_password(data["password"])  # hashed once: the same demo password for everyone
    users = {}
    for username, full_name, code, role in data["users"]:
        users[username] = User.objects.create(
            username=username,
            first_name=full_name,
            org=orgs[code],
            role=role,
            password=password,
            email=f"{username}@example.cn",
            is_staff=role == User.Role.ADMIN,
        )
    return users


def load_weeks(orgs: dict[str, Org], specs: list[dict] | None = None) -> dict[str, Week]:
    """Create weeks from specs shaped like fixtures/weeks.json (its weeks by default); returns weeks by slug."""
    weeks: dict[str, Week] = {}
    for spec in read_fixture("weeks.json")["weeks"] if specs is None else specs:
        publish_at = _aware(spec["publish_at"])
        week = Week.objects.create(
            slug=spec["slug"],
            title=spec["title"],
            edition=spec.get("edition"),
            theme=spec["theme"],
            start_date=datetime.date.fromisoformat(spec["start_date"]),
            end_date=datetime.date.fromisoformat(spec["end_date"]),
            organizer=orgs[spec["organizer"]],
            parent=(weeks.get(spec["parent"]) or Week.objects.get(slug=spec["parent"])) if spec.get("parent") else None,
            description=spec.get("description", ""),
            publish_at=publish_at,
            published_at=publish_at if spec.get("published") else None,
            reminder_minutes=spec.get("reminder_minutes", 60),
            daily_cutoff=datetime.time.fromisoformat(spec.get("daily_cutoff", "16:00")),
            daily_reminder_time=datetime.time.fromisoformat(spec.get("daily_reminder_time", "15:00")),
            summary_due_at=_aware(spec["summary_due_at"]) if spec.get("summary_due_at") else None,
            summary_mailbox=spec.get("summary_mailbox", ""),
            department_summary_mailbox=spec.get("department_summary_mailbox", ""),
        )
        week.report_orgs.set([orgs[code] for code in spec.get("report_orgs", [])])
        for date, name, theme in spec.get("special_days", []):
            SpecialDay.objects.create(week=week, date=datetime.date.fromisoformat(date), name=name, theme=theme)
        for item in spec["activities"]:
            all_day = item.get("all_day", False)
            if all_day:
                start = datetime.datetime.combine(
                    datetime.date.fromisoformat(item["start"]), datetime.time.min, LOCAL_TZ
                )
                end = datetime.datetime.combine(
                    datetime.date.fromisoformat(item["end"]) + datetime.timedelta(days=1), datetime.time.min, LOCAL_TZ
                )
            else:
                start, end = _aware(item["start"]), _aware(item["end"])
            Activity.objects.create(
                week=week,
                kind=item["kind"],
                title=item["title"],
                description=item.get("description", ""),
                start=start,
                end=end,
                all_day=all_day,
                platform=item.get("platform", ""),
                place=item.get("place", ""),
                link=item.get("link", ""),
                audience=item.get("audience", ""),
                organizer=orgs[item.get("organizer", spec["organizer"])],
            )
        weeks[week.slug] = week
    return weeks


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Load the core demo data: orgs, users, the 2020 national and Jiangsu weeks; returns its summary lines."""
    orgs = load_orgs()
    users = load_users(orgs)
    weeks = load_weeks(orgs)
    data = read_fixture("users.json")
    first = next(iter(weeks.values()))
    return [
        f"单位 {len(orgs)} 个，演示账号 {len(users)} 个，密码均为 {data['password']}"
        f"（{'、'.join(list(users)[:5])} 等）",
        f"2020 年活动周：{'、'.join(weeks)}（{cn_date(first.start_date, weekday=False)}至{cn_date(first.end_date, weekday=False)}）",
    ]


def load_all(stdout=None) -> list[str]:
    """Run every app's demo loader in settings.DEMO_LOADERS order, in one transaction; returns their summary lines.

    Each loader takes stdout (its own detail lines, given only when asked for) and returns a few Chinese summary lines
    (or None), so a new app's loader adds its part to the load_demo summary without the core knowing the app.
    """
    lines: list[str] = []
    with transaction.atomic():
        for dotted in settings.DEMO_LOADERS:
            lines += import_string(dotted)(stdout=stdout) or []
    return lines
