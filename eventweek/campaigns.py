"""The one place campaign wording lives: each kind's name, span and editions, and the words built from them."""

import dataclasses

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class CampaignKind(models.TextChoices):
    ENERGY = "energy", gettext_lazy("节能宣传周")
    LOW_CARBON = "low_carbon", gettext_lazy("全国低碳日")
    WATER = "water", gettext_lazy("节水宣传周 / 中国水周")
    ENVIRONMENT = "environment", gettext_lazy("世界环境日")
    FOOD = "food", gettext_lazy("世界粮食日")
    WASTE = "waste", gettext_lazy("生活垃圾分类宣传")
    ECOLOGY = "ecology", gettext_lazy("生态文明宣传月")
    OTHER = "other", gettext_lazy("其他")


class Span(models.TextChoices):
    DAY = "day", gettext_lazy("一天")
    WEEK = "week", gettext_lazy("一周")
    MONTH = "month", gettext_lazy("一个月")
    FREE = "free", gettext_lazy("不限")


@dataclasses.dataclass(frozen=True)
class KindFacts:
    """What a kind of campaign is: its default name, how long it lasts, how its editions are counted."""

    name: str
    span: str
    # "第{n}个全国节能宣传周"; empty when the kind has no edition numbers.
    edition_pattern: str = ""
    # The quiz's default categories for this kind.
    quiz_categories: tuple[str, ...] = ()
    # 宣传周 / 低碳日: the short word prose uses ("宣传周期间"); the topic of "开展形式多样的节能宣传活动".
    short: str = "活动"
    topic: str = ""


KINDS: dict[str, KindFacts] = {
    CampaignKind.ENERGY: KindFacts(
        "节能宣传周", Span.WEEK, "第{n}个全国节能宣传周", ("节能", "节水", "垃圾分类", "绿色出行"), "宣传周", "节能"
    ),
    CampaignKind.LOW_CARBON: KindFacts(
        "全国低碳日", Span.DAY, "第{n}个全国低碳日", ("低碳生活", "绿色出行", "节能"), "低碳日", "低碳"
    ),
    CampaignKind.WATER: KindFacts(
        "节水宣传周", Span.WEEK, "", ("节水常识", "水资源国情", "节水型单位"), "宣传周", "节水"
    ),
    CampaignKind.ENVIRONMENT: KindFacts(
        "世界环境日", Span.DAY, "", ("生态环境", "污染防治", "绿色生活"), "环境日", "生态环境保护"
    ),
    CampaignKind.FOOD: KindFacts(
        "世界粮食日", Span.DAY, "第{n}个世界粮食日", ("粮食安全", "节约粮食", "反食品浪费"), "粮食日", "爱粮节粮"
    ),
    CampaignKind.WASTE: KindFacts(
        "生活垃圾分类宣传周", Span.WEEK, "", ("垃圾分类", "资源回收", "减量化"), "宣传周", "垃圾分类"
    ),
    CampaignKind.ECOLOGY: KindFacts(
        "生态文明宣传月", Span.MONTH, "", ("生态文明", "绿色发展", "节约资源"), "宣传月", "生态文明"
    ),
    CampaignKind.OTHER: KindFacts("宣传活动", Span.FREE, "", ("综合知识",), "活动", ""),
}


def kind_facts(kind: str) -> KindFacts:
    """The facts of a kind (an unknown kind reads as 其他)."""
    return KINDS.get(kind, KINDS[CampaignKind.OTHER])


def campaign_name(week) -> str:
    """The campaign's own name: its free name if given, else its kind's name (节水宣传周, 全国低碳日 …)."""
    return (getattr(week, "name", "") or "").strip() or kind_facts(week.kind).name


def campaign_title(week) -> str:
    """The page, poster and calendar title: the week's title, which names the campaign."""
    return week.title or f"{week.start_date.year}年{campaign_name(week)}"


def is_single_day(week) -> bool:
    return kind_facts(week.kind).span == Span.DAY


def period_word(week) -> str:
    """活动周 / 活动日 / 活动月 / 活动期: what the campaign's time is called."""
    return {Span.DAY: _("活动日"), Span.WEEK: _("活动周"), Span.MONTH: _("活动月")}.get(
        kind_facts(week.kind).span, _("活动期")
    )


def short_word(week) -> str:
    """宣传周 / 低碳日 / 宣传月: the short name prose uses."""
    return kind_facts(week.kind).short


def short_during(week) -> str:
    """宣传周期间 / 低碳日当天: the short phrase prose opens a sentence with."""
    if is_single_day(week):
        return _("%(short)s当天") % {"short": short_word(week)}
    return _("%(short)s期间") % {"short": short_word(week)}


def topic_word(week) -> str:
    """节能 / 节水 / 低碳: what the campaign publicises ("" for 其他)."""
    return kind_facts(week.kind).topic


def edition_text(week) -> str:
    """第N个全国节能宣传周, or "" when the kind has no edition numbers or none is set."""
    pattern = kind_facts(week.kind).edition_pattern
    if not pattern or not week.edition:
        return ""
    return pattern.format(n=week.edition)


def summary_title(org, week) -> str:
    """…关于2022年公共机构节水宣传周活动开展情况的总结."""
    return _("%(org)s关于%(year)s年公共机构%(name)s活动开展情况的总结") % {
        "org": org.name,
        "year": week.start_date.year,
        "name": campaign_name(week),
    }


def default_quiz_categories(week) -> tuple[str, ...]:
    """The categories a new quiz of this campaign suggests."""
    return kind_facts(week.kind).quiz_categories


def site_name() -> str:
    """The platform's name where no campaign is at hand (admin header, page footer)."""
    return _("公共机构宣传活动")


def campaign_errors(week) -> dict[str, str]:
    """Field errors of a campaign's kind facts: a one-day kind spanning days, a nameless 其他, a stray edition."""
    errors = {}
    facts = kind_facts(week.kind)
    if facts.span == Span.DAY and week.start_date and week.end_date and week.end_date != week.start_date:
        errors["end_date"] = _("“%(kind)s”只有一天：结束日期须与开始日期（%(start)s）相同。") % {
            "kind": facts.name,
            "start": week.start_date,
        }
    if week.kind == CampaignKind.OTHER and not (week.name or "").strip():
        errors["name"] = _("活动类型为“其他”时，请填写活动名称。")
    if week.edition and not facts.edition_pattern:
        errors["edition"] = _("“%(kind)s”没有届次，请清空届次。") % {"kind": facts.name}
    return errors


# What a campaign is called on the days it falls inside another (seed 003: 低碳日 inside the energy-saving week is
# the energy-shortage experience day).
INSIDE_NAMES = {(CampaignKind.LOW_CARBON, CampaignKind.ENERGY): "能源短缺体验日"}


def inside_text(inner, outer) -> str:
    """（节能宣传周期间，能源短缺体验日）: how a campaign inside another is shown."""
    role = INSIDE_NAMES.get((inner.kind, outer.kind), "")
    during = _("%(name)s期间") % {"name": campaign_name(outer)}
    return f"（{during}，{role}）" if role else f"（{during}）"
