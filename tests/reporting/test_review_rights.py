"""Screening and forwarding belong to the week's organizer: a parent org may look at the highlights, never take them."""

import pytest
from django.urls import reverse

from reporting.models import ForwardedPackage, Highlight
from reporting.services.access import ReviewForbidden
from reporting.services.highlights import forward_highlights, mark_highlight, unmark_highlight

from .conftest import DAY1, at, item

READ_ONLY = "亮点的筛选和上报由江苏省机关事务管理局的审核员或管理员负责；您可以查看，但不能修改或上报。"


@pytest.fixture
def marked(demo, submit, travel):
    """Nanjing's item of 6/29, marked as a highlight by the Jiangsu reviewer and not yet forwarded."""
    travel(at(DAY1, 15, 0))
    report = submit("320100", items=[item("旧物回收", kind="recycling")])
    mark_highlight(report.items.get(), user=demo.user("jiangsu_reviewer"), comment="可推广", order=1)
    travel(at(DAY1, 17, 0))
    return Highlight.objects.get()


def _forward(client_for, demo, username):
    return client_for(demo.user(username)).post(reverse("reporting:forward", args=["2020-jiangsu", "2020-06-29"]))


def _edit(client_for, demo, username, highlight, data=None):
    url = reverse("reporting:highlight_edit", args=["2020-jiangsu", highlight.item_id])
    client = client_for(demo.user(username))
    return client.get(url) if data is None else client.post(url, data)


def _highlights_page(client_for, demo, username):
    return client_for(demo.user(username)).get(reverse("reporting:highlights", args=["2020-jiangsu"]))


def test_the_organizers_reviewer_sees_the_buttons_and_forwards_to_the_parent_week(demo, marked, client_for):
    page = _highlights_page(client_for, demo, "jiangsu_reviewer").content.decode()
    assert "上报 1 条亮点至国管局节能司" in page
    assert READ_ONLY not in page

    response = _forward(client_for, demo, "jiangsu_reviewer")

    package = ForwardedPackage.objects.get()
    assert response["Location"] == f"/reporting/2020-jiangsu/packages/{package.pk}/"
    assert (package.org.code, package.recipient.code, package.forwarded_by.username) == (
        "320000",
        "100000",
        "jiangsu_reviewer",
    )
    assert [e["title"] for e in package.payload] == ["旧物回收"]


def test_a_parent_org_sees_the_highlights_read_only_without_buttons(demo, marked, client_for):
    response = _highlights_page(client_for, demo, "national_admin")

    page = response.content.decode()
    assert response.status_code == 200
    assert "旧物回收" in page and "审核意见：可推广" in page
    assert READ_ONLY in page
    assert reverse("reporting:forward", args=["2020-jiangsu", "2020-06-29"]) not in page
    assert reverse("reporting:highlight_edit", args=["2020-jiangsu", marked.item_id]) not in page
    dashboard = client_for(demo.user("national_admin")).get(reverse("reporting:dashboard", args=["2020-jiangsu"]))
    assert dashboard.status_code == 200 and "查看亮点" in dashboard.content.decode()
    detail = client_for(demo.user("national_admin")).get(
        reverse("reporting:report_detail", args=["2020-jiangsu", "320100", "2020-06-29"])
    )
    assert detail.status_code == 200 and "修改亮点" not in detail.content.decode()


def test_a_parent_org_cannot_forward_and_the_organizer_still_can(demo, marked, client_for):
    response = _forward(client_for, demo, "national_admin")

    assert response.status_code == 403
    assert READ_ONLY in response.content.decode()
    assert ForwardedPackage.objects.count() == 0
    marked.refresh_from_db()
    assert marked.package_id is None
    # Nothing was frozen: Jiangsu's own reviewer forwards its highlights as before.
    assert _forward(client_for, demo, "jiangsu_reviewer").status_code == 302
    assert list(ForwardedPackage.objects.values_list("org__code", "recipient__code")) == [("320000", "100000")]


def test_a_parent_org_cannot_screen_highlights(demo, marked, client_for):
    opened = _edit(client_for, demo, "national_admin", marked)
    changed = _edit(client_for, demo, "national_admin", marked, {"action": "save", "comment": "国家局改的", "order": 9})
    removed = _edit(client_for, demo, "national_admin", marked, {"action": "remove"})

    assert [r.status_code for r in (opened, changed, removed)] == [403, 403, 403]
    assert READ_ONLY in changed.content.decode()
    marked.refresh_from_db()
    assert (marked.comment, marked.order, marked.marked_by.username) == ("可推广", 1, "jiangsu_reviewer")
    assert _edit(client_for, demo, "jiangsu_reviewer", marked).status_code == 200


def test_an_outsider_gets_404_everywhere(demo, marked, client_for):
    responses = [
        _highlights_page(client_for, demo, "jiangxi_admin"),
        _forward(client_for, demo, "jiangxi_admin"),
        _edit(client_for, demo, "jiangxi_admin", marked),
        _edit(client_for, demo, "jiangxi_admin", marked, {"action": "remove"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert (ForwardedPackage.objects.count(), Highlight.objects.count()) == (0, 1)


def test_the_services_refuse_a_parent_org_too(demo, marked):
    national = demo.user("national_admin")

    with pytest.raises(ReviewForbidden, match="您可以查看，但不能修改或上报"):
        forward_highlights(demo.jiangsu, DAY1, user=national)
    with pytest.raises(ReviewForbidden):
        mark_highlight(marked.item, user=national, comment="国家局改的")
    with pytest.raises(ReviewForbidden):
        unmark_highlight(marked.item, user=national)
    assert (ForwardedPackage.objects.count(), Highlight.objects.get().comment) == (0, "可推广")


def test_a_superuser_forwards_on_behalf_of_the_organizer(demo, marked, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.cn", "x", org=demo.org("100000"))

    package = forward_highlights(demo.jiangsu, DAY1, user=root)

    assert (package.org.code, package.recipient.code) == ("320000", "100000")
