"""The Jiangsu programme on a phone, in Debian's Chromium."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.browser
def test_jiangsu_programme_reads_well_on_a_phone(demo, live_server, phone_page, artifacts_dir):
    # The server thread shares the process clock: on Low-Carbon Day, 7/2 is marked as today.
    with time_machine.travel(datetime.datetime(2020, 7, 2, 8, 30, tzinfo=SH), tick=True):
        phone_page.goto(f"{live_server.url}/weeks/2020-jiangsu/")
        phone_page.wait_for_load_state("load")

        assert phone_page.locator(".hero-theme").inner_text() == "主题“绿水青山，节能增效”"
        today = phone_page.locator(".day.is-today")
        assert today.locator(".day-date").inner_text() == "7月2日 周四"
        assert today.locator(".special").first.inner_text().startswith("全国低碳日 · 能源紧缺体验日")
        national = today.locator(".act.is-inherited .act-title")
        assert national.all_inner_texts() == ["“云直播”：四川省机关事务管理局经验分享"]
        # Nothing sticks out sideways on a 390 px screen.
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

        path = artifacts_dir / "schedule-phone.png"
        phone_page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")

        national.click()
        phone_page.wait_for_load_state("load")
        assert phone_page.locator("h1").inner_text() == "“云直播”：四川省机关事务管理局经验分享"
        assert phone_page.locator(".qr svg").count() == 1
        phone_page.screenshot(path=str(artifacts_dir / "activity-phone.png"), full_page=True)


@pytest.mark.browser
def test_poster_prints_on_a4_pages_with_every_qr_code(demo, live_server, desk_page, artifacts_dir):
    desk_page.goto(f"{live_server.url}/weeks/2020-jiangsu/poster/")
    desk_page.wait_for_load_state("load")
    assert desk_page.locator(".poster-item svg").count() == 9
    desk_page.screenshot(path=str(artifacts_dir / "poster-desk.png"), full_page=True)

    desk_page.emulate_media(media="print")
    assert desk_page.locator(".topbar").is_hidden()
    assert desk_page.locator("[data-print]").is_hidden()
    pdf = desk_page.pdf(prefer_css_page_size=True, print_background=True)
    (artifacts_dir / "poster.pdf").write_bytes(pdf)

    # Every page of the PDF is A4 portrait: 595 × 842 points.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}
    print(f"poster: {artifacts_dir / 'poster.pdf'} pages={len(boxes)}")
