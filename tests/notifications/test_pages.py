"""The channel pages (add, edit, test message with the gateway's real answer), contacts, routes and the delivery log:
secrets masked everywhere, the org tree respected."""

import logging
import re

import pytest

from eventweek.outbox import OutboxStatus
from notifications.models import Channel, ChannelKind, Contact, Delivery, NoticeKind, NoticeRoute
from tests.notifications.conftest import dingtalk_check

SECRET = "SECfeedface0123456789deadbeefa1b2"
TOKEN = "tokc0ffee0123456789abcdef9f8e"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def dingtalk_form(url, **extra):
    return {
        "kind": "dingtalk",
        "name": "钉钉工作群",
        "enabled": "on",
        "url": url,
        "secret": SECRET,
        "mode": "sign",
        "format": "text",
        "timeout": "10",
        **extra,
    }


def test_a_webhook_address_that_is_not_http_is_refused_naming_the_field(demo, client_for):
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post("/notifications/channels/new/", dingtalk_form("ftp://oapi.dingtalk.com/robot/send"))

    assert response.status_code == 200
    assert "<strong>地址</strong>：地址必须以 http:// 或 https:// 开头。" in text_of(response)
    assert Channel.objects.count() == 0


def test_secrets_are_never_shown_back_nor_logged(demo, client_for, gateway, caplog):
    caplog.set_level(logging.DEBUG)
    # The gateway echoes the full address it was called on (with the token and the signature).
    gw = gateway(
        [lambda r: (200, {"errcode": 0, "errmsg": "ok", "echo": f"{r.path}?access_token={r.query['access_token']}"})],
        check=dingtalk_check(SECRET),
    )
    client = client_for(demo.user("jiangsu_admin"))
    url = f"{gw.url}/robot/send?access_token={TOKEN}"

    created = client.post("/notifications/channels/new/", dingtalk_form(url))
    channel = Channel.objects.get()
    listing = client.get("/notifications/channels/")
    edit = client.get(f"/notifications/channels/{channel.pk}/")
    tested = client.post(f"/notifications/channels/{channel.pk}/test/")

    assert created.status_code == 302
    assert (channel.secret, channel.url) == (SECRET, url)
    for response in (listing, edit, tested):
        assert SECRET not in response.content.decode()
        assert TOKEN not in response.content.decode()
    assert "SEC…a1b2" in text_of(listing)
    assert "/robot/send?access_token=tok…9f8e" in text_of(listing)
    assert "留空则保持不变（当前：SEC…a1b2）" in text_of(edit)
    assert "网关已接收测试消息。" in text_of(tested)
    assert 'HTTP 200 {"errcode": 0, "errmsg": "ok", "echo": "/robot/send?access_token=tok…9f8e"}' in text_of(
        tested
    ).replace("&quot;", '"')
    assert SECRET not in caplog.text and TOKEN not in caplog.text
    assert len(gw.accepted) == 1


def test_the_test_button_asks_first_and_shows_a_refusal_in_chinese(demo, client_for, gateway):
    gw = gateway([200], check=dingtalk_check("SEC-the-one-dingtalk-knows-0000"))
    channel = Channel.objects.create(
        org=demo.org("320000"),
        kind=ChannelKind.DINGTALK,
        name="钉钉",
        url=f"{gw.url}/robot/send?access_token={TOKEN}",
        secret=SECRET,
        config={"mode": "sign"},
    )
    client = client_for(demo.user("jiangsu_admin"))

    asked = client.get(f"/notifications/channels/{channel.pk}/test/")
    assert "确认现在向这个渠道发送一条测试消息吗？" in text_of(asked)
    assert gw.requests == []

    answered = client.post(f"/notifications/channels/{channel.pk}/test/")

    page = text_of(answered).replace("&quot;", '"')
    assert (
        "钉钉返回错误 310000：签名不匹配或消息不含关键词（请检查加签密钥、关键词或 IP 白名单）（sign not match）"
        in page
    )
    assert 'HTTP 200 {"errcode": 310000, "errmsg": "sign not match"}' in page
    assert gw.requests[0].json["text"]["content"] == "测试消息\n这是来自节能宣传周平台的测试消息（江苏 · 钉钉）。"
    assert Delivery.objects.count() == 0  # a test message is not a notice


def test_channels_of_another_tree_are_not_found_and_a_reporter_may_not_change_them(demo, client_for):
    channel = Channel.objects.create(org=demo.org("320100"), kind=ChannelKind.EMAIL, name="南京邮箱")

    assert client_for(demo.user("jiangxi_admin")).get(f"/notifications/channels/{channel.pk}/").status_code == 404
    assert (
        client_for(demo.user("nanjing_reporter")).post(f"/notifications/channels/{channel.pk}/toggle/").status_code
        == 403
    )
    response = client_for(demo.user("jiangsu_admin")).post(f"/notifications/channels/{channel.pk}/toggle/")
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.enabled is False


def test_each_kind_of_notice_gets_the_channels_the_org_ticks(demo, client_for):
    jiangsu = demo.org("320000")
    email = Channel.objects.create(org=jiangsu, kind=ChannelKind.EMAIL, name="邮箱")
    sms = Channel.objects.create(org=jiangsu, kind=ChannelKind.SMS, name="短信", url="http://127.0.0.1:9/sms")
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post(
        "/notifications/channels/",
        {"report_missing": [str(sms.pk), str(email.pk)], "quiz_open": [], "activity_reminder": [str(email.pk)]},
    )

    assert response.status_code == 302
    routes = {r.kind: sorted(c.name for c in r.channels.all()) for r in NoticeRoute.objects.filter(org=jiangsu)}
    assert routes == {
        "activity_reminder": ["邮箱"],
        "report_missing": ["短信", "邮箱"],
        "summary_deadline": [],
        "quiz_open": [],
        "receipt": [],
    }


@pytest.mark.parametrize("typed", ["+86 139-0000-0003", "１３９００００００03"])
def test_a_contacts_mobile_is_stored_in_its_one_spelling(demo, client_for, typed):
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post(
        "/notifications/contacts/new/", {"name": "王五", "mobile": typed, "receives_reminders": "on"}
    )

    assert response.status_code == 302
    assert list(Contact.objects.values_list("org__code", "name", "mobile")) == [("320000", "王五", "13900000003")]


def test_a_contact_with_a_wrong_mobile_is_refused_in_chinese(demo, client_for):
    response = client_for(demo.user("jiangsu_admin")).post(
        "/notifications/contacts/new/", {"name": "王五", "mobile": "1234"}
    )

    assert "<strong>手机号</strong>：手机号应为 11 位数字、以 1 开头，例如 13812345678。" in text_of(response)
    assert Contact.objects.count() == 0


def _delivery(channel, n, status=OutboxStatus.SENT, **extra):
    return Delivery.objects.create(
        org=channel.org,
        channel=channel,
        kind=NoticeKind.REPORT_MISSING,
        notice_key=f"k{n}",
        subject=f"提醒{n}",
        body="b",
        recipient="",
        idempotency_key=f"k{n}:{channel.pk}:",
        status=status,
        **extra,
    )


@pytest.fixture
def three_orgs_deliveries(demo):
    jiangsu = Channel.objects.create(
        org=demo.org("320000"), kind=ChannelKind.WECOM, name="省局群", url="http://h/s?key=1"
    )
    nanjing = Channel.objects.create(
        org=demo.org("320100"), kind=ChannelKind.WECOM, name="南京群", url="http://h/s?key=2"
    )
    jiangxi = Channel.objects.create(
        org=demo.org("360000"), kind=ChannelKind.WECOM, name="江西群", url="http://h/s?key=3"
    )
    _delivery(jiangsu, 1)
    _delivery(
        nanjing,
        2,
        OutboxStatus.GAVE_UP,
        last_error="企业微信返回错误 93000：无效的 webhook 地址（机器人已被删除或 key 有误）（invalid webhook url）",
    )
    _delivery(jiangxi, 3)
    return jiangsu, nanjing, jiangxi


def subjects(response) -> list[str]:
    return re.findall(r"未报送提醒 · (提醒\d+)", text_of(response))


def test_the_delivery_log_shows_the_subtree_never_a_sibling(demo, client_for, three_orgs_deliveries):
    assert subjects(client_for(demo.user("jiangsu_admin")).get("/notifications/log/")) == ["提醒2", "提醒1"]
    assert subjects(client_for(demo.user("nanjing_reporter")).get("/notifications/log/")) == ["提醒2"]
    assert subjects(client_for(demo.user("jiangxi_admin")).get("/notifications/log/")) == ["提醒3"]


def test_the_delivery_log_filters_by_status_and_channel_and_says_the_error_in_chinese(
    demo, client_for, three_orgs_deliveries
):
    jiangsu, nanjing, _jiangxi = three_orgs_deliveries
    client = client_for(demo.user("jiangsu_admin"))

    failed = client.get("/notifications/log/", {"status": "gave_up"})
    by_channel = client.get("/notifications/log/", {"channel": jiangsu.pk})
    sibling_channel = client.get("/notifications/log/", {"channel": _jiangxi.pk})

    assert subjects(failed) == ["提醒2"]
    assert "企业微信返回错误 93000：无效的 webhook 地址（机器人已被删除或 key 有误）" in text_of(failed)
    assert subjects(by_channel) == ["提醒1"]
    assert subjects(sibling_channel) == ["提醒2", "提醒1"]  # not a choice: the filter is ignored, nothing leaks


def test_the_delivery_log_is_paginated(demo, client_for):
    channel = Channel.objects.create(org=demo.org("320100"), kind=ChannelKind.WECOM, name="群", url="http://h/s?key=1")
    for n in range(1, 53):
        _delivery(channel, n)
    client = client_for(demo.user("nanjing_reporter"))

    first = client.get("/notifications/log/")
    second = client.get("/notifications/log/", {"page": 2})

    assert len(subjects(first)) == 50
    assert subjects(second) == ["提醒2", "提醒1"]
    assert "第 2 / 2 页" in text_of(second)
