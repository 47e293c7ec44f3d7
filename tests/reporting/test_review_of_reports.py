"""Review of daily reports: a reviewer comments (点评) or returns a report for changes (退回修改); the reporter sees it."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Delivery
from reporting.models import DailyReport, ReportReview
from reporting.services.access import ReviewForbidden
from reporting.services.review import comment_on_report, return_report
from reporting.services.status import cell_status

from .conftest import DAY1, at, item

DAY = "2020-06-29"
REFUSAL = "点评和退回报送由江苏省机关事务管理局的审核员或管理员负责；您可以查看，但不能点评或退回。"


def _url(name, code="320100", day=DAY):
    return reverse(f"reporting:{name}", args=["2020-jiangsu", code, day])


def _page(client_for, demo, username, url):
    response = client_for(demo.user(username)).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _grid_cell(page, code="320100", day=DAY) -> str:
    row = page[page.index(f'<tr data-org="{code}">') :]
    cell = row[row.index(f'data-day="{day}"') :]
    return cell[: cell.index("</td>")]


@pytest.fixture
def filed(demo, submit, travel):
    """Nanjing's report of 6/29, filed on time at 15:00; the clock then stands at 17:00, past the cutoff."""
    travel(at(DAY1, 15, 0))
    report = submit("320100", items=[item("旧物回收", kind="recycling")])
    travel(at(DAY1, 17, 0))
    return report


def test_a_returned_report_shows_on_the_reporters_pages_and_the_dashboards_and_keeps_its_status(
    demo, filed, client_for
):
    response = client_for(demo.user("jiangsu_reviewer")).post(_url("report_return"), {"text": "请补充活动图片"})

    assert (response.status_code, response["Location"]) == (302, _url("report_detail"))
    review = ReportReview.objects.get()
    assert (review.kind, review.text, review.version, review.by.username, review.at, review.resolved_at) == (
        "return",
        "请补充活动图片",
        1,
        "jiangsu_reviewer",
        at(DAY1, 17, 0),
        None,
    )
    my_page = _page(client_for, demo, "nanjing_reporter", reverse("reporting:my_reports", args=["2020-jiangsu"]))
    assert "被退回修改（1）" in my_page and "请补充活动图片" in my_page
    assert _url("report_edit") in my_page
    detail = _page(client_for, demo, "nanjing_reporter", _url("report_detail"))
    assert "已退回修改" in detail and '退回第 1 版：<span class="rp-text">请补充活动图片</span>' in detail
    workbench = _page(client_for, demo, "nanjing_reporter", reverse("eventweek:dashboard"))
    assert "被退回修改（1）" in workbench and "江苏省局审核员：请补充活动图片" in workbench
    grid = _page(client_for, demo, "jiangsu_reviewer", reverse("reporting:dashboard", args=["2020-jiangsu"]))
    cell = _grid_cell(grid)
    assert 'data-status="on_time"' in cell and '<span class="cell-l">按时</span>' in cell
    assert 'class="rv-mark rv-returned"' in cell
    filed.refresh_from_db()
    assert cell_status(demo.jiangsu, filed.org, DAY1, filed) == "on_time"


def test_a_new_version_after_a_return_clears_it_and_the_first_filing_still_decides_the_status(
    demo, filed, client_for, submit, travel
):
    return_report(filed, user=demo.user("jiangsu_reviewer"), reason="请补充活动图片")
    travel(at(DAY1, 18, 30))

    amended = submit("320100", items=[item("旧物回收", kind="recycling", participants=300)])

    review = ReportReview.objects.get()
    assert (amended.version, review.resolved_at) == (2, at(DAY1, 18, 30))
    assert list(amended.versions.values_list("number", "status")) == [(1, "on_time"), (2, "late")]
    assert cell_status(demo.jiangsu, amended.org, DAY1, amended) == "on_time"
    my_page = _page(client_for, demo, "nanjing_reporter", reverse("reporting:my_reports", args=["2020-jiangsu"]))
    assert "被退回修改" not in my_page
    detail = _page(client_for, demo, "nanjing_reporter", _url("report_detail"))
    assert "已退回修改</h2>" not in detail and "已于 6月29日 周一 18:30 修改重报" in detail
    grid = _page(client_for, demo, "jiangsu_reviewer", reverse("reporting:dashboard", args=["2020-jiangsu"]))
    cell = _grid_cell(grid)
    assert "rv-returned" not in cell and '<span class="cell-l">按时</span>' in cell


def test_a_return_asks_for_confirmation_and_a_reason(demo, filed, client_for):
    client = client_for(demo.user("jiangsu_reviewer"))

    confirm = client.get(_url("report_return")).content.decode()
    empty = client.post(_url("report_return"), {"text": "  "})

    assert "确认将 <strong>南京 6月29日</strong> 的报送（第 1 版）退回修改？" in confirm
    assert "确认退回" in confirm
    assert empty.status_code == 200
    assert "<strong>退回原因</strong>：请填写内容。" in empty.content.decode()
    assert ReportReview.objects.count() == 0


def test_an_open_return_cannot_be_returned_again(demo, filed, client_for):
    return_report(filed, user=demo.user("jiangsu_reviewer"), reason="请补充活动图片")

    response = client_for(demo.user("jiangsu_admin")).post(_url("report_return"), {"text": "再退一次"})

    assert response.status_code == 200
    assert "正在等待报送单位重新提交，不能重复退回" in response.content.decode()
    assert list(ReportReview.objects.values_list("text", flat=True)) == ["请补充活动图片"]


def test_a_comment_is_visible_to_the_reporter(demo, filed, client_for):
    response = client_for(demo.user("jiangsu_reviewer")).post(
        _url("report_comment"), {"comment-text": "图文并茂，很好"}
    )

    assert (response.status_code, response["Location"]) == (302, _url("report_detail"))
    assert list(ReportReview.objects.values_list("kind", "text", "by__username")) == [
        ("comment", "图文并茂，很好", "jiangsu_reviewer")
    ]
    detail = _page(client_for, demo, "nanjing_reporter", _url("report_detail"))
    assert "审核意见" in detail and "图文并茂，很好" in detail and "发送点评" not in detail
    my_page = _page(client_for, demo, "nanjing_reporter", reverse("reporting:my_reports", args=["2020-jiangsu"]))
    assert (
        "上级点评" in my_page
        and '江苏省局审核员 · 6月29日 周一 17:00：<span class="rp-text">图文并茂，很好</span>' in my_page
    )
    workbench = _page(client_for, demo, "nanjing_reporter", reverse("eventweek:dashboard"))
    assert "江苏省局审核员：图文并茂，很好" in workbench
    cell = _grid_cell(
        _page(client_for, demo, "jiangsu_reviewer", reverse("reporting:dashboard", args=["2020-jiangsu"]))
    )
    assert "rv-commented" in cell and "rv-returned" not in cell


def test_an_empty_comment_is_refused_with_the_field_named(demo, filed, client_for):
    client = client_for(demo.user("jiangsu_reviewer"))

    response = client.post(_url("report_comment"), {"comment-text": ""}, follow=True)

    assert "点评内容：请填写内容。" in response.content.decode()
    assert ReportReview.objects.count() == 0


def test_the_first_open_by_a_reviewer_marks_the_report_read(demo, filed, client_for, travel):
    _page(client_for, demo, "nanjing_reporter", _url("report_detail"))
    _page(client_for, demo, "national_admin", _url("report_detail"))
    assert DailyReport.objects.filter(first_read_at__isnull=False).count() == 0

    _page(client_for, demo, "jiangsu_reviewer", _url("report_detail"))
    travel(at(DAY1, 18, 0))
    _page(client_for, demo, "jiangsu_admin", _url("report_detail"))

    filed.refresh_from_db()
    assert (filed.first_read_at, filed.first_read_by.username) == (at(DAY1, 17, 0), "jiangsu_reviewer")
    cell = _grid_cell(
        _page(client_for, demo, "jiangsu_reviewer", reverse("reporting:dashboard", args=["2020-jiangsu"]))
    )
    assert 'class="rv-mark rv-read"' in cell
    other = _grid_cell(
        _page(client_for, demo, "jiangsu_reviewer", reverse("reporting:dashboard", args=["2020-jiangsu"])), "320200"
    )
    assert "rv-mark" not in other


@pytest.mark.parametrize(
    ("username", "status"),
    [("nanjing_reporter", 403), ("national_admin", 403), ("wuxi_reporter", 404), ("jiangxi_admin", 404)],
)
def test_only_the_weeks_reviewer_comments_or_returns(demo, filed, client_for, username, status):
    client = client_for(demo.user(username))

    responses = [
        client.post(_url("report_comment"), {"comment-text": "看过了"}),
        client.get(_url("report_return")),
        client.post(_url("report_return"), {"text": "退回"}),
    ]

    assert [r.status_code for r in responses] == [status, status, status]
    if status == 403:
        assert all(REFUSAL in r.content.decode() for r in responses)
    assert ReportReview.objects.count() == 0


def test_the_reviewer_sees_the_buttons_and_the_reporter_does_not(demo, filed, client_for):
    reviewer = _page(client_for, demo, "jiangsu_reviewer", _url("report_detail"))
    reporter = _page(client_for, demo, "nanjing_reporter", _url("report_detail"))

    assert "发送点评" in reviewer and _url("report_return") in reviewer
    assert "发送点评" not in reporter and _url("report_return") not in reporter


def test_a_day_not_yet_filed_cannot_be_reviewed(demo, filed, client_for):
    client = client_for(demo.user("jiangsu_reviewer"))

    responses = [client.get(_url("report_return", code="320200")), client.post(_url("report_comment", code="320200"))]

    assert [r.status_code for r in responses] == [404, 404]
    assert ReportReview.objects.count() == 0


def test_the_services_refuse_the_reporter_too(demo, filed):
    with pytest.raises(ReviewForbidden, match="您可以查看，但不能点评或退回"):
        return_report(filed, user=demo.user("nanjing_reporter"), reason="自己退回")
    with pytest.raises(ReviewForbidden):
        comment_on_report(filed, user=demo.user("national_admin"), text="国家局点评")
    assert ReportReview.objects.count() == 0


def test_each_comment_and_return_writes_one_audit_entry(demo, filed):
    reviewer = demo.user("jiangsu_reviewer")

    comment_on_report(filed, user=reviewer, text="很好")
    return_report(filed, user=reviewer, reason="请补充图片")

    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "actor__username", "object_id", "org__code"))
    assert entries == [
        ("report.comment", "jiangsu_reviewer", str(filed.pk), "320100"),
        ("report.return", "jiangsu_reviewer", str(filed.pk), "320100"),
    ]


def test_a_return_and_a_comment_notify_the_reporting_org_by_its_mailbox(
    demo, filed, django_capture_on_commit_callbacks, mailoutbox
):
    reviewer = demo.user("jiangsu_reviewer")

    with django_capture_on_commit_callbacks(execute=True):
        returned = return_report(filed, user=reviewer, reason="请补充活动图片")
    with django_capture_on_commit_callbacks(execute=True):
        commented = comment_on_report(filed, user=reviewer, text="图文并茂")

    rows = list(Delivery.objects.order_by("pk").values_list("org__code", "kind", "notice_key", "recipient", "subject"))
    assert rows == [
        (
            "320100",
            "receipt",
            f"report-review:{returned.pk}",
            "nanjing@jsjn.example.cn",
            "【退回修改】南京 6月29日的每日报送",
        ),
        (
            "320100",
            "receipt",
            f"report-review:{commented.pk}",
            "nanjing@jsjn.example.cn",
            "【点评】南京 6月29日的每日报送",
        ),
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["nanjing@jsjn.example.cn"], "【退回修改】南京 6月29日的每日报送"),
        (["nanjing@jsjn.example.cn"], "【点评】南京 6月29日的每日报送"),
    ]
    assert mailoutbox[0].body.splitlines()[1:3] == [
        "江苏省局审核员 退回了第 1 版，请修改后重新报送。",
        "请补充活动图片",
    ]
    assert mailoutbox[0].body.splitlines()[3].endswith("/reporting/2020-jiangsu/r/320100/2020-06-29/")
