"""A city reporter on a phone files a report with a picture; the provincial dashboard then shows that city on time."""

import datetime
import io
import re

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from eventweek.models import LOCAL_TZ, Week
from reporting.models import DailyReport, ForwardedPackage, ReportPicture
from tests.conftest import login_in_browser

from .conftest import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def todays_week(demo):
    """A copy of the Jiangsu week around today, with the clock at 10:00 today (ticking), before the cutoff."""
    today = timezone.localtime(timezone.now(), LOCAL_TZ).date()
    week = Week.objects.get(pk=demo.jiangsu.pk)
    week.pk = None
    week.slug = "today-jiangsu"
    week.title = "江苏省公共机构节能宣传周（测试）"
    week.start_date = today - datetime.timedelta(days=1)
    week.end_date = today + datetime.timedelta(days=5)
    week.save()
    week.report_orgs.set(demo.jiangsu.report_orgs.all())
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(10, 0), tzinfo=LOCAL_TZ), tick=True):
        yield week


def test_a_city_files_from_a_phone_and_the_province_sees_it_on_time(
    todays_week, live_server, phone_page, desk_page, artifacts_dir, tmp_path
):
    week = todays_week
    today = week.start_date + datetime.timedelta(days=1)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(image_bytes("PNG", size=(800, 600), color=(40, 140, 90)))  # a PNG named .jpg: checked by content

    page = phone_page
    login_in_browser(page, live_server, "nanjing_reporter")
    page.goto(f"{live_server.url}/reporting/{week.slug}/my/")
    page.screenshot(path=artifacts_dir / "reporting-phone-my-reports.png", full_page=True)
    page.click(f"a[href='/reporting/{week.slug}/r/320100/{today.isoformat()}/edit/']")
    page.fill("input[name=items-0-title]", "节约型机关创建启动会")
    page.select_option("select[name=items-0-kind]", "kickoff")
    page.select_option("select[name=items-0-mode]", "mixed")
    page.fill("input[name=items-0-place]", "南京市级机关会议中心")
    page.fill("input[name=items-0-participants]", "180")
    page.fill("textarea[name=items-0-description]", "召开启动会，部署节能宣传周各项活动。")
    page.set_input_files("input[name=items-0-pictures]", str(photo))
    page.fill("input[name=items-0-captions]", "启动会现场")
    page.click("button[data-add-item]")  # static/js/reporting.js adds a second item form
    page.fill("input[name=items-1-title]", "节能公益短信推送")
    page.select_option("select[name=items-1-kind]", "sms")
    page.fill("textarea[name=narrative]", "今日召开启动会，组织收看云启动仪式。")
    page.screenshot(path=artifacts_dir / "reporting-phone-form.png", full_page=True)
    page.click("button[data-submit]")
    page.wait_for_url(f"**/reporting/{week.slug}/r/320100/{today.isoformat()}/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".msg").first.inner_text() == "已提交第 1 版（按时报送）。"
    assert page.locator(".rp-summary .st").first.inner_text() == "按时报送"
    thumb = page.locator(".rp-pics img").first
    # The upload's script writes the report page in place (document.write), where a lazy picture starts a moment later.
    page.wait_for_function("img => img.complete", arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") == 480
    page.screenshot(path=artifacts_dir / "reporting-phone-filed.png", full_page=True)

    report = DailyReport.objects.get(week=week, org__code="320100", day=today)
    assert (report.version, report.item_count, report.picture_count, report.participants) == (1, 2, 1, 180)
    assert [(i.title, i.kind) for i in report.items.order_by("position")] == [
        ("节约型机关创建启动会", "kickoff"),
        ("节能公益短信推送", "sms"),
    ]
    assert ReportPicture.objects.get().caption == "启动会现场"

    desk = desk_page
    login_in_browser(desk, live_server, "jiangsu_reviewer")
    desk.goto(f"{live_server.url}/reporting/{week.slug}/dashboard/")
    cell = desk.locator(f"tr[data-org='320100'] td[data-day='{today.isoformat()}']")
    assert cell.get_attribute("data-status") == "on_time"
    assert cell.locator(".cell-l").inner_text() == "按时"
    assert cell.locator(".cell-t").inner_text().startswith("10:0")
    other = desk.locator(f"tr[data-org='320200'] td[data-day='{today.isoformat()}']")
    assert other.get_attribute("data-status") == "not_due"
    desk.screenshot(path=artifacts_dir / "reporting-desk-dashboard.png", full_page=True)
    cell.locator("a").click()
    desk.wait_for_load_state("networkidle")
    assert desk.locator("h3").first.inner_text() == "节约型机关创建启动会"
    desk.screenshot(path=artifacts_dir / "reporting-desk-report.png", full_page=True)

    # The reviewer marks the first item as a highlight, forwards the day and exports the grid.
    desk.locator(".rp-item").first.get_by_text("标记为亮点").click()
    desk.fill("textarea[name=comment]", "启动早、参与面广")
    desk.screenshot(path=artifacts_dir / "reporting-desk-highlight-form.png", full_page=True)
    desk.click("button[value=save]")
    desk.wait_for_load_state("networkidle")
    assert desk.locator(".msg").first.inner_text() == "已标记为亮点。"
    desk.goto(f"{live_server.url}/reporting/{week.slug}/highlights/?day={today.isoformat()}")
    desk.get_by_role("button", name="上报 1 条亮点至国管局节能司").click()
    dialog = desk.locator("dialog.confirm-dialog")  # static/js/confirm.js asks before 上报
    expect(dialog.locator(".confirm-dialog-message")).to_have_text(
        "确认将 1 条亮点上报至国管局节能司？上报后不能撤回。"
    )
    dialog.locator("button", has_text="确认上报").click()
    expect(desk.locator("h1")).to_have_text(re.compile("亮点 · 第 1 批$"))
    desk.screenshot(path=artifacts_dir / "reporting-desk-package.png", full_page=True)
    package = ForwardedPackage.objects.get()
    assert [(e["title"], e["comment"], len(e["pictures"])) for e in package.payload] == [
        ("节约型机关创建启动会", "启动早、参与面广", 1)
    ]

    desk.goto(f"{live_server.url}/reporting/{week.slug}/dashboard/")
    with desk.expect_download() as download:
        desk.click("text=导出报送情况")
    assert download.value.suggested_filename == f"{week.title}-报送情况.xlsx"
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()))["报送情况"]
    assert sheet["A3"].value == "南京"
    assert sheet.cell(row=3, column=3).value.startswith("按时报送 10:0")


def test_the_demo_dashboard_is_readable_on_a_phone(demo, live_server, phone_page, artifacts_dir):
    from reporting import demo as reporting_demo

    reporting_demo.load()
    page = phone_page
    login_in_browser(page, live_server, "jiangsu_reviewer")
    page.goto(f"{live_server.url}/reporting/2020-jiangsu/dashboard/")
    # The page itself never scrolls sideways: only the grid does, with the org column kept in view.
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    assert page.locator("tr[data-org] th.rp-org").count() == 13
    assert page.locator("tr[data-org='320100'] td[data-day='2020-07-05']").get_attribute("data-status") == "missing"
    page.screenshot(path=artifacts_dir / "reporting-phone-dashboard.png", full_page=True)
    page.locator(".rp-grid-wrap").evaluate("el => el.scrollBy(400, 0)")
    box = page.locator("tr[data-org='320100'] th.rp-org").bounding_box()
    assert box["x"] < 20  # sticky: still at the left edge
    page.screenshot(path=artifacts_dir / "reporting-phone-dashboard-scrolled.png")
    page.goto(f"{live_server.url}/reporting/2020-jiangsu/highlights/")
    page.screenshot(path=artifacts_dir / "reporting-phone-highlights.png", full_page=True)
