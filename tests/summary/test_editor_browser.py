"""In Chromium: summary.js counts exactly as the Python rule, and the editor shows the live count and the excess."""

from pathlib import Path

import pytest

from reporting.models.summaries import Summary
from reporting.summary.wordcount import count_chars, count_document
from tests.conftest import login_in_browser
from tests.summary.test_wordcount import FIXED_TEXTS

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "summary.js"


@pytest.mark.browser
def test_summary_js_counts_the_fixed_texts_like_python(phone_page):
    phone_page.set_content("<!doctype html><meta charset='utf-8'><title>count</title>")
    phone_page.add_script_tag(path=str(SCRIPT))
    texts = [text for text, _ in FIXED_TEXTS] + ["𠀀𠀁 CJK extension B", "Ⅰ、Ⅱ ①② ★☆"]

    counted = phone_page.evaluate("texts => texts.map(t => window.summaryCount(t))", texts)

    assert counted == [count_chars(text) for text in texts]
    assert counted[: len(FIXED_TEXTS)] == [expected for _, expected in FIXED_TEXTS]


@pytest.mark.browser
def test_the_editor_shows_the_live_count_and_blocks_submission_over_the_limit(
    transactional_db, reports, live_server, phone_page, artifacts_dir
):
    login_in_browser(phone_page, live_server, "nanjing_reporter")
    phone_page.goto(f"{live_server.url}/reporting/summary/2020-jiangsu/320100/")
    assert not Summary.objects.exists()  # opening the page makes nothing
    phone_page.click("[data-start-summary]")
    phone_page.wait_for_load_state("networkidle")
    summary = Summary.objects.get(org__code="320100")
    captions = list(summary.pictures.values_list("caption", flat=True))

    assert phone_page.inner_text("[data-count]") == str(summary.char_count)

    phone_page.fill("textarea[name=body]", "一、基本情况\n宣传周期间开展COVID-19防控与节能活动，共182项。")
    expected = count_document(summary.title, "一、基本情况\n宣传周期间开展COVID-19防控与节能活动，共182项。", captions)
    assert phone_page.inner_text("[data-count]") == str(expected)
    assert phone_page.inner_text("[data-excess]") == f"还可写 {2000 - expected} 字"
    assert phone_page.is_enabled("button[value=submit]")

    phone_page.fill("textarea[name=body]", "节" * 2100)
    over = count_document(summary.title, "节" * 2100, captions)
    assert phone_page.inner_text("[data-count]") == str(over)
    assert phone_page.inner_text("[data-excess]") == f"超出 {over - 2000} 字，超出上限不能报送"
    assert phone_page.is_disabled("button[value=submit]")
    phone_page.screenshot(path=str(artifacts_dir / "summary-editor-over-limit.png"), full_page=False)

    phone_page.click("button[value=save]")
    phone_page.wait_for_load_state("networkidle")
    assert "已保存为草稿（第 2 版）" in phone_page.inner_text(".messages")
    summary.refresh_from_db()
    assert (summary.char_count, summary.version) == (over, 2)


@pytest.mark.browser
def test_the_province_opens_a_citys_summary_from_the_board_in_one_click(
    transactional_db, reports, live_server, phone_page, artifacts_dir
):
    import time_machine

    from reporting.summary.services.editing import start_summary
    from reporting.summary.services.submission import submit_summary
    from tests.summary.conftest import local

    with time_machine.travel(local(2020, 7, 9, 9, 0), tick=False):
        summary = start_summary(reports.jiangsu, reports.org("320100"))
        submit_summary(summary)
    login_in_browser(phone_page, live_server, "jiangsu_admin")

    phone_page.goto(f"{live_server.url}/reporting/summary/2020-jiangsu/board/")
    assert phone_page.inner_text("tr[data-org='320100'] .badge") == "按时报送"
    phone_page.screenshot(path=str(artifacts_dir / "summary-board.png"), full_page=True)
    phone_page.click("tr[data-org='320100'] a")
    phone_page.wait_for_load_state("networkidle")

    assert phone_page.inner_text("h2.doc-title") == summary.title
    assert phone_page.inner_text("figure figcaption") == "南京市节约型机关创建启动会现场"
    assert phone_page.evaluate("document.querySelector('figure img').naturalWidth") == 800
    phone_page.screenshot(path=str(artifacts_dir / "summary-detail.png"), full_page=False)
