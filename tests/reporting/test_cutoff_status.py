"""The status of an (org, day) cell around the 16:00 cutoff, computed from the server clock."""

import datetime

from eventweek.deadlines import DeadlineStatus as ReportStatus
from reporting.services.status import cell_status, submission_status
from reporting.services.submission import ItemInput

from .conftest import DAY1, at


def _status(demo, code="320100", day=DAY1):
    from reporting.models import DailyReport

    report = DailyReport.objects.filter(week=demo.jiangsu, org=demo.org(code), day=day).first()
    return cell_status(demo.jiangsu, demo.org(code), day, report)


def test_a_report_at_15_59_59_999_is_on_time(demo, submit, travel):
    travel(at(DAY1, 15, 59, 59, 999000))
    report = submit()
    assert _status(demo) == ReportStatus.ON_TIME
    assert report.versions.get().status == ReportStatus.ON_TIME


def test_a_report_at_15_59_59_is_on_time(demo, submit, travel):
    travel(at(DAY1, 15, 59, 59))
    submit()
    assert _status(demo) == ReportStatus.ON_TIME


def test_a_report_at_16_00_00_is_late(demo, submit, travel):
    travel(at(DAY1, 16, 0, 0))
    report = submit()
    assert _status(demo) == ReportStatus.LATE
    assert report.versions.get().status == ReportStatus.LATE


def test_nothing_before_the_cutoff_is_not_due_yet(demo, travel):
    travel(at(DAY1, 15, 59, 59, 999999))
    assert _status(demo) == ReportStatus.NOT_DUE


def test_nothing_by_the_end_of_the_day_is_missing(demo, travel):
    travel(at(DAY1, 23, 59, 59))
    assert _status(demo) == ReportStatus.MISSING
    travel(at(DAY1, 16, 0))
    assert _status(demo) == ReportStatus.MISSING


def test_a_missing_day_filed_later_turns_late(demo, submit, travel):
    travel(at(DAY1 + datetime.timedelta(days=1), 9, 0))
    assert _status(demo) == ReportStatus.MISSING
    submit(day=DAY1)
    assert _status(demo) == ReportStatus.LATE


def test_an_amendment_after_the_cutoff_is_late_while_the_original_stays_on_time(demo, submit, travel):
    travel(at(DAY1, 15, 30))
    first = submit()
    travel(at(DAY1, 17, 5))
    amended = submit(items=[ItemInput(title="改：垃圾分类宣传", kind="garbage")])
    assert amended.pk == first.pk
    assert [(v.number, v.status) for v in amended.versions.order_by("number")] == [
        (1, ReportStatus.ON_TIME),
        (2, ReportStatus.LATE),
    ]
    assert _status(demo) == ReportStatus.ON_TIME
    amended.refresh_from_db()
    assert amended.first_submitted_at == at(DAY1, 15, 30)
    assert amended.submitted_at == at(DAY1, 17, 5)


def test_a_provincial_level_unit_has_no_cutoff(demo, travel):
    national = demo.national
    jiangsu = demo.org("320000")
    travel(at(DAY1, 23, 0))
    assert cell_status(national, jiangsu, DAY1, None) == ReportStatus.OPEN
    assert submission_status(national, jiangsu, DAY1, at(DAY1, 22, 0)) == ReportStatus.SUBMITTED


def test_the_cutoff_follows_the_weeks_setting(demo, submit, travel):
    week = demo.jiangsu
    week.daily_cutoff = datetime.time(17, 0)
    week.save()
    travel(at(DAY1, 16, 30))
    submit()
    assert _status(demo) == ReportStatus.ON_TIME
