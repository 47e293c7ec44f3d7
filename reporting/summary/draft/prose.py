"""The compiled draft of a week's summary: real prose written from the gathered facts, within the limit.

Sections as such summaries are written: 一、基本情况 (theme, dates, who reported what), 二、主要做法和亮点 (the national
online activities joined, the themed activities by kind and org, the reviewer's highlights with their pictures, and for a
province its cities' own summaries), 三、取得成效 (figures: reports on time, late and missing; items; participants; quiz
participation per org; recycling), 四、下一步打算. When the full text would pass the limit, the detail is cut step by step.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from eventweek.campaigns import (
    campaign_name,
    edition_text,
    period_word,
    short_during,
    short_word,
    summary_title,
    topic_word,
)
from eventweek.models import Activity, Org, Week
from reporting.models.reports import ItemKind
from reporting.models.summaries import Summary
from reporting.summary.docx import DocPicture, SummaryDocument
from reporting.summary.draft.abstracts import city_abstracts, clip_text
from reporting.summary.draft.facts import CLOUD_KINDS, DraftPicture, WeekFacts, draft_pictures, gather
from reporting.summary.wordcount import count_document

CN_NUMBERS = "一二三四五六七八九十"


@dataclass
class Draft:
    title: str
    body: str
    pictures: list[DraftPicture] = field(default_factory=list)

    @property
    def char_count(self) -> int:
        return count_document(self.title, self.body, [p.caption for p in self.pictures])

    def document(self) -> SummaryDocument:
        """The draft as the Word writer takes it."""
        return SummaryDocument(self.title, self.body, [DocPicture(p.content, p.caption) for p in self.pictures])


@dataclass
class Detail:
    """How much of the data the prose carries; the compiler lowers it until the text fits."""

    items_per_org: int = 4
    highlights: int = 6
    highlight_chars: int = 90
    city_summaries: bool = True
    city_chars: int = 70
    pictures: int = 4
    quiz_orgs: int = 13
    compact: bool = False  # the national activities in one line, no programme description, no breakdown by kind


LEVELS = [
    Detail(),
    Detail(items_per_org=3, highlights=5, highlight_chars=60, city_chars=50, pictures=4, quiz_orgs=13),
    Detail(items_per_org=2, highlights=4, highlight_chars=45, city_chars=36, pictures=3, quiz_orgs=6),
    Detail(items_per_org=1, highlights=3, highlight_chars=30, city_summaries=False, pictures=3, quiz_orgs=3),
    Detail(items_per_org=0, highlights=2, highlight_chars=24, city_summaries=False, pictures=2, quiz_orgs=0),
    Detail(items_per_org=0, highlights=0, highlight_chars=0, city_summaries=False, pictures=2, quiz_orgs=0),
    Detail(
        items_per_org=0, highlights=0, highlight_chars=0, city_summaries=False, pictures=1, quiz_orgs=0, compact=True
    ),
]


# -- the prose -----------------------------------------------------------------------------------------------------


def _md(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def _percent(rate: float | None) -> str:
    if rate is None:
        return ""
    return "不足0.1%" if 0 < rate < 0.001 else f"{rate * 100:.1f}%"


def _name(org: Org) -> str:
    return org.display_name


def _scope_word(facts: WeekFacts) -> str:
    return {"province": "全省", "city": "全市", "county": "全县（市、区）", "national": "全国"}.get(
        facts.org.level, "本单位"
    )


def _joined(names: list[str]) -> str:
    """Quoted names the Chinese way: “甲”“乙”; inner double quotes become single ones."""
    return "".join("“" + n.replace("“", "‘").replace("”", "’") + "”" for n in names)


def _cloud_sentence(facts: WeekFacts, detail: Detail) -> str:
    if detail.compact:
        kinds = []
        for activity in facts.programme:
            label = activity.get_kind_display()
            if activity.kind in CLOUD_KINDS and not activity.is_cancelled and label not in kinds:
                kinds.append(label)
        if not kinds:
            return ""
        return f"（一）积极参与全国线上活动。组织干部职工参加{_joined(kinds)}等全国线上活动。"
    parts = []
    for activity in facts.programme:
        if activity.kind not in CLOUD_KINDS or activity.is_cancelled:
            continue
        label = activity.get_kind_display()
        title = " ".join(activity.title.replace("“", "").replace("”", "").split()).replace(" ", "，")
        short = title.split("：", 1)[-1] if "：" in title else title
        if activity.kind == Activity.Kind.LIVESTREAM:
            parts.append(f"{_md(activity.first_day)}观看“{label}”{short}")
        elif activity.kind == Activity.Kind.QUIZ:
            parts.append(f"{_md(activity.first_day)}至{_md(activity.last_day)}参加“{label}”有奖竞答")
        else:
            parts.append(
                f"{_md(activity.first_day)}参加“{label}”{short if activity.kind != Activity.Kind.LAUNCH else '仪式'}"
            )
    if not parts:
        return ""
    return f"（一）积极参与全国线上活动。{_scope_word(facts)}公共机构干部职工按照统一部署，" + "，".join(parts) + "。"


def _local_sentence(facts: WeekFacts, detail: Detail) -> str:
    local = [a for a in facts.programme if a.kind == Activity.Kind.LOCAL and not a.is_cancelled]
    if not local:
        return ""
    titles = _joined([a.title for a in local])
    first = clip_text(local[0].description, 80) if local[0].description and not detail.compact else ""
    return f"（二）开展主题宣传活动。围绕{short_word(facts.week)}安排，组织开展{titles}等活动。{first}"


def _kinds_sentence(facts: WeekFacts) -> str:
    counter = Counter(item.kind for item in facts.items)
    if not counter:
        return ""
    labels = dict(ItemKind.choices)
    parts = [f"{labels.get(kind, kind)}{n}项" for kind, n in counter.most_common()]
    return "从活动类型看，开展" + "、".join(parts) + "。"


def _orgs_sentence(facts: WeekFacts, detail: Detail) -> str:
    if detail.items_per_org <= 0 or not facts.items_by_org:
        return ""
    parts = []
    for org in facts.scope_orgs:
        items = facts.items_by_org.get(org.pk, [])
        if not items:
            continue
        seen, titles = set(), []
        for item in items:
            if item.title not in seen:
                seen.add(item.title)
                titles.append(item.title)
        shown = titles[: detail.items_per_org]
        more = "等" if len(titles) > len(shown) else ""
        parts.append(f"{_name(org)}开展{_joined(shown)}{more}{len(items)}项活动")
    if not parts:
        return ""
    return "各地结合实际创新形式：" + "；".join(parts) + "。"


def _highlight_paragraphs(facts: WeekFacts, detail: Detail, number: int) -> list[str]:
    chosen = facts.highlights[: detail.highlights]
    if not chosen:
        return []
    head = f"（{CN_NUMBERS[number]}）突出特色亮点。经审核筛选，{short_during(facts.week)}共选出亮点活动{len(facts.highlights)}项"
    # Say how many are described when it is fewer than were chosen: the reader must not count 6 and read 9.
    more = f"，择要介绍其中{len(chosen)}项" if len(chosen) < len(facts.highlights) else ""
    lines = [f"{head}{more}。"]
    for highlight in chosen:
        item = highlight.item
        text = clip_text(item.description or highlight.comment, detail.highlight_chars)
        who = _name(item.report.org)
        people = f"参与{item.participants}人次，" if item.participants else ""
        title = item.title.replace("“", "‘").replace("”", "’")
        lines.append(f"{_md(highlight.day)}，{who}开展“{title}”，{people}{text}")
    return lines


def _city_paragraphs(facts: WeekFacts, detail: Detail, number: int) -> list[str]:
    if not detail.city_summaries or not facts.city_summaries:
        return []
    lines = [
        f"（{CN_NUMBERS[number]}）各地总结情况。{len(facts.city_summaries)}个单位报送了{period_word(facts.week)}总结，摘要如下。"
    ]
    abstracts = city_abstracts(facts.city_summaries, detail.city_chars, known=_opening(facts))
    for summary in facts.city_summaries:
        text = abstracts.get(summary.pk, "")
        if text:
            lines.append(f"{_name(summary.org)}：{text}")
    return lines


def _coverage(row: dict) -> str:
    """ "覆盖16/18个单位" when units without a headcount are left out of the row's rate (on both sides), else ""."""
    units, covered = row.get("units", 0), row.get("covered_units", 0)
    return f"覆盖{covered}/{units}个单位" if units and covered < units else ""


def _quiz_sentence(facts: WeekFacts, detail: Detail) -> str:
    rows = [row for row in facts.quiz_rows if row.get("count")]
    if not rows:
        return ""
    own = next((row for row in rows if row["org"].pk == facts.org.pk), None)
    sentence = ""
    if own:
        rate = ""
        if own.get("rate") is not None:
            coverage = _coverage(own)
            rate = f"，参与率{_percent(own['rate'])}" + (f"（{coverage}）" if coverage else "")
        sentence = f"“云竞答”活动中，{_scope_word(facts)}共{own['count']}人次参与{rate}"
    others = [row for row in rows if row["org"].pk != facts.org.pk][: detail.quiz_orgs]
    if others:
        parts = []
        for row in others:
            rate = ""
            if row.get("rate") is not None:
                rate = "（" + "，".join(filter(None, [_percent(row["rate"]), _coverage(row)])) + "）"
            parts.append(f"{_name(row['org'])}{row['count']}人次{rate}")
        sentence += ("，其中" if sentence else "“云竞答”活动中，") + "、".join(parts)
    return sentence + "。" if sentence else ""


def _figures_sentence(facts: WeekFacts) -> str:
    days = len(facts.week.days())
    if facts.org.pk == facts.week.organizer_id:
        expected = len(facts.scope_orgs) * days
        head = f"{short_during(facts.week)}，{len(facts.scope_orgs)}个单位每日报送活动信息，应报{expected}期"
    else:
        head = f"{short_word(facts.week)}{days}天内应报送每日信息{days}期"
    stats = facts.stats
    text = f"{head}，按时报送{stats['on_time']}期、迟报{stats['late']}期、缺报{stats['missing']}期"
    if stats["not_due"]:
        text += f"、尚未到期{stats['not_due']}期"
    items = facts.item_total
    if items:
        text += f"；共开展各类活动{items}项，参与干部职工{facts.participants}人次"
    if facts.recycled_kg:
        text += f"，回收废旧物品{facts.recycled_kg.normalize():f}千克"
    return text + "。"


def _above(facts: WeekFacts) -> str:
    week = facts.week
    if week.organizer_id != facts.org.pk:
        return week.organizer.display_name
    return week.parent.organizer.display_name if week.parent_id else "上级"


def _opening(facts: WeekFacts) -> str:
    week = facts.week
    dates = (
        _md(week.start_date) if week.start_date == week.end_date else f"{_md(week.start_date)}至{_md(week.end_date)}"
    )
    text = (
        f"{week.start_date.year}年{dates}是{edition_text(week) or campaign_name(week)}，"
        f"宣传主题是“{week.theme}”。{facts.org.name}按照{_above(facts)}部署，"
        f"坚持节俭办活动、以线上活动为主，组织{_scope_word(facts)}公共机构开展形式多样的{topic_word(week)}宣传活动"
    )
    days = list(week.special_days.all())
    for parent in week.ancestry()[1:]:
        if not days:
            days = list(parent.special_days.all())
    for day in days:
        theme = f"，主题是“{day.theme}”" if day.theme else ""
        text += f"；{_md(day.date)}为{day.name}{theme}"
    return text + "。"


def _results(facts: WeekFacts, detail: Detail) -> list[str]:
    lines = ["三、取得成效"]
    text = f"一是节约意识明显增强。通过线上线下相结合的宣传，“{facts.week.theme}”理念深入人心。"
    quiz = _quiz_sentence(facts, detail)
    if quiz:
        text += quiz
    lines.append(text)
    items = facts.item_total
    if items:
        lines.append(
            f"二是活动覆盖面广。{_scope_word(facts)}共开展各类活动{items}项，参与干部职工{facts.participants}人次，"
            "节约型机关创建和生活垃圾分类工作得到进一步推动。"
        )
    else:
        lines.append("二是活动覆盖面广。节约型机关创建和生活垃圾分类工作得到进一步推动。")
    if facts.recycled_kg:
        lines.append(
            f"三是资源循环利用取得实效。回收废旧物品{facts.recycled_kg.normalize():f}千克，践行了资源循环利用理念。"
        )
    exchange = _exchange_sentence(facts)
    if exchange:
        lines.append(f"{CN_NUMBERS[len(lines) - 1]}是{exchange}")
    return lines


def _amount(value) -> str:
    """12.50 → 12.5, 300.00 → 300."""
    return f"{value.normalize():f}"


def _exchange_sentence(facts: WeekFacts) -> str:
    """The 云兑换 sums of the org's subtree ("" without a record: the draft reads as before)."""
    ex = facts.exchange
    if ex is None:
        return ""
    others = "、".join(
        part
        for part in (
            f"墨盒硒鼓{ex.ink_cartridges}个" if ex.ink_cartridges else "",
            f"电子产品{ex.electronics}件" if ex.electronics else "",
        )
        if part
    )
    others = f"，另回收{others}" if others else ""
    return (
        f"“云兑换”献爱心。{ex.units}个单位参加“云兑换”活动，共回收废旧报纸{_amount(ex.newspapers_kg)}千克，"
        f"兑换扶贫产品{_amount(ex.products_yuan)}元{others}，助力打赢脱贫攻坚战。"
    )


def _next_steps(facts: WeekFacts) -> list[str]:
    return [
        "四、下一步打算",
        f"下一步，{_name(facts.org)}将认真总结{short_word(facts.week)}活动经验，把{topic_word(facts.week)}宣传融入日常工作，持续推进节约型机关创建、"
        "生活垃圾分类和绿色低碳出行，推广节能新产品新技术，推动公共机构节能工作取得新成效。",
    ]


def _title(week: Week, org: Org) -> str:
    return summary_title(org, week)


def write_body(facts: WeekFacts, detail: Detail) -> str:
    kinds = "" if detail.compact else _kinds_sentence(facts)
    lines = ["一、基本情况", _opening(facts), _figures_sentence(facts) + kinds, "二、主要做法和亮点"]
    number = 0
    cloud = _cloud_sentence(facts, detail)
    if cloud:
        lines.append(cloud)
        number += 1
    local = _local_sentence(facts, detail)
    orgs = _orgs_sentence(facts, detail)
    if local or orgs:
        if local:
            local = local.replace("（二）", f"（{CN_NUMBERS[number]}）", 1)
            lines.append(local + orgs)
        else:
            lines.append(f"（{CN_NUMBERS[number]}）开展主题宣传活动。" + orgs)
        number += 1
    highlight_lines = _highlight_paragraphs(facts, detail, number)
    if highlight_lines:
        lines.extend(highlight_lines)
        number += 1
    lines.extend(_city_paragraphs(facts, detail, number))
    lines.extend(_results(facts, detail))
    lines.extend(_next_steps(facts))
    return "\n".join(line for line in lines if line)


def compile_draft(week: Week, org: Org, now: datetime.datetime | None = None) -> Draft:
    """The draft of org's summary of week, cut to fit the character limit."""
    facts = gather(week, org, now)
    receiving = Summary.receiving_week_for(week, org)
    limit = (receiving or week).summary_char_limit
    title = _title(week, org)
    max_pictures = max(level.pictures for level in LEVELS)
    pictures = draft_pictures(facts, max_pictures)
    draft = None
    for detail in LEVELS:
        draft = Draft(title, write_body(facts, detail), pictures[: detail.pictures])
        if draft.char_count <= limit:
            return draft
    return draft
