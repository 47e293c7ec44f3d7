"""Owner, same tree, outsider for every reporting page: a city sees its own, the province all its cities, others 404."""

import pytest
from django.urls import reverse

from .conftest import DAY1, at, image_bytes, item


@pytest.fixture
def filed(demo, submit, travel):
    travel(at(DAY1, 15, 0))
    report = submit("320100", items=[item("启动会", pictures=[(image_bytes(), "会场")])])
    return report


def _get(client_for, demo, username, url):
    return client_for(demo.user(username)).get(url)


def test_the_report_page_owner_province_and_outsiders(demo, filed, client_for):
    url = reverse("reporting:report_detail", args=["2020-jiangsu", "320100", "2020-06-29"])
    owner = _get(client_for, demo, "nanjing_reporter", url)
    assert owner.status_code == 200 and "启动会" in owner.content.decode()
    province = _get(client_for, demo, "jiangsu_reviewer", url)
    assert province.status_code == 200 and "标记为亮点" in province.content.decode()
    assert _get(client_for, demo, "wuxi_reporter", url).status_code == 404  # a sibling city
    assert _get(client_for, demo, "jiangxi_admin", url).status_code == 404
    assert _get(client_for, demo, "nanchang_reporter", url).status_code == 404


def test_only_the_own_org_edits(demo, filed, client_for):
    url = reverse("reporting:report_edit", args=["2020-jiangsu", "320100", "2020-06-29"])
    assert _get(client_for, demo, "nanjing_reporter", url).status_code == 200
    assert _get(client_for, demo, "jiangsu_reviewer", url).status_code == 404
    assert _get(client_for, demo, "wuxi_reporter", url).status_code == 404
    assert _get(client_for, demo, "jiangxi_admin", url).status_code == 404


def test_pictures_are_served_only_to_who_may_see_the_report(demo, filed, client_for):
    picture = filed.pictures.get()
    for variant in ("original", "thumb"):
        url = reverse("reporting:picture", args=[picture.pk, variant])
        owner = _get(client_for, demo, "nanjing_reporter", url)
        assert owner.status_code == 200
        assert owner["Content-Type"] == ("image/png" if variant == "original" else "image/jpeg")
        assert owner["Cache-Control"] == "private, max-age=86400"
        assert _get(client_for, demo, "jiangsu_reviewer", url).status_code == 200
        assert _get(client_for, demo, "wuxi_reporter", url).status_code == 404
        assert _get(client_for, demo, "jiangxi_admin", url).status_code == 404


def test_pictures_need_a_login(demo, filed, client):
    url = reverse("reporting:picture", args=[filed.pictures.get().pk, "original"])
    assert client.get(url).status_code == 302


def test_the_dashboard_and_exports_province_and_above_only(demo, filed, client_for):
    for name in ("dashboard", "export_grid", "export_items", "highlights"):
        url = reverse(f"reporting:{name}", args=["2020-jiangsu"])
        assert _get(client_for, demo, "jiangsu_reviewer", url).status_code == 200
        assert _get(client_for, demo, "national_admin", url).status_code == 200
        assert _get(client_for, demo, "nanjing_reporter", url).status_code == 404
        assert _get(client_for, demo, "jiangxi_admin", url).status_code == 404


def test_my_reports_only_for_the_weeks_reporting_orgs(demo, filed, client_for):
    url = reverse("reporting:my_reports", args=["2020-jiangsu"])
    page = _get(client_for, demo, "nanjing_reporter", url)
    assert page.status_code == 200 and "南京 · 每日报送" in page.content.decode()
    assert _get(client_for, demo, "jiangsu_reviewer", url).status_code == 404
    assert _get(client_for, demo, "nanchang_reporter", url).status_code == 404


def test_highlights_are_marked_by_the_province_only(demo, filed, client_for):
    url = reverse("reporting:highlight_edit", args=["2020-jiangsu", filed.items.get().pk])
    assert _get(client_for, demo, "jiangsu_reviewer", url).status_code == 200
    assert _get(client_for, demo, "nanjing_reporter", url).status_code == 404
    assert _get(client_for, demo, "wuxi_reporter", url).status_code == 404
    assert _get(client_for, demo, "jiangxi_admin", url).status_code == 404


def test_versions_follow_the_report(demo, filed, client_for):
    url = reverse("reporting:report_version", args=["2020-jiangsu", "320100", "2020-06-29", 1])
    assert _get(client_for, demo, "nanjing_reporter", url).status_code == 200
    assert _get(client_for, demo, "jiangsu_reviewer", url).status_code == 200
    assert _get(client_for, demo, "wuxi_reporter", url).status_code == 404
    assert _get(client_for, demo, "jiangxi_admin", url).status_code == 404


def test_the_workbench_links_follow_the_org(demo):
    from reporting.services import access as services

    assert [w.slug for w in services.weeks_to_report(demo.user("nanjing_reporter"))] == ["2020-jiangsu"]
    assert [w.slug for w in services.weeks_to_report(demo.user("jiangsu_admin"))] == ["2020-national"]
    assert [w.slug for w in services.weeks_to_review(demo.user("jiangsu_reviewer"))] == ["2020-jiangsu"]
    assert [w.slug for w in services.weeks_to_review(demo.user("national_admin"))] == ["2020-jiangsu", "2020-national"]
    assert services.weeks_to_review(demo.user("jiangxi_admin")) == []
