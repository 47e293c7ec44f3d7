"""The facts a week summary's draft is written from, read in a constant number of queries: the org's scope, the
programme, the daily reports and their items, the dashboard's figures (on time, late, missing, participants,
recycling), the reviewer's highlights with their pictures, the quiz participation per org, the cities' summaries.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from eventweek.models import Activity, Org, Week
from eventweek.services.programme import programme
from reporting.models.reports import DailyReport, Highlight, ReportItem
from reporting.models.summaries import Summary
from reporting.summary.wordcount import count_chars

logger = logging.getLogger(__name__)

CLOUD_KINDS = [
    Activity.Kind.LAUNCH,
    Activity.Kind.LESSON,
    Activity.Kind.EXCHANGE,
    Activity.Kind.LIVESTREAM,
    Activity.Kind.QUIZ,
]


@dataclass
class DraftPicture:
    content: bytes = field(repr=False)
    caption: str = ""
    source: str = ""


@dataclass
class WeekFacts:
    week: Week
    org: Org
    scope_orgs: list[Org]  # the orgs whose daily reports this summary covers
    programme: list[Activity]
    reports: list[DailyReport]
    items_by_org: dict[int, list[ReportItem]]
    stats: dict  # reporting.services.week_report_stats totals
    highlights: list[Highlight]
    quiz_rows: list[dict]
    city_summaries: list[Summary]
    exchange: object = None  # exchange.services.tally.ExchangeFacts: the 云兑换 sums of the org's subtree, or None

    @property
    def items(self) -> list[ReportItem]:
        return [item for items in self.items_by_org.values() for item in items]

    @property
    def item_total(self) -> int:
        return self.stats["items"]

    @property
    def participants(self) -> int:
        return self.stats["participants"]

    @property
    def recycled_kg(self) -> Decimal:
        return Decimal(self.stats["recycled_kg"])


def _scope_orgs(week: Week, org: Org) -> list[Org]:
    """For the week's organizer, its daily reporters (else its children); for anyone else, itself."""
    if org.pk != week.organizer_id:
        return [org]
    orgs = list(week.report_orgs.all().order_by("path")) or list(org.children.all().order_by("path"))
    return [o for o in orgs if o.pk != org.pk]


def gather(week: Week, org: Org, now: datetime.datetime | None = None) -> WeekFacts:
    """Read everything the draft needs in a constant number of queries."""
    now = now or timezone.now()
    scope = _scope_orgs(week, org)
    by_path = sorted(scope, key=lambda o: len(o.path), reverse=True)

    def owner(report_org_path: str) -> Org | None:
        for candidate in by_path:
            if report_org_path.startswith(candidate.path):
                return candidate
        return None

    live_items = ReportItem.objects.filter(removed=False).order_by("position", "pk")
    reports = list(
        DailyReport.objects.filter(week=week, org__path__startswith=org.path, first_submitted_at__isnull=False)
        .select_related("org")
        .prefetch_related(Prefetch("items", queryset=live_items))
        .order_by("day", "org__path")
    )
    items_by_org: dict[int, list[ReportItem]] = defaultdict(list)
    for report in reports:
        target = owner(report.org.path)
        if target is None:
            continue
        items_by_org[target.pk].extend(report.items.all())
    from reporting.services.dashboard import week_report_stats
    from reporting.services.highlights import highlights_for

    # The same figures as the reporting dashboard: status by the cutoff, totals of the current versions.
    stats = week_report_stats(week, scope, now)["totals"]
    highlights = highlights_for(week, org)
    from quiz.services.participation import participation_by_org

    quiz_rows = []
    try:
        quiz_rows = participation_by_org(week, [org, *[o for o in scope if o.pk != org.pk]])
    except Exception:  # a quiz failure must not stop the office writing its summary
        logger.exception("quiz participation unavailable for week %s", week.pk)
    city_summaries = []
    if org.pk == week.organizer_id:
        city_summaries = list(
            Summary.objects.filter(week=week, org__in=scope, submissions__isnull=False)
            .select_related("org")
            .distinct()
            .order_by("org__path")
        )
    from exchange.services.tally import summary_facts

    return WeekFacts(
        week=week,
        org=org,
        scope_orgs=scope,
        programme=programme(week, public=False),
        reports=reports,
        items_by_org=dict(items_by_org),
        stats=stats,
        highlights=highlights,
        quiz_rows=quiz_rows,
        city_summaries=city_summaries,
        exchange=summary_facts(week, org),
    )


def picture_caption(highlight: Highlight, picture) -> str:
    """The picture's own caption; a short one ("活动现场" says nothing in a summary) gets the item's title in front."""
    item = highlight.item
    caption = picture.caption or f"{item.report.org.display_name}：{item.title}"
    if count_chars(caption) < 8 and item.title not in caption:
        caption = f"{item.title}{caption}"
    return caption


def draft_pictures(facts: WeekFacts, limit: int) -> list[DraftPicture]:
    """The pictures the reviewer chose for the highlights, first ones first, with captions."""
    out = []
    for highlight in facts.highlights:
        for picture in highlight.pictures.all():
            if picture.removed:
                continue
            if len(out) >= limit:
                return out
            try:
                with picture.image.open("rb") as handle:
                    content = handle.read()
            except (OSError, ValueError):
                logger.warning("highlight picture %s unreadable", picture.pk)
                continue
            caption = picture_caption(highlight, picture)
            out.append(DraftPicture(content, caption[:60], f"亮点图片 {picture.pk}"))
    return out
