"""The national admin opens the inbox on a desk and downloads Jiangsu's package as .docx, read back here."""

import pytest
import time_machine
from docx import Document

from inbox.models import InboxEntry
from reporting.services import highlights
from tests.conftest import login_in_browser
from tests.reporting.conftest import DAY1, at, image_bytes, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def package_entry(demo, submit):
    """Jiangsu forwards Nanjing's highlight with a picture; the clock goes back to now before the browser starts,
    so the session cookie is not born expired."""
    with time_machine.travel(at(DAY1, 15, 0), tick=False):
        report = submit("320100", items=[item("旧物回收", kind="recycling", pictures=[(image_bytes(), "回收现场")])])
        recycling = report.items.get()
        reviewer = demo.user("jiangsu_reviewer")
        highlights.mark_highlight(
            recycling, user=reviewer, picture_ids=list(recycling.pictures.values_list("pk", flat=True))
        )
        package = highlights.forward_highlights(demo.jiangsu, DAY1, user=reviewer)
    return InboxEntry.objects.get(package=package)


def test_the_national_admin_downloads_a_package_docx_from_the_inbox(
    package_entry, live_server, desk_page, artifacts_dir, tmp_path
):
    page = desk_page
    login_in_browser(page, live_server, "national_admin")
    page.goto(f"{live_server.url}/dashboard/")
    page.click("[data-inbox-link] a")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-inbox] tr[data-entry]").count() == 1
    page.click(f"tr[data-entry='{package_entry.pk}'] a")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == package_entry.title
    assert page.locator(".rp-pics img").evaluate("img => img.naturalWidth") > 0  # served after the access check
    page.screenshot(path=artifacts_dir / "inbox-desk-entry.png", full_page=True)
    with page.expect_download() as info:
        page.click("[data-download=docx]")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    assert download.suggested_filename == f"{package_entry.title}.docx"
    document = Document(target)
    assert [p.text for p in document.paragraphs if p.text][:2] == [
        package_entry.title,
        "（一）旧物回收。南京市机关事务管理局，废旧物品回收，线下，市行政中心，120人参与。",
    ]
    assert len(document.inline_shapes) == 1
    package_entry.refresh_from_db()
    assert package_entry.status == InboxEntry.Status.READ
