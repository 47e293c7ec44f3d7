"""The receiver reads, adopts and answers; the sender sees the receipt; outsiders get 404, reporters a Chinese 403."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from inbox.models import InboxEntry


def receipt_on_highlights(client_for, demo) -> str:
    html = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:highlights", args=["2020-jiangsu"]))
    return html.content.decode()


def test_the_sender_sees_delivered_then_read_then_adopted_with_the_comment(demo, forwarded, client_for):
    assert 'data-receipt="unread"><span class="badge">已送达</span>' in receipt_on_highlights(client_for, demo)

    national = client_for(demo.user("national_admin"))
    assert national.get(reverse("inbox:entry", args=[forwarded.pk])).status_code == 200
    assert 'data-receipt="read"><span class="badge">已阅</span>' in receipt_on_highlights(client_for, demo)

    national = client_for(demo.user("national_admin"))
    assert national.get(reverse("inbox:adopt", args=[forwarded.pk])).status_code == 200  # the confirmation
    assert InboxEntry.objects.get().adopted_at is None
    assert national.post(reverse("inbox:adopt", args=[forwarded.pk])).status_code == 302
    national.post(reverse("inbox:comment", args=[forwarded.pk]), {"comment": "已在网站专栏刊发"})
    html = receipt_on_highlights(client_for, demo)
    assert 'data-receipt="adopted"><span class="badge green">已采用</span>' in html
    assert "国家机关事务管理局公共机构节能管理司回复：已在网站专栏刊发" in html
    package_page = client_for(demo.user("jiangsu_admin")).get(
        reverse("reporting:package", args=["2020-jiangsu", forwarded.package_id])
    )
    assert "已采用" in package_page.content.decode()


def test_adopting_and_commenting_each_write_one_audit_entry(demo, forwarded, client_for):
    national = client_for(demo.user("national_admin"))
    national.post(reverse("inbox:adopt", args=[forwarded.pk]))
    national.post(reverse("inbox:comment", args=[forwarded.pk]), {"comment": "很好"})

    logged = AuditEntry.objects.filter(action__startswith="inbox.").order_by("pk")
    assert [(e.action, e.actor, e.object_id, e.org) for e in logged] == [
        ("inbox.adopt", demo.user("national_admin"), str(forwarded.pk), demo.org("100000")),
        ("inbox.comment", demo.user("national_admin"), str(forwarded.pk), demo.org("100000")),
    ]


def test_adopting_twice_says_when_it_was_adopted(demo, forwarded, client_for):
    national = client_for(demo.user("national_admin"))
    national.post(reverse("inbox:adopt", args=[forwarded.pk]))
    response = national.post(reverse("inbox:adopt", args=[forwarded.pk]), follow=True)

    assert "该收件已于 6月29日 周一 17:00 采用。" in response.content.decode()


def test_an_empty_comment_is_refused_naming_the_field(demo, forwarded, client_for):
    response = client_for(demo.user("national_admin")).post(
        reverse("inbox:comment", args=[forwarded.pk]), {"comment": "  "}, follow=True
    )

    assert "回复意见：这个字段是必填项。" in response.content.decode()
    assert InboxEntry.objects.get().comment == ""


@pytest.mark.parametrize("username", ["jiangxi_admin", "jiangsu_admin", "jiangsu_reviewer"])
def test_adopting_or_commenting_on_a_package_not_addressed_to_ones_tree_is_not_found(
    demo, forwarded, client_for, username
):
    client = client_for(demo.user(username))

    assert client.post(reverse("inbox:adopt", args=[forwarded.pk])).status_code == 404
    assert client.post(reverse("inbox:comment", args=[forwarded.pk]), {"comment": "好"}).status_code == 404
    assert InboxEntry.objects.get().adopted_at is None


def test_a_reporter_of_the_receiving_org_may_look_but_not_adopt(demo, forwarded, client_for, clerk):
    client = client_for(clerk)
    page = client.get(reverse("inbox:entry", args=[forwarded.pk]))
    refused = client.post(reverse("inbox:adopt", args=[forwarded.pk]))

    assert page.status_code == 200
    assert refused.status_code == 403
    assert "采用和回复由本单位的审核员或管理员负责" in refused.content.decode()
    assert client.post(reverse("inbox:comment", args=[forwarded.pk]), {"comment": "好"}).status_code == 403
    entry = InboxEntry.objects.get()
    assert (entry.read_at, entry.adopted_at, entry.comment) == (None, None, "")


def test_a_parent_looking_into_a_childs_inbox_leaves_it_unread_and_may_not_adopt(demo, city_summary, client_for):
    client = client_for(demo.user("national_admin"))
    page = client.get(reverse("inbox:entry", args=[city_summary.pk]))
    refused = client.post(reverse("inbox:adopt", args=[city_summary.pk]))

    assert "该收件由江苏省机关事务管理局处理；您可以查看，但不能采用或回复。" in page.content.decode()
    assert refused.status_code == 403
    assert InboxEntry.objects.get().read_at is None


def test_the_city_sees_its_summary_read_by_the_province(demo, city_summary, client_for):
    client_for(demo.user("jiangsu_admin")).get(reverse("inbox:entry", args=[city_summary.pk]))
    page = client_for(demo.user("nanjing_reporter")).get(
        reverse("reporting:summary_edit", args=["2020-jiangsu", "320100"])
    )

    assert 'data-receipt="read"><span class="badge">已阅</span>' in page.content.decode()
