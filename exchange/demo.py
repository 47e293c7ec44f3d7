"""Demo loader: the 2020 national 云兑换 (07-01) with central departments' registrations and records.

Central departments hang directly under the national bureau. The fixtures hold two (教育部, 生态环境部); three more are
added here, each with a demo login, so the registrations cover approved, returned and pending ones. Everything goes
through the services, with the clock of 2020: registered before the day, decided on 6/29 and 6/30, recorded on 7/1.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from eventweek.demo import read_fixture
from eventweek.models import LOCAL_TZ, Activity, Org, User
from exchange.services.recording import ProductInput, RecordInput, record_exchange
from exchange.services.registration import (
    RegistrationInput,
    approve_registration,
    register_unit,
    return_registration,
)
from exchange.services.tally import build_tally
from reporting.demo import _checked

# code, name, short name, headcount: added when missing.
DEPARTMENTS = [
    ("100103", "国家发展和改革委员会", "国家发展改革委", 2600),
    ("100104", "财政部", "财政部", 2400),
    ("100105", "水利部", "水利部", 2100),
]
# org code → login, contact, registration, decision, record (None: not recorded)
UNITS = [
    (
        "100101",
        "jiaoyubu_admin",
        ("王老师", "138 1000 0101", "废旧报纸约 300 千克、墨盒 50 个、旧电脑 10 台", "河北省威县、青龙满族自治县"),
        "approve",
        RecordInput(
            newspapers_kg=Decimal("320.5"),
            ink_cartridges=48,
            electronics=12,
            products=[
                ProductInput("威县梨", Decimal("2000"), "河北省威县"),
                ProductInput("青龙板栗", Decimal("1580.5"), "河北省青龙满族自治县"),
            ],
        ),
    ),
    (
        "100102",
        "sthjb_admin",
        ("李明", "139 1000 0102", "废旧报纸约 200 千克、墨盒 20 个、旧衣物", "河北省围场满族蒙古族自治县、隆化县"),
        "approve",
        RecordInput(
            newspapers_kg=Decimal("186"),
            ink_cartridges=25,
            electronics=6,
            other_name="旧衣物",
            other_count=40,
            products=[ProductInput("围场马铃薯粉条", Decimal("2460"), "河北省围场满族蒙古族自治县")],
        ),
    ),
    (
        "100103",
        "fgw_admin",
        ("张华", "137 1000 0103", "废旧报纸约 250 千克、墨盒 30 个、旧手机 10 部", "贵州省的茶叶和小米"),
        "approve",
        RecordInput(
            newspapers_kg=Decimal("254.25"),
            ink_cartridges=30,
            electronics=9,
            products=[
                ProductInput("都匀毛尖茶", Decimal("1800"), "贵州省"),
                ProductInput("小米", Decimal("960"), "贵州省"),
            ],
        ),
    ),
    ("100104", "czb_admin", ("赵敏", "136 1000 0104", "废旧物品若干", "待定"), "return", None),
    ("100105", "slb_admin", ("陈静", "135 1000 0105", "废旧报纸约 100 千克", "湖北省郧阳区香菇"), "pending", None),
]


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2020, month, day, hour, minute, tzinfo=LOCAL_TZ)


def _departments() -> dict[str, Org]:
    national = Org.objects.get(code="100000")
    last = Org.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    for offset, (code, name, short, headcount) in enumerate(DEPARTMENTS, start=1):
        if not Org.objects.filter(code=code).exists():
            Org.objects.create(
                code=code,
                name=name,
                short_name=short,
                level=Org.Level.DEPARTMENT,
                parent=national,
                headcount=headcount,
                sort_order=last + offset,
            )
    return {org.code: org for org in Org.objects.filter(code__in=[unit[0] for unit in UNITS])}


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Registrations and records of the 2020 national exchange; returns its summary line."""
    activity = Activity.objects.select_related("week__organizer").get(
        week__slug="2020-national", kind=Activity.Kind.EXCHANGE
    )
    orgs = _departments()
    reviewer = User.objects.get(username="national_admin")
    password = make_password(read_fixture("users.json")["password"])
    counts = {"approve": 0, "return": 0, "pending": 0}
    for minute, (code, username, (name, phone, items, area), decision, record) in enumerate(UNITS):
        org = orgs[code]
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": f"{org.display_name}管理员", "org": org, "role": User.Role.ADMIN},
        )
        if _created:
            user.password = password
            user.save(update_fields=["password"])
        registration = register_unit(
            activity, org, user, RegistrationInput(name, phone, items, area), now=_at(6, 26, 10, minute)
        )
        counts[decision] += 1
        if decision == "approve":
            approve_registration(registration, reviewer, now=_at(6, 29, 9, minute))
        elif decision == "return":
            return_registration(
                registration,
                reviewer,
                "预计回收物品和定点扶贫产品未写明，请补充后重新备案。",
                now=_at(6, 29, 9, minute),
            )
        if record is not None:
            record.new_pictures = [_checked(f"{org.display_name}云兑换", (46, 125, 50), "废旧物品集中回收现场")]
            record_exchange(activity, org, user, record, now=_at(7, 1, 15, minute))
    total = build_tally([activity], activity.week.organizer).total
    if stdout is not None:
        stdout.write(f"exchange: {len(UNITS)} registrations, {total.units} records")
    return [
        f"2020 年全国“云兑换”（7月1日）：中央国家机关部门备案 {len(UNITS)} 家（通过 {counts['approve']}、"
        f"退回 {counts['return']}、待审核 {counts['pending']}），兑换记录 {total.units} 份，"
        f"共回收废旧报纸 {total.newspapers_kg.normalize():f} 千克，兑换扶贫产品 {total.products_yuan.normalize():f} 元"
    ]
