"""An admin cancels an activity on a desk in Debian's Chromium: the dialog asks why, the reason goes public."""

import pytest
from icalendar import Calendar

from eventweek.models import Activity, ActivityChange
from tests.conftest import login_in_browser


@pytest.mark.browser
def test_an_admin_cancels_an_activity_with_a_reason_that_shows_on_the_changes_page_and_in_the_feed(
    demo, live_server, desk_page, artifacts_dir
):
    page = desk_page
    activity = Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")
    login_in_browser(page, live_server, "jiangsu_admin")
    page.goto(f"{live_server.url}/manage/weeks/2020-jiangsu/")

    row = page.locator(".activity", has_text="节能公益短信宣传")
    row.locator("button", has_text="取消活动").click()
    dialog = page.locator("dialog.confirm-dialog")
    assert dialog.is_visible()
    assert dialog.locator(".confirm-dialog-message").inner_text() == (
        "确认取消活动“节能公益短信宣传”？取消后订阅日历将显示为已取消。"
    )
    assert dialog.locator("label").inner_text() == "取消原因（必填，将公开显示）"
    # Confirming without a reason keeps the dialog open and says why; nothing is posted.
    dialog.locator("button", has_text="确认取消活动").click()
    assert dialog.is_visible()
    assert dialog.locator(".confirm-dialog-error").inner_text() == "请填写原因。"
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.SCHEDULED
    # 返回 closes it without posting.
    dialog.locator("button", has_text="返回").click()
    assert not dialog.is_visible()
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.SCHEDULED

    row.locator("button", has_text="取消活动").click()
    dialog.locator("textarea").fill("短信平台升级，改为线下张贴海报")
    page.screenshot(path=str(artifacts_dir / "confirm-cancel-dialog-desk.png"), full_page=True)
    dialog.locator("button", has_text="确认取消活动").click()
    page.wait_for_url(f"{live_server.url}/manage/weeks/2020-jiangsu/")

    assert page.locator(".msg").first.inner_text() == "活动“节能公益短信宣传”已取消。"
    change = ActivityChange.objects.get(activity=activity)
    assert (change.action, change.reason) == ("cancelled", "短信平台升级，改为线下张贴海报")

    page.goto(f"{live_server.url}/weeks/2020-jiangsu/changes/")
    entry = page.locator("article.change", has_text="节能公益短信宣传")
    assert entry.locator("[data-change-reason]").inner_text() == "原因：短信平台升级，改为线下张贴海报"
    page.screenshot(path=str(artifacts_dir / "confirm-cancel-changes-desk.png"), full_page=True)

    feed = page.request.get(f"{live_server.url}/weeks/2020-jiangsu/calendar.ics")
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(feed.body()).walk("VEVENT")}
    event = events["【已取消】节能公益短信宣传"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["DESCRIPTION"]).splitlines()[0] == "已取消，原因：短信平台升级，改为线下张贴海报"
