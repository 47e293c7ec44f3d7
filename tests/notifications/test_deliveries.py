"""Deliveries through real gateways on loopback: sent exactly once per recipient, retried with back-off, refused
answers recorded in Chinese, nothing sent twice."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django_q.models import Schedule

from eventweek.models import LOCAL_TZ
from eventweek.outbox import OutboxStatus
from notifications.models import Channel, ChannelKind, Contact, Delivery, NoticeKind, NoticeRoute
from notifications.receivers import ensure_schedules_after_migrate
from notifications.services.deliveries import queue_notice, retry_deliveries, send_delivery
from notifications.services.routing import sms_channel_for
from tests.notifications.conftest import dingtalk_check

T0 = datetime.datetime(2020, 6, 29, 14, 0, tzinfo=LOCAL_TZ)


def route(org, kind, *channels):
    r, _created = NoticeRoute.objects.get_or_create(org=org, kind=kind)
    r.channels.set(channels)


def queue(capture, org, kind=NoticeKind.REPORT_MISSING, key="missing:2020-06-29", **kwargs):
    with capture(execute=True), transaction.atomic():
        return queue_notice(
            org, kind, key, kwargs.pop("subject", "未报送提醒"), kwargs.pop("body", "请于16:00前报送。"), **kwargs
        )


@pytest.fixture
def nanjing(demo):
    org = demo.org("320100")
    Contact.objects.create(org=org, name="张三", mobile="13900000001")
    Contact.objects.create(org=org, name="李四", mobile="13900000002")
    return org


def sms_channel(org, url, **config):
    return Channel.objects.create(
        org=org,
        kind=ChannelKind.SMS,
        name="短信",
        url=url,
        secret="sms-key-0123456789abcd",
        config={"sign_name": "节能宣传周", "max_chars": 70, **config},
    )


def test_a_gateway_that_fails_twice_then_accepts_delivers_exactly_one_message_per_recipient(
    nanjing, gateway, django_capture_on_commit_callbacks
):
    gw = gateway(
        [500, 502, lambda r: (200, {"code": 0, "message_id": "m-" + r.json["mobile"][-2:]})],
        per=lambda r: r.json["mobile"],
    )
    channel = sms_channel(nanjing, gw.url + "/sms/send")
    route(nanjing, NoticeKind.REPORT_MISSING, channel)

    with time_machine.travel(T0, tick=False):
        rows = queue(django_capture_on_commit_callbacks, nanjing)
    assert [r.recipient for r in rows] == ["13900000001", "13900000002"]
    assert [r.status for r in Delivery.objects.order_by("pk")] == [OutboxStatus.FAILED, OutboxStatus.FAILED]
    assert Delivery.objects.get(recipient="13900000001").last_error == "网关暂时故障（HTTP 500）。"

    assert retry_deliveries(now=T0 + datetime.timedelta(seconds=59)) == 0  # back-off: 1 minute
    assert retry_deliveries(now=T0 + datetime.timedelta(minutes=1)) == 0  # second failure (502)
    assert retry_deliveries(now=T0 + datetime.timedelta(minutes=2)) == 0  # back-off: 2 more minutes
    assert retry_deliveries(now=T0 + datetime.timedelta(minutes=3)) == 2
    assert retry_deliveries(now=T0 + datetime.timedelta(minutes=30)) == 0
    # A duplicated task finds the row sent.
    assert send_delivery(rows[0].pk) is False

    assert [r.json["mobile"] for r in gw.accepted] == ["13900000001", "13900000002"]
    assert len(gw.requests) == 6
    assert gw.accepted[0].json["content"] == "【节能宣传周】未报送提醒\n请于16:00前报送。"
    assert gw.accepted[0].headers["x-api-key"] == "sms-key-0123456789abcd"
    done = list(Delivery.objects.order_by("pk").values_list("status", "attempts", "provider_message_id", "last_error"))
    assert done == [(OutboxStatus.SENT, 3, "m-01", ""), (OutboxStatus.SENT, 3, "m-02", "")]
    assert Delivery.objects.get(recipient="13900000001").last_answer == 'HTTP 200 {"code": 0, "message_id": "m-01"}'


def test_queueing_the_same_notice_twice_writes_and_sends_nothing_more(
    nanjing, gateway, django_capture_on_commit_callbacks
):
    gw = gateway([200])
    route(nanjing, NoticeKind.REPORT_MISSING, sms_channel(nanjing, gw.url))

    first = queue(django_capture_on_commit_callbacks, nanjing)
    second = queue(django_capture_on_commit_callbacks, nanjing)

    assert (len(first), second) == (2, [])
    assert sorted(Delivery.objects.values_list("idempotency_key", flat=True)) == [
        f"missing:2020-06-29:{first[0].channel_id}:13900000001",
        f"missing:2020-06-29:{first[0].channel_id}:13900000002",
    ]
    assert len(gw.requests) == 2


def test_a_gateway_that_times_out_is_retried_and_then_given_up(
    nanjing, gateway, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    gw = gateway(["timeout"])
    channel = sms_channel(nanjing, gw.url + "/sms", timeout=0.3)
    route(nanjing, NoticeKind.REPORT_MISSING, channel)

    with time_machine.travel(T0, tick=False):
        row = queue(django_capture_on_commit_callbacks, nanjing, recipients=["139-0000-0001"])[0]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (
        OutboxStatus.FAILED,
        1,
        T0 + datetime.timedelta(minutes=1),
    )
    assert row.last_error == f"网关超时：127.0.0.1:{gw.url.rsplit(':', 1)[1]} 在 0.3 秒内没有应答。"

    assert retry_deliveries(now=T0 + datetime.timedelta(minutes=1)) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 2)
    assert retry_deliveries(now=T0 + datetime.timedelta(minutes=3)) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.get_status_display()) == (OutboxStatus.GAVE_UP, 3, "已放弃")
    assert retry_deliveries(now=T0 + datetime.timedelta(hours=1)) == 0
    assert len(gw.requests) == 3


def test_dingtalk_signed_mode_passes_the_servers_own_check(nanjing, gateway, django_capture_on_commit_callbacks):
    secret = "SEC0123456789abcdef0123456789abcdef"
    gw = gateway([200], check=dingtalk_check(secret))
    channel = Channel.objects.create(
        org=nanjing,
        kind=ChannelKind.DINGTALK,
        name="钉钉群",
        url=gw.url + "/robot/send?access_token=tok0123456789abcdef",
        secret=secret,
        config={"mode": "sign"},
    )
    route(nanjing, NoticeKind.ACTIVITY_REMINDER, channel)

    rows = queue(django_capture_on_commit_callbacks, nanjing, NoticeKind.ACTIVITY_REMINDER, "act:1", subject="活动提醒")

    assert Delivery.objects.get(pk=rows[0].pk).status == OutboxStatus.SENT
    (request,) = gw.requests
    assert request.query["access_token"] == "tok0123456789abcdef"
    assert request.json == {"msgtype": "text", "text": {"content": "活动提醒\n请于16:00前报送。"}}


def test_a_wrong_dingtalk_secret_is_refused_by_the_server_and_given_up_in_chinese(
    nanjing, gateway, django_capture_on_commit_callbacks
):
    gw = gateway([200], check=dingtalk_check("SEC-the-real-secret-0123456789"))
    channel = Channel.objects.create(
        org=nanjing,
        kind=ChannelKind.DINGTALK,
        name="钉钉群",
        url=gw.url + "/robot/send?access_token=tok0123456789abcdef",
        secret="SEC-a-wrong-secret-0123456789",
        config={"mode": "sign"},
    )
    route(nanjing, NoticeKind.ACTIVITY_REMINDER, channel)

    rows = queue(django_capture_on_commit_callbacks, nanjing, NoticeKind.ACTIVITY_REMINDER, "act:1")

    row = Delivery.objects.get(pk=rows[0].pk)
    assert (row.status, row.attempts) == (OutboxStatus.GAVE_UP, 1)
    assert row.last_error == (
        "钉钉返回错误 310000：签名不匹配或消息不含关键词（请检查加签密钥、关键词或 IP 白名单）（sign not match）"
    )
    assert row.last_answer == 'HTTP 200 {"errcode": 310000, "errmsg": "sign not match"}'
    assert [r.status for r in gw.requests] == [200]


def test_dingtalk_keyword_mode_puts_the_keyword_in_a_message_that_lacks_it(
    nanjing, gateway, django_capture_on_commit_callbacks
):
    gw = gateway([200], check=dingtalk_check("", keyword="节能"))
    channel = Channel.objects.create(
        org=nanjing,
        kind=ChannelKind.DINGTALK,
        name="钉钉群",
        url=gw.url + "/robot/send?access_token=tok0123456789abcdef",
        config={"mode": "keyword", "keyword": "节能"},
    )
    route(nanjing, NoticeKind.QUIZ_OPEN, channel)

    rows = queue(
        django_capture_on_commit_callbacks, nanjing, NoticeKind.QUIZ_OPEN, "quiz:1", subject="竞答开始", body="快来答题"
    )

    assert Delivery.objects.get(pk=rows[0].pk).status == OutboxStatus.SENT
    assert gw.requests[0].json["text"]["content"] == "【节能】竞答开始\n快来答题"
    assert "timestamp" not in gw.requests[0].query


def test_a_200_with_an_errcode_is_a_failure_worded_in_chinese(nanjing, gateway, django_capture_on_commit_callbacks):
    gw = gateway([(200, {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1590000000_abc]"})])
    channel = Channel.objects.create(
        org=nanjing,
        kind=ChannelKind.WECOM,
        name="企业微信群",
        url=gw.url + "/cgi-bin/webhook/send?key=k-0123456789abcdef",
    )
    route(nanjing, NoticeKind.SUMMARY_DEADLINE, channel)

    rows = queue(django_capture_on_commit_callbacks, nanjing, NoticeKind.SUMMARY_DEADLINE, "summary:1")

    row = Delivery.objects.get(pk=rows[0].pk)
    assert (row.status, row.sent_at) == (OutboxStatus.GAVE_UP, None)
    assert row.last_error == (
        "企业微信返回错误 93000：无效的 webhook 地址（机器人已被删除或 key 有误）（invalid webhook url, hint: [1590000000_abc]）"
    )


def test_a_wecom_rate_limit_is_retried_later(nanjing, gateway, django_capture_on_commit_callbacks):
    gw = gateway([(200, {"errcode": 45009, "errmsg": "api freq out of limit"}), 200])
    channel = Channel.objects.create(
        org=nanjing,
        kind=ChannelKind.WECOM,
        name="企业微信群",
        url=gw.url + "/send?key=k-0123456789abcdef",
        config={"at_contacts": True},
    )
    route(nanjing, NoticeKind.SUMMARY_DEADLINE, channel)

    with time_machine.travel(T0, tick=False):
        rows = queue(django_capture_on_commit_callbacks, nanjing, NoticeKind.SUMMARY_DEADLINE, "summary:1")
    row = Delivery.objects.get(pk=rows[0].pk)
    assert (row.status, row.last_error) == (
        OutboxStatus.FAILED,
        "企业微信返回错误 45009：发送频率超过限制（每分钟 20 条）（api freq out of limit）",
    )
    assert retry_deliveries(now=T0 + datetime.timedelta(minutes=1)) == 1
    assert gw.requests[1].json == {
        "msgtype": "text",
        "text": {"content": "未报送提醒\n请于16:00前报送。", "mentioned_mobile_list": ["13900000001", "13900000002"]},
    }


def test_a_message_longer_than_wecom_accepts_is_refused_without_sending(
    nanjing, gateway, django_capture_on_commit_callbacks
):
    gw = gateway([200])
    channel = Channel.objects.create(
        org=nanjing, kind=ChannelKind.WECOM, name="企业微信群", url=gw.url + "/send?key=k1"
    )
    route(nanjing, NoticeKind.RECEIPT, channel)

    rows = queue(
        django_capture_on_commit_callbacks, nanjing, NoticeKind.RECEIPT, "r:1", subject="回执", body="节" * 700
    )

    row = Delivery.objects.get(pk=rows[0].pk)
    assert (row.status, row.last_error) == (
        OutboxStatus.GAVE_UP,
        "消息太长：企业微信文本消息最多 2048 字节，这条有 2107 字节。",
    )
    assert gw.requests == []


def test_an_sms_longer_than_the_gateway_setting_is_refused(nanjing, gateway, django_capture_on_commit_callbacks):
    gw = gateway([200])
    route(nanjing, NoticeKind.REPORT_MISSING, sms_channel(nanjing, gw.url))

    queue(django_capture_on_commit_callbacks, nanjing, subject="", body="请" * 64, recipients=["13900000001"])

    row = Delivery.objects.get()
    assert (row.status, row.last_error) == (
        OutboxStatus.GAVE_UP,
        "短信太长：本网关最多 70 字（含签名），这条有 71 字。",
    )
    assert gw.requests == []


def test_the_generic_webhook_signs_the_raw_body_with_hmac_sha256(nanjing, gateway, django_capture_on_commit_callbacks):
    import hashlib
    import hmac

    secret = "whsec-0123456789abcdef"

    def check(request):
        expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        if request.headers.get("x-eventweek-signature") != expected:
            return 401, {"error": "bad signature"}
        return None

    gw = gateway([(200, {"id": "oa-77"})], check=check)
    channel = Channel.objects.create(
        org=nanjing, kind=ChannelKind.WEBHOOK, name="OA", url=gw.url + "/oa", secret=secret
    )
    route(nanjing, NoticeKind.RECEIPT, channel)

    rows = queue(django_capture_on_commit_callbacks, nanjing, NoticeKind.RECEIPT, "receipt:9")

    row = Delivery.objects.get(pk=rows[0].pk)
    assert (row.status, row.provider_message_id) == (OutboxStatus.SENT, "oa-77")
    assert gw.requests[0].json == {
        "subject": "未报送提醒",
        "body": "请于16:00前报送。",
        "recipient": "",
        "kind": "receipt",
        "key": f"receipt:9:{channel.pk}:",
        "org": "320100",
    }


def test_email_is_the_default_channel_and_goes_through_a_real_smtp_server(
    nanjing, smtp, django_capture_on_commit_callbacks
):
    server = smtp()
    Contact.objects.filter(mobile="13900000001").update(email="zhangsan@nj.example.cn")

    rows = queue(django_capture_on_commit_callbacks, nanjing, NoticeKind.ACTIVITY_REMINDER, "act:5", subject="活动提醒")

    assert [r.recipient for r in rows] == ["nanjing@jsjn.example.cn", "zhangsan@nj.example.cn"]
    assert [rcpt for rcpt, _m in server.messages] == [["nanjing@jsjn.example.cn"], ["zhangsan@nj.example.cn"]]
    assert str(server.messages[0][1]["Subject"]) == "活动提醒"
    assert rows[0].channel.kind == ChannelKind.EMAIL
    assert set(Delivery.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_disabled_channel_is_skipped(nanjing, gateway, django_capture_on_commit_callbacks):
    gw = gateway([200])
    channel = sms_channel(nanjing, gw.url)
    channel.enabled = False
    channel.save()
    route(nanjing, NoticeKind.REPORT_MISSING, channel)

    assert queue(django_capture_on_commit_callbacks, nanjing) == []
    assert gw.requests == []


def test_a_gateway_echoing_the_key_leaves_it_out_of_the_row_and_the_logs(
    nanjing, gateway, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("DEBUG")
    gw = gateway([lambda r: (200, {"code": 401, "message": "bad key " + r.headers["x-api-key"]})])
    route(nanjing, NoticeKind.REPORT_MISSING, sms_channel(nanjing, gw.url + "/sms?appkey=app-0123456789abcdef"))

    queue(django_capture_on_commit_callbacks, nanjing, recipients=["13900000001"])

    row = Delivery.objects.get()
    assert (row.status, row.last_error) == (OutboxStatus.GAVE_UP, "短信网关返回错误 401：bad key sms…abcd")
    assert row.last_answer == 'HTTP 200 {"code": 401, "message": "bad key sms…abcd"}'
    assert "sms-key-0123456789abcd" not in caplog.text
    assert "app-0123456789abcdef" not in caplog.text
    assert "appkey=app…cdef" in caplog.text


def test_the_sms_channel_of_an_org_is_its_own_or_its_nearest_ancestors(demo):
    nanjing, jiangsu = demo.org("320100"), demo.org("320000")
    assert sms_channel_for(nanjing) is None
    province = sms_channel(jiangsu, "http://127.0.0.1:9/sms")
    Channel.objects.create(org=demo.org("360000"), kind=ChannelKind.SMS, name="江西短信", url="http://127.0.0.1:9/x")
    assert sms_channel_for(nanjing) == province
    own = sms_channel(nanjing, "http://127.0.0.1:9/nj")
    assert sms_channel_for(nanjing) == own
    own.enabled = False
    own.save()
    assert sms_channel_for(nanjing) == province
    assert sms_channel_for(demo.org("320200")) == province


def test_the_retry_sweep_is_scheduled_every_minute_once(db):
    ensure_schedules_after_migrate(sender=None)
    ensure_schedules_after_migrate(sender=None)

    assert list(Schedule.objects.filter(name="notifications.retry_deliveries").values_list("func", "minutes")) == [
        ("notifications.tasks.retry_deliveries_task", 1)
    ]
