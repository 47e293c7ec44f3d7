"""Demo: a few daily reports of Changzhou's 2022 节水宣传周 (eventweek/demo_campaigns.py), filed on time."""

import datetime
import uuid
from decimal import Decimal

from django.db import transaction

from eventweek.demo_campaigns import WATER_WEEK
from eventweek.models import LOCAL_TZ, User, Week
from reporting.models.reports import ItemKind, ReportItem
from reporting.services.submission import ItemInput, submit_report

REPORTS = [
    (
        0,
        ItemKind.EXHIBITION,
        "节水知识进机关巡展启动",
        "市行政中心一楼大厅",
        320,
        None,
        "在市行政中心设置节水知识展板 12 块，发放节水宣传册 500 份。",
    ),
    (
        1,
        ItemKind.LECTURE,
        "节水型单位建设经验交流会",
        "市行政中心 3 号会议室",
        86,
        None,
        "6 家节水型单位交流用水计量、漏损排查和雨水回用经验。",
    ),
    (
        4,
        ItemKind.OTHER,
        "节水器具更换与漏损排查",
        "市级机关各办公区",
        45,
        Decimal("120.5"),
        "更换感应式水嘴 64 个，排查并修复漏点 9 处，回收旧器具 120.5 千克。",
    ),
]


@transaction.atomic
def load(stdout=None) -> list[str]:
    """File Changzhou's reports on three days of the water-saving week; returns the summary line."""
    week = Week.objects.filter(slug=WATER_WEEK).first()
    reporter = User.objects.filter(username="changzhou_reporter").select_related("org").first()
    if week is None or reporter is None or week.daily_reports.exists():
        return []
    org = reporter.org
    for index, kind, title, place, people, kg, text in REPORTS:
        day = week.start_date + datetime.timedelta(days=index)
        submit_report(
            week=week,
            org=org,
            day=day,
            user=reporter,
            token=uuid.uuid4(),
            expected_version=0,
            narrative=f"常州市{day.month}月{day.day}日开展节水宣传活动 1 项。",
            contact_name=reporter.first_name,
            contact_phone=org.phone,
            items=[
                ItemInput(
                    title=title,
                    kind=kind,
                    place=place,
                    mode=ReportItem.Mode.OFFLINE,
                    participants=people,
                    recycled_kg=kg,
                    description=text,
                )
            ],
            now=datetime.datetime.combine(day, datetime.time(11, 30), tzinfo=LOCAL_TZ),
        )
    return [f"常州市节水宣传周每日报送 {len(REPORTS)} 份"]
