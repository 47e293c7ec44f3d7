"""Screening: items marked as highlights with comment, order and pictures; a day's highlights forwarded and frozen."""

import datetime

import pytest
from django.urls import reverse

from eventweek.errors import DomainError
from reporting.models import ForwardedPackage, Highlight
from reporting.services import highlights as services

from .conftest import DAY1, at, image_bytes, item

DAY2 = DAY1 + datetime.timedelta(days=1)


@pytest.fixture
def day_one(demo, submit, travel):
    travel(at(DAY1, 15, 0))
    nanjing = submit(
        "320100",
        items=[
            item("旧物回收", kind="recycling", pictures=[(image_bytes(), "回收现场"), (image_bytes(), "称重")]),
            item("讲座"),
        ],
    )
    suzhou = submit("320500", items=[item("能源紧缺体验", kind="shortage")])
    return nanjing, suzhou


def test_a_reviewer_marks_items_with_comment_order_and_pictures(demo, day_one, client_for):
    nanjing, _suzhou = day_one
    recycling = nanjing.items.get(title="旧物回收")
    chosen = recycling.pictures.get(caption="称重")
    client = client_for(demo.user("jiangsu_reviewer"))
    url = reverse("reporting:highlight_edit", args=["2020-jiangsu", recycling.pk])
    response = client.post(
        url, {"action": "save", "comment": "回收量大，可推广", "order": "2", "pictures": [str(chosen.pk)]}
    )
    assert response.status_code == 302
    highlight = Highlight.objects.get()
    assert (highlight.item_id, highlight.day, highlight.comment, highlight.order) == (
        recycling.pk,
        DAY1,
        "回收量大，可推广",
        2,
    )
    assert [p.pk for p in highlight.pictures.all()] == [chosen.pk]
    assert highlight.marked_by == demo.user("jiangsu_reviewer")


def test_the_highlight_list_per_day_and_for_the_week(demo, day_one, submit, travel):
    nanjing, suzhou = day_one
    reviewer = demo.user("jiangsu_reviewer")
    services.mark_highlight(suzhou.items.get(), user=reviewer, order=1)
    services.mark_highlight(nanjing.items.get(title="旧物回收"), user=reviewer, order=2)
    travel(at(DAY2, 15, 0))
    day2 = submit("320200", day=DAY2, items=[item("公益短信", kind="sms")])
    services.mark_highlight(day2.items.get(), user=reviewer, order=1)
    assert [h.item.title for h in services.highlights_for(demo.jiangsu, day=DAY1)] == ["能源紧缺体验", "旧物回收"]
    assert [h.item.title for h in services.highlights_for(demo.jiangsu)] == ["能源紧缺体验", "旧物回收", "公益短信"]
    assert [h.item.title for h in services.highlights_for(demo.jiangsu, org=demo.org("320100"))] == ["旧物回收"]
    html = _page(demo, "?day=2020-06-29")
    assert html.index("能源紧缺体验") < html.index("旧物回收")
    assert "公益短信" not in html


def _page(demo, query=""):
    from django.test import Client

    client = Client()
    client.force_login(demo.user("jiangsu_reviewer"))
    return client.get(reverse("reporting:highlights", args=["2020-jiangsu"]) + query).content.decode()


def test_forwarding_freezes_the_days_highlights_with_time_and_reviewer(demo, day_one, travel, client_for):
    nanjing, suzhou = day_one
    reviewer = demo.user("jiangsu_reviewer")
    recycling = nanjing.items.get(title="旧物回收")
    weighing = recycling.pictures.get(caption="称重")
    services.mark_highlight(recycling, user=reviewer, comment="可推广", order=1, picture_ids=[weighing.pk])
    travel(at(DAY1, 17, 0))
    response = client_for(reviewer).post(reverse("reporting:forward", args=["2020-jiangsu", "2020-06-29"]))
    package = ForwardedPackage.objects.get()
    assert response["Location"] == f"/reporting/2020-jiangsu/packages/{package.pk}/"
    assert (package.org.code, package.recipient.code, package.day, package.number) == ("320000", "100000", DAY1, 1)
    assert package.forwarded_at == at(DAY1, 17, 0)
    assert package.forwarded_by_name == "江苏省局审核员"
    assert [(e["org"], e["title"], e["comment"], e["pictures"]) for e in package.payload] == [
        ("320100", "旧物回收", "可推广", [{"id": weighing.pk, "caption": "称重"}])
    ]
    # Later changes to the report do not touch what was forwarded.
    recycling.title = "改过的标题"
    recycling.save()
    package.refresh_from_db()
    assert package.payload[0]["title"] == "旧物回收"
    with pytest.raises(DomainError, match="已于 2020-06-29 17:00 上报，不能再修改"):
        services.mark_highlight(recycling, user=reviewer, comment="再改")
    with pytest.raises(DomainError, match="没有待上报的亮点"):
        services.forward_highlights(demo.jiangsu, DAY1, user=reviewer)
    page = client_for(reviewer).get(response["Location"]).content.decode()
    assert "旧物回收" in page and "江苏省局审核员" in page


def test_a_second_package_takes_only_the_new_highlights(demo, day_one):
    nanjing, suzhou = day_one
    reviewer = demo.user("jiangsu_reviewer")
    services.mark_highlight(suzhou.items.get(), user=reviewer)
    services.forward_highlights(demo.jiangsu, DAY1, user=reviewer)
    services.mark_highlight(nanjing.items.get(title="讲座"), user=reviewer)
    second = services.forward_highlights(demo.jiangsu, DAY1, user=reviewer)
    assert (second.number, [e["title"] for e in second.payload]) == (2, ["讲座"])


def test_a_city_cannot_forward(demo, day_one, client_for):
    response = client_for(demo.user("nanjing_reporter")).post(
        reverse("reporting:forward", args=["2020-jiangsu", "2020-06-29"])
    )
    assert response.status_code == 404
    assert ForwardedPackage.objects.count() == 0
