"""The dashboard: the status grid of a week's reporting orgs × days, the national overview, an org's own days and the
week's figures for summaries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventweek.deadlines import DeadlineStatus
from eventweek.models import LOCAL_TZ, Org, User, Week
from reporting.models import DailyReport
from reporting.services.status import SUBMITTED_STATUSES, cell_status


@dataclass
class Tally:
    """Counts over some cells; rates are None when nothing is expected yet."""

    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0
    submitted: int = 0
    items: int = 0
    pictures: int = 0

    def add(self, status: str, report: DailyReport | None) -> None:
        if status == DeadlineStatus.NOT_DUE or status == DeadlineStatus.OPEN:
            self.not_due += 1
        else:
            self.expected += 1
        if status in (DeadlineStatus.ON_TIME, DeadlineStatus.SUBMITTED):
            self.on_time += 1
        elif status == DeadlineStatus.LATE:
            self.late += 1
        elif status == DeadlineStatus.MISSING:
            self.missing += 1
        if status in SUBMITTED_STATUSES:
            self.submitted += 1
            self.items += report.item_count
            self.pictures += report.picture_count

    def merge(self, other: "Tally") -> None:
        for name in ("expected", "on_time", "late", "missing", "not_due", "submitted", "items", "pictures"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def completeness_rate(self) -> float | None:
        """Reports received / reports expected (DHIS2's reporting rate)."""
        return self.submitted / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """Reports received on time / reports expected (DHIS2's reporting rate on time)."""
        return self.on_time / self.expected if self.expected else None

    @property
    def completeness_text(self) -> str:
        return _percent(self.completeness_rate)

    @property
    def on_time_text(self) -> str:
        return _percent(self.on_time_rate)

    @property
    def completeness_base(self) -> str:
        """What the reporting rate is taken over, e.g. "1/1 应报": early in the week 100% may be one report."""
        return _("%(done)s/%(expected)s 应报") % {"done": self.submitted, "expected": self.expected}

    @property
    def on_time_base(self) -> str:
        """What the on-time rate is taken over, e.g. "0/1 应报"."""
        return _("%(done)s/%(expected)s 应报") % {"done": self.on_time, "expected": self.expected}


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%".replace(".0%", "%")


# The grid's one-glance words for the shared DeadlineStatus values (the cell's title carries the full label).
SHORT_LABELS = {
    DeadlineStatus.ON_TIME: _("按时"),
    DeadlineStatus.SUBMITTED: _("已报"),
    DeadlineStatus.LATE: _("迟报"),
    DeadlineStatus.MISSING: _("缺报"),
    DeadlineStatus.NOT_DUE: "—",
    DeadlineStatus.OPEN: "—",
}


@dataclass
class Cell:
    org: Org
    day: datetime.date
    status: str
    report: DailyReport | None

    @property
    def status_label(self) -> str:
        return str(DeadlineStatus(self.status).label)

    @property
    def short_label(self) -> str:
        """The grid's one-glance label."""
        return str(SHORT_LABELS[self.status])

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return self.report.first_submitted_at if self.report else None

    @property
    def amended(self) -> bool:
        return bool(self.report and self.report.version > 1)

    @property
    def submitted_text(self) -> str:
        """The first submission's local time, "16:45"; with its date, "7/6 01:16", when it came on a later day."""
        if not self.submitted_at:
            return ""
        local = timezone.localtime(self.submitted_at, LOCAL_TZ)
        if local.date() == self.day:
            return local.strftime("%H:%M")
        return f"{local.month}/{local.day} {local:%H:%M}"


@dataclass
class Row:
    org: Org
    cells: list[Cell]
    tally: Tally


@dataclass
class Dashboard:
    week: Week
    days: list[datetime.date]
    rows: list[Row]
    day_tallies: list[Tally]
    total: Tally
    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        """The local date of the board's clock: its column is marked."""
        return timezone.localtime(self.now, LOCAL_TZ).date()


def build_dashboard(week: Week, orgs: list[Org] | None = None, now: datetime.datetime | None = None) -> Dashboard:
    """The week's status grid over its reporting orgs (or the given ones) in two queries, whatever their number."""
    now = now or timezone.now()
    if orgs is None:
        orgs = list(week.report_orgs.order_by("sort_order", "path"))
    org_ids = {org.pk for org in orgs}
    reports = {
        (r.org_id, r.day): r
        for r in DailyReport.objects.filter(week=week, first_submitted_at__isnull=False).only(
            "pk", "org_id", "day", "first_submitted_at", "submitted_at", "version", "item_count", "picture_count"
        )
        if r.org_id in org_ids
    }
    days = week.days()
    day_tallies = [Tally() for _day in days]
    total = Tally()
    rows = []
    for org in orgs:
        tally = Tally()
        cells = []
        for index, day in enumerate(days):
            report = reports.get((org.pk, day))
            status = cell_status(week, org, day, report, now)
            cells.append(Cell(org=org, day=day, status=status, report=report))
            tally.add(status, report)
            day_tallies[index].add(status, report)
        total.merge(tally)
        rows.append(Row(org=org, cells=cells, tally=tally))
    return Dashboard(week=week, days=days, rows=rows, day_tallies=day_tallies, total=total, now=now)


def visible_report_orgs(user: User, week: Week) -> list[Org]:
    """The week's reporting orgs the user may see, in display order (one query)."""
    orgs = week.report_orgs.order_by("sort_order", "path")
    if not user.is_superuser:
        orgs = orgs.filter(path__startswith=user.org.path) if user.org_id else orgs.none()
    return list(orgs)


@dataclass
class OverviewRow:
    week: Week
    org: Org
    day_tallies: list[Tally]
    tally: Tally


def build_overview(week: Week, now: datetime.datetime | None = None) -> list[OverviewRow]:
    """The national overview: one row per child week (a province), its rates per day, in three queries."""
    now = now or timezone.now()
    children = list(
        week.children.select_related("organizer").prefetch_related("report_orgs").order_by("organizer__path")
    )
    reports: dict[tuple[int, int, datetime.date], DailyReport] = {
        (r.week_id, r.org_id, r.day): r
        for r in DailyReport.objects.filter(week__in=children, first_submitted_at__isnull=False).only(
            "pk", "week_id", "org_id", "day", "first_submitted_at", "item_count", "picture_count"
        )
    }
    rows = []
    for child in children:
        days = child.days()
        day_tallies = [Tally() for _day in days]
        tally = Tally()
        for org in child.report_orgs.all():
            for index, day in enumerate(days):
                report = reports.get((child.pk, org.pk, day))
                status = cell_status(child, org, day, report, now)
                day_tallies[index].add(status, report)
                tally.add(status, report)
        rows.append(OverviewRow(week=child, org=child.organizer, day_tallies=day_tallies, tally=tally))
    return rows


def my_days(week: Week, org: Org, now: datetime.datetime | None = None) -> list[Cell]:
    """A reporting org's own days with their status, for its home page."""
    now = now or timezone.now()
    reports = {r.day: r for r in DailyReport.objects.filter(week=week, org=org)}
    return [
        Cell(org=org, day=day, status=cell_status(week, org, day, reports.get(day), now), report=reports.get(day))
        for day in week.days()
    ]


STAT_KEYS = ("on_time", "late", "missing", "not_due", "items", "pictures", "participants", "recycled_kg")


def week_report_stats(week: Week, orgs, now: datetime.datetime | None = None) -> dict:
    """Daily-report figures of a week for the given orgs, per org and in total (two queries).

    Returns {"orgs": {org_id: stats}, "totals": stats} where stats is a dict with the int counts "on_time", "late",
    "missing" and "not_due" (days, by cell status; orgs without a cutoff count a submission as on time), "items" and
    "pictures" (in the current version of submitted reports), "participants" (int) and "recycled_kg" (Decimal).
    Orgs not in the week's reporting orgs get zeros for every submitted figure and no missing days.
    """
    now = now or timezone.now()
    orgs = list(orgs)
    report_org_ids = set(week.report_orgs.values_list("pk", flat=True))
    reports = {
        (r.org_id, r.day): r
        for r in DailyReport.objects.filter(week=week, org__in=orgs, first_submitted_at__isnull=False).only(
            "org_id", "day", "first_submitted_at", "item_count", "picture_count", "participants", "recycled_kg"
        )
    }

    def empty():
        return {key: (Decimal(0) if key == "recycled_kg" else 0) for key in STAT_KEYS}

    per_org, totals = {}, empty()
    for org in orgs:
        stats = empty()
        for day in week.days():
            report = reports.get((org.pk, day))
            if org.pk not in report_org_ids and report is None:
                continue
            status = cell_status(week, org, day, report, now)
            if status in (DeadlineStatus.ON_TIME, DeadlineStatus.SUBMITTED):
                stats["on_time"] += 1
            elif status == DeadlineStatus.LATE:
                stats["late"] += 1
            elif status == DeadlineStatus.MISSING:
                stats["missing"] += 1
            else:
                stats["not_due"] += 1
            if report is not None:
                stats["items"] += report.item_count
                stats["pictures"] += report.picture_count
                stats["participants"] += report.participants
                stats["recycled_kg"] += report.recycled_kg
        per_org[org.pk] = stats
        for key in STAT_KEYS:
            totals[key] += stats[key]
    return {"orgs": per_org, "totals": totals}
