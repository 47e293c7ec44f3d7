"""A post that changes nothing (a resubmitted page, a tampered item count) adds no version identical to the last."""

from django.urls import reverse

from reporting.models import DailyReport, ReportVersion

from .conftest import DAY1, at
from .test_report_form import EDIT, form_data

DETAIL = reverse("reporting:report_detail", args=["2020-jiangsu", "320100", "2020-06-29"])


def _filed(client, travel):
    travel(at(DAY1, 14, 30))
    assert client.post(EDIT, form_data(), follow=True).status_code == 200  # its message read
    travel(at(DAY1, 15, 0))
    return DailyReport.objects.get()


def test_a_post_with_a_negative_item_count_adds_no_identical_version(demo, client_for, travel):
    client = client_for(demo.user("nanjing_reporter"))
    report = _filed(client, travel)
    data = form_data(version=1)
    data["items-TOTAL_FORMS"] = "-1"  # no item forms at all: the stored items stay as they are

    response = client.post(EDIT, data, follow=True)

    assert response.redirect_chain == [(DETAIL, 302)]
    assert [str(m) for m in response.context["messages"]] == ["内容与已提交的第 1 版相同，没有修改，未生成新版本。"]
    report.refresh_from_db()
    assert (report.version, report.submitted_at, ReportVersion.objects.count()) == (1, at(DAY1, 14, 30), 1)


def test_resubmitting_the_page_unchanged_adds_no_version(demo, client_for, travel):
    client = client_for(demo.user("nanjing_reporter"))
    report = _filed(client, travel)
    item = report.items.get()
    data = form_data(version=1, items=[{"id": str(item.pk), "title": item.title, "kind": item.kind, "mode": item.mode}])
    data["items-INITIAL_FORMS"] = "1"

    response = client.post(EDIT, data, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["内容与已提交的第 1 版相同，没有修改，未生成新版本。"]
    assert list(ReportVersion.objects.values_list("number", flat=True)) == [1]
    assert DailyReport.objects.get().version == 1


def test_a_changed_narrative_with_a_negative_item_count_is_a_new_version_keeping_the_items(demo, client_for, travel):
    client = client_for(demo.user("nanjing_reporter"))
    report = _filed(client, travel)
    data = form_data(version=1, narrative="下午补充：增加线上直播。")
    data["items-TOTAL_FORMS"] = "-1"

    response = client.post(EDIT, data)

    assert (response.status_code, response["Location"]) == (302, DETAIL)
    report.refresh_from_db()
    assert (report.version, report.narrative, report.item_count) == (2, "下午补充：增加线上直播。", 1)
    assert list(ReportVersion.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
