"""Demo data for the reporting app (called by python manage.py load_demo after eventweek's).

The Jiangsu week gets daily reports from its 13 cities, some on time, some late, some missing, with pictures drawn
by Pillow at load time, one amendment, a few highlights and one forwarded package, so the dashboard is alive.
"""

import datetime
import io
import random
import uuid
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from eventweek.models import LOCAL_TZ, User, Week
from reporting.models.reports import Highlight
from reporting.pictures import check_picture
from reporting.services.highlights import forward_highlights, mark_highlight
from reporting.services.submission import ItemInput, submit_report

FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]

# (kind, title, place, mode, participants, recycled kg, description)
ITEMS = [
    (
        "kickoff",
        "节约型机关创建活动启动会",
        "市级机关会议中心",
        "mixed",
        180,
        None,
        "召开节能宣传周暨节约型机关创建启动会，部署本周各项活动。",
    ),
    (
        "launch",
        "组织干部职工收看“云启动”仪式",
        "新华社客户端",
        "online",
        2600,
        None,
        "各单位组织干部职工集中收看云启动直播。",
    ),
    (
        "lesson",
        "“云课堂”节约型机关创建政策解读",
        "清华大学在线教学直播平台",
        "online",
        1500,
        None,
        "干部职工扫码参加云课堂学习。",
    ),
    (
        "exhibition",
        "“十三五”公共机构节能成果展",
        "市民广场",
        "offline",
        420,
        None,
        "展出节能改造、能源托管等成果展板 30 块。",
    ),
    (
        "promotion",
        "节能新产品新技术推广会",
        "市政务服务中心",
        "offline",
        160,
        None,
        "邀请企业展示光伏、储能和智能照明产品。",
    ),
    ("garbage", "生活垃圾分类知识讲座", "市图书馆报告厅", "offline", 210, None, "讲解四分类标准，现场发放分类指南。"),
    (
        "recycling",
        "废旧物品回收兑换",
        "市级机关大院",
        "offline",
        350,
        Decimal("268.50"),
        "集中回收废旧报纸、硒鼓墨盒和电子产品。",
    ),
    (
        "sms",
        "节能公益短信推送",
        "全市公共机构",
        "online",
        12000,
        None,
        "协调运营商向全市公共机构干部职工发送节能公益短信。",
    ),
    (
        "lecture",
        "示范单位节能经验分享会",
        "市机关事务管理局",
        "mixed",
        90,
        None,
        "节水型单位、能效领跑者介绍经验做法。",
    ),
]
SHORTAGE = (
    "shortage",
    "能源紧缺体验日：绿色出行、关停空调",
    "全市公共机构",
    "offline",
    5200,
    None,
    "低碳日当天停开空调、公交骑行步行上班，少用一次性用品。",
)
COLOURS = [(31, 122, 77), (33, 102, 172), (183, 121, 31), (120, 80, 160), (192, 57, 43), (22, 120, 120)]


def _font(size: int):
    for path in FONT_PATHS:
        if Path(path).exists():
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
    return ImageFont.load_default()


def demo_picture(title: str, colour: tuple[int, int, int], caption: str) -> bytes:
    """A 640×480 JPEG poster with the title: stands in for a photo of the activity."""
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 480, 24):
        shade = tuple(min(255, c + i // 6) for c in colour)
        draw.rectangle([0, i, 640, i + 24], fill=shade)
    draw.rounded_rectangle([40, 150, 600, 330], radius=18, fill=(255, 255, 255))
    draw.text((320, 210), title[:16], fill=colour, font=_font(30), anchor="mm")
    draw.text((320, 270), caption[:20], fill=(80, 80, 80), font=_font(22), anchor="mm")
    draw.text((320, 420), "节能宣传周 · 演示图片", fill=(255, 255, 255), font=_font(20), anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class _Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name
        self.size = len(data)


def _checked(title, colour, caption):
    return check_picture(_Upload(demo_picture(title, colour, caption), "demo.jpg"), caption)


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL_TZ)


def _plan(city: int, index: int) -> str:
    """on_time / late / missing for a city on a day of the week, fixed so the demo looks the same every time."""
    if city == 0 and index == 6:
        return "missing"  # left for the demo: Nanjing's reporter files the last day from a phone
    if (city + index) % 9 == 8 or (city == 12 and index in (2, 3)):
        return "missing"
    if (city * 3 + index) % 7 == 0:
        return "late"
    return "on_time"


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Add this app's demo data; the core orgs, users and weeks already exist; returns its summary line."""
    week = Week.objects.filter(slug="2020-jiangsu").first()
    if week is None:
        return []
    rng = random.Random(2020)
    cities = list(week.report_orgs.order_by("sort_order", "path"))
    reporters = {u.org_id: u for u in User.objects.filter(org__in=cities, role=User.Role.REPORTER).order_by("pk")}
    pictures_cache: dict[tuple[str, int], object] = {}
    reports = {}
    for index, day in enumerate(week.days()):
        for c, city in enumerate(cities):
            plan = _plan(c, index)
            user = reporters.get(city.pk)
            if plan == "missing" or user is None:
                continue
            when = (
                _at(day, rng.randint(9, 15), rng.randint(0, 59))
                if plan == "on_time"
                else _at(day, rng.randint(16, 19), rng.randint(0, 59))
            )
            chosen = [SHORTAGE] if day == datetime.date(2020, 7, 2) else []
            chosen += rng.sample(ITEMS, k=2 if (c + index) % 3 else 1)
            items = []
            for k, (kind, title, place, mode, people, kg, text) in enumerate(chosen):
                count = 2 if k == 0 else (1 if (c + index) % 2 else 0)
                pics = []
                for n in range(count):
                    key = (title, n)
                    if key not in pictures_cache:
                        colour = COLOURS[(len(pictures_cache)) % len(COLOURS)]
                        pictures_cache[key] = _checked(title, colour, ["活动现场", "参与人员", "宣传展板"][n % 3])
                    pics.append(pictures_cache[key])
                items.append(
                    ItemInput(
                        title=f"{city.display_name}{title}" if k == 0 else title,
                        kind=kind,
                        place=f"{city.display_name}{place}" if mode != "online" else place,
                        mode=mode,
                        participants=max(10, int(people * (0.3 + rng.random()))),
                        recycled_kg=kg,
                        description=text,
                        new_pictures=pics,
                    )
                )
            report, _created = submit_report(
                week=week,
                org=city,
                day=day,
                user=user,
                token=uuid.uuid4(),
                expected_version=0,
                narrative=f"{city.display_name}{day.month}月{day.day}日共开展 {len(items)} 项活动，干部职工踊跃参与。",
                contact_name=user.first_name,
                contact_phone=city.phone,
                items=items,
                now=when,
            )
            reports[(city.code, day)] = report
    _amend_and_screen(week, reports)
    if stdout is not None:
        stdout.write(f"每日报送演示数据：{len(reports)} 份报送。")
    highlights = Highlight.objects.filter(week=week).count()
    return [f"2020 年江苏每日报送 {len(reports)} 份，亮点 {highlights} 条（已上报国管局一批）"]


def _amend_and_screen(week: Week, reports: dict) -> None:
    day1 = week.start_date
    day2 = day1 + datetime.timedelta(days=1)
    suzhou = reports.get(("320500", day1))
    if suzhou is not None:
        items = [
            ItemInput(
                id=i.pk,
                title=i.title,
                kind=i.kind,
                place=i.place,
                mode=i.mode,
                participants=(i.participants or 0) + 40,
                recycled_kg=i.recycled_kg,
                description=i.description + "（补充：另有 40 人线上参加。）",
            )
            for i in suzhou.items.filter(removed=False)
        ]
        submit_report(
            week=week,
            org=suzhou.org,
            day=day1,
            user=suzhou.submitted_by,
            token=uuid.uuid4(),
            expected_version=suzhou.version,
            narrative=suzhou.narrative + "（更正参与人数）",
            contact_name=suzhou.contact_name,
            contact_phone=suzhou.contact_phone,
            items=items,
            now=_at(day1, 17, 20),
        )
    reviewer = User.objects.filter(username="jiangsu_reviewer").first()
    if reviewer is None:
        return
    comments = ["形式新颖，参与面广", "线上线下结合，可在省门户专栏刊发", "特色鲜明，建议报送国管局"]
    order = 1
    for code in ("320100", "320500", "320200"):
        report = reports.get((code, day1))
        if report is None:
            continue
        item = report.items.filter(removed=False).order_by("position").first()
        mark_highlight(
            item,
            user=reviewer,
            comment=comments[order - 1],
            order=order,
            picture_ids=list(item.pictures.filter(removed=False).values_list("pk", flat=True)[:2]),
        )
        order += 1
    if order > 1:
        forward_highlights(week, day1, user=reviewer, now=_at(day1, 17, 40))
    for n, code in enumerate(("320400", "320600"), start=1):
        report = reports.get((code, day2))
        if report is not None:
            item = report.items.filter(removed=False).order_by("position").first()
            mark_highlight(item, user=reviewer, comment="做法可复制，拟明日上报", order=n)
