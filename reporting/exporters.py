"""The daily reports' exports: one small class per export; eventweek.xlsx writes them (text as text, styled).

An exporter yields sheets; a sheet is a title, columns (header, width) and rows. A row holds plain values or
`Styled(value, fill=..., bold=..., number_format=...)` for a coloured or formatted cell.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from eventweek.deadlines import DeadlineStatus
from eventweek.models import LOCAL_TZ, Week
from eventweek.xlsx import DATE, DATETIME, PERCENT, Sheet, Styled, XlsxExporter
from reporting.models import Highlight, ItemKind, ReportItem, ReportPicture
from reporting.services.dashboard import Dashboard, build_dashboard
from reporting.services.status import cell_status

# Status colours, the same as the dashboard's (static/css/reporting.css).
STATUS_FILLS = {
    DeadlineStatus.ON_TIME: "C6EFCE",
    DeadlineStatus.SUBMITTED: "C6EFCE",
    DeadlineStatus.LATE: "FFEB9C",
    DeadlineStatus.MISSING: "FFC7CE",
    DeadlineStatus.NOT_DUE: "EDEDED",
    DeadlineStatus.OPEN: "EDEDED",
}
# The grid and the items freeze the header row and the unit column.
FREEZE = "B2"


def heading(week: Week, what: str) -> str:
    """The title row of an export: the week's title and what the sheet holds."""
    return f"{week.title}{what}"


def _rate(value: float | None):
    return Styled(round(value, 4), number_format=PERCENT) if value is not None else "—"


def _tally_cells(t) -> list:
    """The grid's right-hand columns for one org's (or the week's) tally."""
    return [t.on_time, t.late, t.missing, _rate(t.completeness_rate), _rate(t.on_time_rate), t.items, t.pictures]


class StatusGridExporter(XlsxExporter):
    """The dashboard's grid: one row per org, one coloured cell per day (status and first submit time), rates."""

    def __init__(self, week: Week, orgs=None, now: datetime.datetime | None = None, dashboard: Dashboard | None = None):
        self.week = week
        self.dashboard = dashboard or build_dashboard(week, orgs, now)
        self.filename = f"{week.title}-报送情况.xlsx"

    def sheets(self) -> Iterator[Sheet]:
        yield Sheet(
            title="报送情况",
            columns=self.columns(),
            rows=self.rows(),
            freeze=FREEZE,
            heading=heading(self.week, "每日报送情况"),
        )

    def columns(self):
        days = [(f"{d.month}月{d.day}日", 14) for d in self.dashboard.days]
        tail = [
            ("按时", 7),
            ("迟报", 7),
            ("缺报", 7),
            ("报送率", 9),
            ("按时报送率", 11),
            ("活动条数", 9),
            ("图片数", 8),
        ]
        return [("单位", 16), *days, *tail]

    def rows(self) -> Iterator[list]:
        board = self.dashboard
        for row in board.rows:
            cells = []
            for cell in row.cells:
                text = cell.status_label
                if cell.submitted_at:
                    text += " " + timezone.localtime(cell.submitted_at, LOCAL_TZ).strftime("%H:%M")
                cells.append(Styled(text, fill=STATUS_FILLS[cell.status]))
            yield [row.org.display_name, *cells, *_tally_cells(row.tally)]
        blanks = [""] * 7
        yield [Styled("报送率", bold=True), *[_rate(t.completeness_rate) for t in board.day_tallies], *blanks]
        yield [Styled("按时报送率", bold=True), *[_rate(t.on_time_rate) for t in board.day_tallies], *blanks]
        yield [Styled("全周合计", bold=True), *[""] * len(board.days), *_tally_cells(board.total)]


class ReportItemsExporter(XlsxExporter):
    """Every current item of the week's reports, with org, day, submit time, status and picture count."""

    columns = [
        ("单位", 16),
        ("日期", 12, DATE),
        ("首次报送时间", 20, DATETIME),
        ("最近报送时间", 20, DATETIME),
        ("状态", 10),
        ("版本", 6),
        ("活动名称", 36),
        ("活动类型", 14),
        ("形式", 10),
        ("地点", 24),
        ("参与人数", 10),
        ("回收量（千克）", 14),
        ("图片数", 8),
        ("亮点", 6),
        ("活动内容", 60),
        ("联系人", 10),
        ("联系电话", 14),
    ]

    def __init__(self, week: Week, orgs=None, now: datetime.datetime | None = None):
        self.week = week
        self.orgs = orgs
        self.now = now or timezone.now()
        self.filename = f"{week.title}-活动明细.xlsx"

    def queryset(self):
        qs = ReportItem.objects.filter(report__week=self.week, report__first_submitted_at__isnull=False, removed=False)
        if self.orgs is not None:
            qs = qs.filter(report__org__in=[org.pk for org in self.orgs])
        return (
            qs.select_related("report__org")
            .annotate(
                # Correlated subqueries on indexed foreign keys: no GROUP BY over every selected column.
                live_pictures=Coalesce(
                    Subquery(
                        ReportPicture.objects.filter(item=OuterRef("pk"), removed=False)
                        .order_by()
                        .values("item")
                        .annotate(n=Count("pk"))
                        .values("n")[:1]
                    ),
                    0,
                ),
                is_highlight=Exists(Highlight.objects.filter(item=OuterRef("pk"))),
            )
            .order_by("report__day", "report__org__sort_order", "report__org__path", "position", "pk")
        )

    def sheets(self) -> Iterator[Sheet]:
        yield Sheet(
            title="活动明细",
            columns=self.columns,
            rows=self.rows(),
            freeze=FREEZE,
            heading=heading(self.week, "每日报送明细"),
        )

    def rows(self) -> Iterator[list]:
        week = self.week
        # Labels resolved once: get_FOO_display() translates lazily on every call.
        kinds = {value: str(label) for value, label in ItemKind.choices}
        modes = {value: str(label) for value, label in ReportItem.Mode.choices}
        statuses = {value: str(label) for value, label in DeadlineStatus.choices}
        for item in self.queryset().iterator(chunk_size=2000):
            report = item.report
            status = cell_status(week, report.org, report.day, report, self.now)
            yield [
                report.org.display_name,
                # Typed cells: the writer writes aware times as Beijing wall-clock time, in the columns' formats.
                report.day,
                report.first_submitted_at,
                report.submitted_at,
                Styled(statuses[status], fill=STATUS_FILLS[status]),
                report.version,
                item.title,
                kinds.get(item.kind, item.kind),
                modes.get(item.mode, item.mode),
                item.place,
                item.participants,
                float(item.recycled_kg) if item.recycled_kg is not None else None,
                item.live_pictures,
                "是" if item.is_highlight else "",
                item.description,
                report.contact_name,
                report.contact_phone,
            ]


class WeekReportsExporter(XlsxExporter):
    """Both sheets in one workbook (python manage.py export_reports)."""

    def __init__(self, week: Week, orgs=None, now: datetime.datetime | None = None):
        self.parts = [StatusGridExporter(week, orgs, now), ReportItemsExporter(week, orgs, now)]
        self.filename = f"{week.title}-每日报送.xlsx"

    def sheets(self) -> Iterator[Sheet]:
        for part in self.parts:
            yield from part.sheets()


class ChildWeeksItemsExporter(XlsxExporter):
    """The national view: every item of every child week (a province), one sheet per child week."""

    def __init__(self, week: Week, now: datetime.datetime | None = None):
        self.week = week
        self.now = now or timezone.now()
        self.children = list(week.children.select_related("organizer").order_by("organizer__path"))
        self.filename = f"{week.title}-各地活动明细.xlsx"

    def sheets(self) -> Iterator[Sheet]:
        for child in self.children:
            part = ReportItemsExporter(child, now=self.now)
            yield Sheet(
                title=child.organizer.display_name,
                columns=part.columns,
                rows=part.rows(),
                freeze=FREEZE,
                heading=heading(child, "每日报送明细"),
            )
