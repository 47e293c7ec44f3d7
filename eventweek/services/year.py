"""年度宣传活动安排: an org's and its parents' published campaigns of a year, each inside another marked as such."""

import dataclasses

from django.utils.translation import gettext as _

from eventweek.campaigns import inside_text
from eventweek.errors import NotFound
from eventweek.models import Org, Week
from eventweek.services.public import published_weeks

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclasses.dataclass
class YearEntry:
    week: Week
    # （节能宣传周期间，能源短缺体验日） when the campaign lies inside a longer one of the same list.
    inside: str = ""


@dataclasses.dataclass
class YearPlan:
    org: Org
    year: int
    entries: list[YearEntry]


def get_public_org(code: str) -> Org:
    """An org by its code (orgs and their published campaigns are public), else NotFound."""
    org = Org.objects.filter(code=code).first()
    if org is None:
        raise NotFound(_("没有找到该单位。"))
    return org


def year_plan(org: Org, year: int) -> YearPlan:
    """The published campaigns of the org and its parents that touch the year, by start date."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound(_("没有该年份的活动安排。"))
    weeks = list(
        published_weeks()
        .filter(organizer__in=org.ancestors(include_self=True), start_date__year__lte=year, end_date__year__gte=year)
        .order_by("start_date", "end_date", "organizer__path", "slug")
    )
    entries = []
    for week in weeks:
        outer = _outer(week, weeks)
        entries.append(YearEntry(week, inside_text(week, outer) if outer else ""))
    return YearPlan(org, year, entries)


def _outer(week: Week, weeks: list[Week]) -> Week | None:
    """The longest other campaign whose dates hold all of this one's and are longer."""
    holders = [
        other
        for other in weeks
        if other.pk != week.pk
        and other.start_date <= week.start_date
        and week.end_date <= other.end_date
        and (other.end_date - other.start_date) > (week.end_date - week.start_date)
    ]
    return max(holders, key=lambda w: (w.end_date - w.start_date, -w.pk), default=None)
