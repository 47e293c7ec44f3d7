"""A reporter on a phone files today's report from the workbench's 今日待报 card with two large photos: the browser
compresses them (long side 2560 px) before the upload, and the report is on time."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from eventweek.models import LOCAL_TZ, Week
from reporting.models import DailyReport, ReportPicture
from tests.conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def todays_week(demo):
    """A copy of the Jiangsu week around today, the clock at 10:00 today (ticking), before the 16:00 cutoff."""
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


def _photo(path, colour):
    """A 4000×3000 camera-sized JPEG with some detail (a flat colour would compress to nothing)."""
    image = Image.effect_noise((4000, 3000), 40).convert("RGB")
    image.paste(colour, (0, 0, 2000, 1500))
    image.save(path, "JPEG", quality=95)
    return path


def test_a_reporter_files_today_from_the_workbench_with_two_pictures_the_browser_compresses(
    todays_week, live_server, phone_page, artifacts_dir, tmp_path
):
    week = todays_week
    today = week.start_date + datetime.timedelta(days=1)
    first, second = _photo(tmp_path / "会场.jpg", (40, 140, 90)), _photo(tmp_path / "展板.jpg", (200, 120, 40))
    assert first.stat().st_size > 3_000_000

    page = phone_page
    login_in_browser(page, live_server, "nanjing_reporter")
    page.goto(f"{live_server.url}/dashboard/")
    card = page.locator(f".today-card[data-week='{week.slug}']")
    assert card.locator("h2").inner_text() == "今日待报"
    card.get_by_role("link", name="填报今日活动").click()
    page.wait_for_url(f"**/reporting/{week.slug}/r/320100/{today.isoformat()}/edit/")
    page.fill("input[name=items-0-title]", "节约型机关创建启动会")
    page.select_option("select[name=items-0-kind]", "kickoff")
    page.set_input_files("input[name=items-0-pictures]", [str(first), str(second)])
    # static/js/reporting.js swaps the chosen files for smaller JPEGs once they are drawn on a canvas.
    expect(page.locator("[data-compress-status]").first).to_have_text("", timeout=20000)
    chosen = page.locator("input[name=items-0-pictures]").evaluate(
        "input => Array.from(input.files, f => [f.name, f.type, f.size])"
    )
    assert [(name, kind) for name, kind, _size in chosen] == [("会场.jpg", "image/jpeg"), ("展板.jpg", "image/jpeg")]
    assert [size < path.stat().st_size for (_n, _k, size), path in zip(chosen, (first, second), strict=True)] == [
        True,
        True,
    ]
    page.screenshot(path=artifacts_dir / "reporting-phone-compressed-form.png", full_page=True)
    page.click("button[data-submit]")
    page.wait_for_url(f"**/reporting/{week.slug}/r/320100/{today.isoformat()}/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".msg").first.inner_text() == "已提交第 1 版（按时报送）。"
    assert page.locator(".rp-pics img").count() == 2
    page.screenshot(path=artifacts_dir / "reporting-phone-compressed-filed.png", full_page=True)

    report = DailyReport.objects.get(week=week, org__code="320100", day=today)
    assert (report.version, report.picture_count, report.versions.get().status) == (1, 2, "on_time")
    sizes = []
    for picture in ReportPicture.objects.order_by("position"):
        with picture.image.open("rb") as handle:
            sizes.append(Image.open(io.BytesIO(handle.read())).size)
    assert sizes == [(2560, 1920), (2560, 1920)]


def test_a_refused_post_through_the_progress_upload_names_the_pictures_and_the_form_still_works(
    todays_week, live_server, phone_page, artifacts_dir, tmp_path
):
    week = todays_week
    today = week.start_date + datetime.timedelta(days=1)
    photo = tmp_path / "现场.jpg"
    Image.new("RGB", (800, 600), (40, 140, 90)).save(photo, "JPEG")

    page = phone_page
    login_in_browser(page, live_server, "nanjing_reporter")
    page.goto(f"{live_server.url}/reporting/{week.slug}/r/320100/{today.isoformat()}/edit/")
    page.set_input_files("input[name=items-0-pictures]", str(photo))
    page.click("button[data-submit]")  # no title: refused
    expect(page.locator(".form-errors p", has_text="请重新选择图片")).to_have_text("请重新选择图片：现场.jpg")
    page.screenshot(path=artifacts_dir / "reporting-phone-refused-repick.png", full_page=True)
    # The page the upload got back is live: its script runs again (添加一项 adds a second item).
    page.click("button[data-add-item]")
    expect(page.locator("input[name=items-1-title]")).to_have_count(1)
    assert DailyReport.objects.filter(week=week, first_submitted_at__isnull=False).count() == 0
