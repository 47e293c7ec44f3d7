import pytest

from calls.models import Entry
from calls.services.entries import limits_of
from tests.conftest import login_in_browser


@pytest.mark.browser
def test_a_unit_files_a_case_on_a_phone_with_live_counts_and_submits_it(
    transactional_db, jdz, live_server, phone_page, artifacts_dir
):
    page = phone_page
    login_in_browser(page, live_server, "jdz_museum")
    page.goto(f"{live_server.url}/calls/2023-jingdezhen/manage/")
    page.click("button[data-new=case]")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=title]", "博物馆供热系统节能改造")
    page.select_option("select[name=theme]", "绿色化改造")
    page.select_option("select[name=direction]", "供热系统节能改造")
    page.fill("textarea[name=abstract]", "摘" * 201)
    assert page.text_content('[data-live-count="abstract"]') == "201"
    assert page.text_content('[data-live-excess="abstract"]') == "超出 1 字，不能提交"
    assert page.is_disabled("button[data-submit]")
    page.fill("textarea[name=abstract]", "改造供热管网，年节约天然气一成。")
    assert page.text_content('[data-live-count="abstract"]') == "16"
    for name, text in (
        ("basic", "单位概况"),
        ("measures", "改造措施"),
        ("results", "节约成效 2023"),
        ("experience", "可推广"),
    ):
        page.fill(f"textarea[name={name}]", text)
    assert page.text_content('[data-live-count="body"]') == "16"  # 4 + 4 + 5 ("2023" is one) + 3
    assert not page.is_disabled("button[data-submit]")
    page.screenshot(path=str(artifacts_dir / "calls-phone-case.png"), full_page=True)
    page.click("button[data-submit]")
    page.wait_for_load_state("networkidle")
    assert "已提交。" in page.text_content("main")
    entry = Entry.objects.get(title="博物馆供热系统节能改造")
    assert (entry.org.code, entry.state, entry.direction) == ("360200004", "submitted", "供热系统节能改造")
    assert [limit.count for limit in limits_of(entry)] == [16, 16]  # the server counts as the page did
