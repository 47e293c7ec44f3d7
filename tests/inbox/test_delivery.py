"""What a child org sends upward arrives in its receiver's inbox, and nobody else's; the receiver's admins are told."""

import re

from django.core import mail
from django.urls import reverse

from inbox.models import InboxEntry
from notifications.models import Delivery, NoticeKind


def listed(client_for, user, query="") -> list[int]:
    response = client_for(user).get(reverse("inbox:inbox") + query)
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'data-entry="(\d+)"', response.content.decode())]


def test_a_package_forwarded_by_jiangsu_appears_in_the_national_inbox_and_nobody_elses(demo, forwarded, client_for):
    assert (forwarded.kind, forwarded.sender, forwarded.receiver, forwarded.week) == (
        InboxEntry.Kind.PACKAGE,
        demo.org("320000"),
        demo.org("100000"),
        demo.national,
    )
    assert forwarded.title == "江苏省机关事务管理局6月29日亮点（第 1 批，2 条）"
    assert listed(client_for, demo.user("national_admin")) == [forwarded.pk]
    assert listed(client_for, demo.user("jiangxi_admin")) == []
    assert listed(client_for, demo.user("jiangsu_admin")) == []
    assert listed(client_for, demo.user("jiangsu_reviewer")) == []
    assert listed(client_for, demo.user("nanjing_reporter")) == []


def test_a_child_cannot_open_its_parents_inbox(demo, forwarded, client_for):
    response = client_for(demo.user("jiangsu_admin")).get(reverse("inbox:inbox") + "?org=100000")

    assert response.status_code == 404


def test_a_city_summary_arrives_in_the_province_inbox_which_the_national_admin_may_look_into(
    demo, city_summary, client_for
):
    assert (city_summary.kind, city_summary.sender, city_summary.receiver, city_summary.week) == (
        InboxEntry.Kind.SUMMARY,
        demo.org("320100"),
        demo.org("320000"),
        demo.jiangsu,
    )
    assert listed(client_for, demo.user("jiangsu_admin")) == [city_summary.pk]
    assert listed(client_for, demo.user("national_admin")) == []
    assert listed(client_for, demo.user("national_admin"), "?org=320000") == [city_summary.pk]
    assert client_for(demo.user("jiangxi_admin")).get(reverse("inbox:inbox") + "?org=320000").status_code == 404


def test_an_arrival_notifies_the_receiving_orgs_admins_once_as_a_receipt_notice(demo, forwarded):
    arrivals = [m for m in mail.outbox if m.subject.startswith("【收件箱】")]
    deliveries = Delivery.objects.filter(kind=NoticeKind.RECEIPT)

    assert [(m.subject, m.to) for m in arrivals] == [(f"【收件箱】{forwarded.title}", ["national_admin@example.cn"])]
    assert "请登录系统在“收件箱”中查看" in arrivals[0].body
    assert [(d.org, d.notice_key, d.recipient) for d in deliveries] == [
        (demo.org("100000"), f"inbox:{forwarded.pk}", "national_admin@example.cn")
    ]


def test_the_filters_narrow_by_sender_kind_status_and_date(demo, forwarded, client_for, travel):
    national = demo.user("national_admin")

    assert listed(client_for, national, "?sender=320000") == [forwarded.pk]
    assert listed(client_for, national, "?sender=360000") == []
    assert listed(client_for, national, "?kind=package") == [forwarded.pk]
    assert listed(client_for, national, "?kind=summary") == []
    assert listed(client_for, national, "?status=unread") == [forwarded.pk]
    assert listed(client_for, national, "?status=read") == []
    assert listed(client_for, national, "?since=2020-06-29&until=2020-06-29") == [forwarded.pk]
    assert listed(client_for, national, "?since=2020-06-30") == []
    client_for(national).get(reverse("inbox:entry", args=[forwarded.pk]))
    assert listed(client_for, national, "?status=read") == [forwarded.pk]
    assert listed(client_for, national, "?status=unread") == []


def test_a_reversed_date_range_says_which_field_is_wrong(demo, forwarded, client_for):
    response = client_for(demo.user("national_admin")).get(
        reverse("inbox:inbox") + "?since=2020-07-01&until=2020-06-29"
    )

    assert "<strong>结束日期</strong>：结束日期不能早于开始日期。" in response.content.decode()
