"""Demo: Changzhou's 2022 节水宣传周 (seed 002's city, org 320400), a campaign of another kind on the same machinery.

The reporting app files a few of its daily reports in reporting/demo_campaigns.py (settings.DEMO_LOADERS).
"""

from django.db import transaction

from eventweek.campaigns import CampaignKind
from eventweek.demo import load_weeks
from eventweek.models import Org, Week

WATER_WEEK = "2022-changzhou-water"
WATER_SPEC = {
    "slug": WATER_WEEK,
    "title": "2022年常州市公共机构节水宣传周",
    "theme": "落实节水优先方针，建设节水型城市",
    "start_date": "2022-05-15",
    "end_date": "2022-05-21",
    "organizer": "320400",
    "description": "按照《2022年常州市公共机构能源资源节约和生态环境保护工作要点》，在全市公共机构开展节水宣传。",
    "publish_at": "2022-05-10T09:00",
    "published": True,
    "summary_due_at": "2022-05-27T17:00",
    "report_orgs": ["320400", "320412", "320413"],
    "special_days": [],
    "activities": [
        {
            "kind": "local",
            "title": "节水型单位建设经验交流会",
            "start": "2022-05-16T09:30",
            "end": "2022-05-16T11:00",
            "place": "常州市行政中心",
            "audience": "市级机关各部门节能管理员",
        },
        {
            "kind": "local",
            "title": "节水知识进机关巡展",
            "start": "2022-05-15",
            "end": "2022-05-21",
            "all_day": True,
            "place": "各辖市区机关办公区",
            "audience": "全市公共机构干部职工",
        },
        {
            "kind": "lesson",
            "title": "“云课堂”：公共机构节水技术改造与用水管理",
            "start": "2022-05-18T14:30",
            "end": "2022-05-18T16:00",
            "platform": "腾讯会议",
            "audience": "全市公共机构",
        },
        {
            "kind": "local",
            "title": "节水器具更换与漏损排查行动",
            "start": "2022-05-19",
            "end": "2022-05-20",
            "all_day": True,
            "place": "各单位",
            "audience": "后勤管理人员",
        },
    ],
}


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Create Changzhou's 2022 water-saving week with its programme (published); returns its summary line."""
    if Week.objects.filter(slug=WATER_WEEK).exists():
        return []
    orgs = {org.code: org for org in Org.objects.filter(code__in=WATER_SPEC["report_orgs"])}
    if "320400" not in orgs:
        return []
    week = load_weeks(orgs, [WATER_SPEC])[WATER_WEEK]
    Week.objects.filter(pk=week.pk).update(kind=CampaignKind.WATER)
    return [f"常州市2022年节水宣传周：{WATER_WEEK}（5月15日至5月21日，活动 {week.activities.count()} 项，已发布）"]
