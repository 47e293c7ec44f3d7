"""The demo data gives make run a living dashboard: on time, late, missing, pictures, highlights, a package."""

from eventweek.deadlines import DeadlineStatus as ReportStatus
from reporting import demo as reporting_demo
from reporting.models import DailyReport, ForwardedPackage, Highlight, ReportPicture
from reporting.services import dashboard as services


def test_the_demo_fills_the_jiangsu_dashboard(demo):
    reporting_demo.load()
    board = services.build_dashboard(demo.jiangsu)
    statuses = [cell.status for row in board.rows for cell in row.cells]
    assert len(statuses) == 13 * 7
    assert statuses.count(ReportStatus.ON_TIME) == board.total.on_time
    assert (board.total.on_time, board.total.late, board.total.missing) == (
        statuses.count(ReportStatus.ON_TIME),
        statuses.count(ReportStatus.LATE),
        statuses.count(ReportStatus.MISSING),
    )
    assert board.total.on_time > 50 and board.total.late > 5 and board.total.missing > 5
    assert board.rows[0].cells[-1].status == ReportStatus.MISSING  # Nanjing's last day, left for the demo
    assert ReportPicture.objects.count() > 50
    assert DailyReport.objects.filter(version=2).count() == 1
    suzhou = DailyReport.objects.get(org__code="320500", day=demo.jiangsu.start_date)
    assert [v.status for v in suzhou.versions.order_by("number")] == [ReportStatus.ON_TIME, ReportStatus.LATE]
    assert Highlight.objects.count() == 5
    package = ForwardedPackage.objects.get()
    assert [entry["org"] for entry in package.payload] == ["320100", "320500", "320200"]
