"""The management pages on a phone, in Debian's Chromium: read the draft, add an all-day activity."""

import pytest

from eventweek.models import Activity
from tests.conftest import login_in_browser


@pytest.mark.browser
def test_an_admin_adds_an_all_day_activity_from_a_phone(demo, live_server, phone_page, artifacts_dir):
    page = phone_page
    login_in_browser(page, live_server, "jiangsu_admin")

    page.goto(f"{live_server.url}/manage/weeks/2020-jiangsu/")
    assert page.locator("h1").inner_text() == "2020年江苏省公共机构节能宣传周"
    assert page.locator(".activity.inherited").count() == 6
    assert page.locator(".activity.inherited .btn").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "manage-week-phone.png"), full_page=True)

    page.click("text=添加活动")
    page.wait_for_load_state("load")
    # Timed by default: the datetime inputs show, the date inputs hide; ticking 全天 swaps them.
    assert page.locator("input[name=start]").is_visible()
    assert not page.locator("input[name=start_date]").is_visible()
    page.check("input[name=all_day]")
    assert not page.locator("input[name=start]").is_visible()
    assert page.locator("input[name=start_date]").is_visible()

    page.fill("input[name=title]", "常州市节能新技术推广周")
    page.fill("input[name=start_date]", "2020-06-30")
    page.fill("input[name=end_date]", "2020-07-01")
    page.select_option("select[name=organizer]", label="常州市机关事务管理局")
    page.screenshot(path=str(artifacts_dir / "manage-activity-form-phone.png"), full_page=True)
    page.click(".manage-form button[type=submit]")
    page.wait_for_load_state("load")

    assert page.locator(".msg").first.inner_text() == "活动“常州市节能新技术推广周”已保存。"
    row = page.locator(".activity", has_text="常州市节能新技术推广周")
    assert row.locator(".when").inner_text() == "6月30日–7月1日 全天"
    activity = Activity.objects.get(title="常州市节能新技术推广周")
    assert (activity.first_day.isoformat(), activity.last_day.isoformat(), activity.organizer.code) == (
        "2020-06-30",
        "2020-07-01",
        "320400",
    )


@pytest.mark.browser
def test_the_week_form_fits_a_phone_and_shows_errors_by_field(demo, live_server, phone_page, artifacts_dir):
    page = phone_page
    login_in_browser(page, live_server, "jiangsu_admin")

    page.goto(f"{live_server.url}/manage/weeks/2020-jiangsu/edit/")
    assert page.input_value("input[name=publish_at]") == "2020-06-25T09:00"
    assert page.locator("input[name=report_orgs]:checked").count() == 13
    page.fill("input[name=end_date]", "2020-06-28")
    page.click(".manage-form button[type=submit]")
    page.wait_for_load_state("load")

    assert page.locator(".form-errors li").all_inner_texts() == ["结束日期：结束日期不能早于开始日期。"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "manage-week-form-phone.png"), full_page=True)
