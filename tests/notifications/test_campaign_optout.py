"""The opt-out list: a recipient's reply of TD/退订 reported to /notifications/sms/replies/ (signed with the
gateway's key, or with the channel's reply token) or an admin's entry; every later campaign skips the number, and a
number opted out after it was queued is not sent either."""

import json
from collections import Counter

from eventweek.outbox import OutboxStatus
from notifications.models import Campaign, CampaignRecipient, OptOut
from notifications.services.campaign_import import StaffEntry
from notifications.services.campaign_sending import run_campaign
from notifications.services.campaigns import create_campaign, send_now, tally
from notifications.services.senders import webhook_signature
from tests.notifications.campaign_helpers import ACCEPT, sms_channel

KEY = "gw-key-0123456789abcdef"


def reply(client, channel, mobile, content, *, key=KEY, token=None):
    raw = json.dumps({"channel": channel.pk, "mobile": mobile, "content": content}).encode()
    headers = {"HTTP_X_REPLY_TOKEN": token} if token else {"HTTP_X_EVENTWEEK_SIGNATURE": webhook_signature(key, raw)}
    return client.post("/notifications/sms/replies/", raw, content_type="application/json", **headers)


def entries(*mobiles):
    return [StaffEntry(n + 2, f"职工{n}", mobile, None) for n, mobile in enumerate(mobiles)]


def test_a_signed_td_reply_and_an_admins_entry_put_numbers_on_the_list(demo, client, client_for):
    channel = sms_channel(demo.org("320000"), reply_token="reply-token-0123456789")

    signed = reply(client, channel, "13800000001", "TD")
    tokened = reply(client, channel, "+86 138 0000 0002", " 退订。", token="reply-token-0123456789")
    other = reply(client, channel, "13800000003", "收到，谢谢")
    admin = client_for(demo.user("jiangsu_admin")).post("/notifications/opt-outs/", {"mobile": "138-0000-0004"})

    assert [r.status_code for r in (signed, tokened, other, admin)] == [200, 200, 200, 302]
    assert [signed.json(), other.json()] == [{"ok": True, "opted_out": True}, {"ok": True, "opted_out": False}]
    assert list(OptOut.objects.order_by("mobile").values_list("mobile", "source", "org__code")) == [
        ("13800000001", "reply", "320000"),
        ("13800000002", "reply", "320000"),
        ("13800000004", "admin", "320000"),
    ]


def test_a_reply_with_a_wrong_signature_or_token_is_refused(demo, client):
    channel = sms_channel(demo.org("320000"), reply_token="reply-token-0123456789")

    wrong_key = reply(client, channel, "13800000001", "TD", key="not-the-key-000000")
    wrong_token = reply(client, channel, "13800000001", "TD", token="guess")

    assert [wrong_key.status_code, wrong_token.status_code] == [403, 403]
    assert wrong_key.json() == {"ok": False, "error": "签名或令牌无效。"}
    assert OptOut.objects.count() == 0


def test_an_invalid_mobile_entered_by_an_admin_is_refused_naming_the_field(demo, client_for):
    response = client_for(demo.user("jiangsu_admin")).post("/notifications/opt-outs/", {"mobile": "12345"})

    assert "<strong>手机号</strong>：手机号应为 11 位数字、以 1 开头，例如 13812345678。" in response.content.decode()
    assert OptOut.objects.count() == 0


def test_every_later_campaign_skips_opted_out_numbers(demo, client, client_for, gateway, settings):
    settings.SMS_CAMPAIGN_RATE = 10_000
    gw = gateway([ACCEPT])
    channel = sms_channel(demo.org("320000"), url=gw.url + "/sms")
    admin = demo.user("jiangsu_admin")
    reply(client, channel, "13800000001", "td")
    client_for(admin).post("/notifications/opt-outs/", {"mobile": "13800000002"})

    campaign = create_campaign(admin, demo.org("320000"), "公益短信", "节能降碳。", entries(
        "13800000001", "13800000002", "13800000003"), "名单")  # fmt: skip
    assert (campaign.opted_out, list(campaign.recipients.values_list("mobile", flat=True))) == (2, ["13800000003"])
    send_now(campaign, admin)
    run_campaign(campaign.pk)

    assert Counter(r.json["mobile"] for r in gw.accepted) == {"13800000003": 1}
    campaign.refresh_from_db()
    counts = tally(campaign)
    assert (campaign.status, counts["sent"], counts["opted_out"], counts["failed"]) == ("done", 1, 2, 0)


def test_a_number_opted_out_after_it_was_queued_is_not_sent(demo, client, gateway, settings):
    settings.SMS_CAMPAIGN_RATE = 10_000
    gw = gateway([ACCEPT])
    channel = sms_channel(demo.org("320000"), url=gw.url + "/sms")
    admin = demo.user("jiangsu_admin")
    campaign = create_campaign(admin, demo.org("320000"), "公益短信", "节能降碳。", entries(
        "13800000001", "13800000002"), "名单")  # fmt: skip

    reply(client, channel, "13800000002", "退订")
    send_now(campaign, admin)
    run_campaign(campaign.pk)

    assert [r.json["mobile"] for r in gw.accepted] == ["13800000001"]
    retired = CampaignRecipient.objects.get(mobile="13800000002")
    assert (retired.status, retired.opted_out, retired.last_error) == (OutboxStatus.GAVE_UP, True, "已退订")
    assert tally(Campaign.objects.get())["opted_out"] == 1
