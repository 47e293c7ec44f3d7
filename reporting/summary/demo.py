"""Demo summaries (called by python manage.py load_demo after the reports and the quiz).

Also the generator of a week's daily reports the benchmark uses (and the demo, when the reports' own demo added none).
"""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from eventweek.models import LOCAL_TZ, Org, User, Week
from reporting.models.reports import DailyReport, Highlight, ItemKind, ReportItem, ReportPicture
from reporting.models.summaries import Summary, SummarySubmission

ITEM_TEMPLATES = [
    (ItemKind.KICKOFF, "节约型机关创建启动会", "召开节约型机关创建启动会，部署宣传周各项活动，发布节能倡议书"),
    (ItemKind.EXHIBITION, "“十三五”节能成果展", "在行政中心大厅和线上平台同步展出“十三五”以来公共机构节能成果"),
    (ItemKind.PROMOTION, "节能新产品新技术推介会", "邀请企业线上推介高效照明、空调节能改造和光伏发电等新技术"),
    (ItemKind.GARBAGE, "生活垃圾分类进机关", "开展垃圾分类知识宣讲和现场指导，设置分类投放点"),
    (ItemKind.RECYCLING, "废旧物品回收献爱心", "集中回收废旧报纸、硒鼓墨盒和电子产品，兑换扶贫产品"),
    (ItemKind.SHORTAGE, "能源紧缺体验日", "全国低碳日当天停开空调、关闭部分照明，干部职工绿色出行"),
    (ItemKind.SMS, "节能公益短信", "协调通信运营商向全市公共机构干部职工发送节能公益短信"),
    (ItemKind.LECTURE, "节能知识讲座", "邀请专家线上讲解能源资源形势和节能节水常识"),
    (ItemKind.LIVESTREAM, "组织观看“云直播”", "组织干部职工通过新华社客户端观看经验分享直播"),
]


def picture_bytes(text: str, seed: int, size=(800, 600)) -> bytes:
    """A small JPEG with a colour and a label, standing in for a photo."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randint(40, 200), rng.randint(90, 200), rng.randint(40, 160)))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, size[0] - 40, size[1] - 40], outline=(255, 255, 255), width=6)
    draw.text((60, 60), text, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_week_reports(
    week: Week,
    orgs: list[Org],
    *,
    items_per_day: int = 3,
    pictures_per_item: int = 1,
    highlights_per_org: int = 1,
    late_every: int = 9,
    seed: int = 2020,
) -> int:
    """Daily reports for every org and day of the week, with items, pictures and a few highlights; returns items."""
    rng = random.Random(seed)
    created = 0
    picture_content = {}
    for org_index, org in enumerate(orgs):
        highlighted = 0
        for day_index, day in enumerate(week.days()):
            cutoff = week.cutoff_for(day)
            late = late_every and (org_index * 7 + day_index) % late_every == late_every - 1
            submitted = cutoff + datetime.timedelta(hours=2) if late else cutoff - datetime.timedelta(hours=1)
            report = DailyReport.objects.create(
                week=week,
                org=org,
                day=day,
                narrative=f"{org.display_name}{day.month}月{day.day}日节能宣传活动情况。",
                version=1,
                first_submitted_at=submitted,
                submitted_at=submitted,
            )
            participants, recycled = 0, Decimal(0)
            for position in range(items_per_day):
                kind, title, description = ITEM_TEMPLATES[
                    (org_index + day_index * items_per_day + position) % len(ITEM_TEMPLATES)
                ]
                people = rng.randint(3, 60) * 10
                kg = Decimal(rng.randint(20, 300)) if kind == ItemKind.RECYCLING else None
                item = ReportItem.objects.create(
                    report=report,
                    position=position,
                    title=title,
                    kind=kind,
                    place=f"{org.display_name}市行政中心",
                    mode=ReportItem.Mode.MIXED,
                    participants=people,
                    recycled_kg=kg,
                    description=f"{description}。",
                )
                participants += people
                recycled += kg or 0
                chosen = []
                for number in range(pictures_per_item):
                    key = (org_index + number) % 5
                    if key not in picture_content:
                        picture_content[key] = picture_bytes(f"eventweek {key}", key)
                    picture = ReportPicture(
                        report=report,
                        item=item,
                        caption=f"{org.display_name}{title}现场（{number + 1}）",
                        content_type="image/jpeg",
                        width=800,
                        height=600,
                        size=len(picture_content[key]),
                        position=number,
                    )
                    picture.image.save(f"p{key}.jpg", ContentFile(picture_content[key]), save=False)
                    picture.thumbnail.name = picture.image.name
                    picture.save()
                    chosen.append(picture)
                if highlighted < highlights_per_org and position == 0 and day_index == org_index % 7:
                    highlight = Highlight.objects.create(
                        week=week, item=item, day=day, comment="形式新颖，参与面广。", order=org_index
                    )
                    highlight.pictures.set(chosen[:1])
                    highlighted += 1
                created += 1
            report.item_count = items_per_day
            report.picture_count = items_per_day * pictures_per_item
            report.participants = participants
            report.recycled_kg = recycled
            report.save()
    return created


CITY_SUMMARY = (
    "一、基本情况\n"
    "宣传周期间，{name}围绕“绿水青山，节能增效”主题，组织全市公共机构开展节约型机关创建、垃圾分类和能源紧缺体验等活动，"
    "各县（市、区）同步开展能源形势教育。\n"
    "二、主要做法和亮点\n"
    "（一）线上线下结合。组织干部职工观看“云启动”仪式和“云直播”，参加“云竞答”。\n"
    "三、取得成效\n"
    "干部职工节约意识进一步增强。\n"
    "四、下一步打算\n"
    "持续推进节约型机关创建。"
)


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Add demo summaries: a few Jiangsu cities have sent theirs (one late), so the board and the draft show them."""
    jiangsu = Week.objects.filter(slug="2020-jiangsu").first()
    if jiangsu is None:
        return []
    cities = list(jiangsu.report_orgs.order_by("path"))
    if not DailyReport.objects.filter(week=jiangsu).exists():
        make_week_reports(jiangsu, cities, items_per_day=2, pictures_per_item=1)
    from reporting.summary.services.editing import save_summary, start_summary
    from reporting.summary.services.submission import submit_summary

    plan = [
        ("320100", datetime.datetime(2020, 7, 8, 10, 0)),
        ("320400", datetime.datetime(2020, 7, 9, 16, 30)),
        ("320500", datetime.datetime(2020, 7, 10, 9, 15)),
    ]
    for code, at in plan:
        org = Org.objects.get(code=code)
        user = User.objects.filter(org=org).first()
        summary = start_summary(jiangsu, org, user)
        save_summary(summary, title=summary.title, body=CITY_SUMMARY.format(name=org.name), user=user, note="定稿")
        submitted_at = at.replace(tzinfo=LOCAL_TZ)
        submission = submit_summary(summary, user, now=submitted_at)
        # The demo does not send mail: shown as sent at the time of submission (the queued send then finds
        # nothing to claim).
        SummarySubmission.objects.filter(pk=submission.pk).update(
            status=SummarySubmission.MailStatus.SENT, attempts=1, sent_at=submitted_at
        )
    if stdout:
        stdout.write(f"summaries: {Summary.objects.count()}")
    return [f"2020 年江苏设区市活动周总结 {len(plan)} 份已报送（一份逾期）"]
