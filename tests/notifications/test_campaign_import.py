"""Recipients of a campaign: an .xlsx staff list validated row by row (missing column, unknown unit, a unit outside
the admin's subtree, formulas) with invalid mobiles skipped and counted, duplicates removed, or an org subtree's
contacts; each number sent once through a real loopback gateway."""

import re
from collections import Counter

from notifications.models import Campaign, CampaignRecipient, Contact
from tests.notifications.campaign_helpers import ACCEPT, campaign_form, sms_channel, xlsx_upload


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def post_campaign(client, rows, **extra):
    return client.post("/notifications/campaigns/new/", campaign_form(file=xlsx_upload(rows), **extra))


def test_an_xlsx_without_the_mobile_column_is_refused_naming_it(demo, client_for):
    sms_channel(demo.org("320000"))
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post(
        "/notifications/campaigns/new/",
        campaign_form(file=xlsx_upload([("张三", "南京")], header=("姓名", "单位"))),
    )

    assert response.status_code == 200
    assert "<strong>人员名单</strong>：缺少“手机”列。" in text_of(response)
    assert Campaign.objects.count() == 0


def test_unknown_units_units_outside_the_subtree_and_formulas_are_refused_row_by_row(demo, client_for):
    sms_channel(demo.org("320000"))
    client = client_for(demo.user("jiangsu_admin"))

    response = post_campaign(
        client,
        [("张三", "13800000001", "南京"), ("李四", "13800000002", "火星"), ("王五", "13800000003", "360100"),
         ("赵六", "=1+1", "南京")],
    )  # fmt: skip

    page = text_of(response)
    assert "第 3 行：没有名称或代码为“火星”的单位。" in page
    assert "第 4 行：单位“360100”不在本单位及下级单位范围内。" in page
    assert "第 5 行：不接受公式，请填写数值。" in page
    assert "第 2 行" not in page
    assert Campaign.objects.count() == 0 and CampaignRecipient.objects.count() == 0


def test_an_invalid_mobile_row_is_skipped_counted_and_named_with_its_row(demo, client_for):
    sms_channel(demo.org("320000"))
    client = client_for(demo.user("jiangsu_admin"))

    response = post_campaign(client, [("张三", "13800000001", "南京"), ("李四", "1380000", "320200")])

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert (campaign.invalid_skipped, campaign.duplicates_removed, campaign.opted_out) == (1, 0, 0)
    assert list(campaign.recipients.values_list("mobile", "name", "unit__code")) == [("13800000001", "张三", "320100")]
    page = text_of(client.get(f"/notifications/campaigns/{campaign.pk}/"))
    assert "第 3 行：手机号“1380000”无效，已跳过。" in page


def test_duplicates_in_an_import_are_sent_once_and_counted(demo, client_for, gateway, settings,
                                                           django_capture_on_commit_callbacks):  # fmt: skip
    settings.SMS_CAMPAIGN_RATE = 10_000
    gw = gateway([ACCEPT])
    sms_channel(demo.org("320000"), url=gw.url + "/sms")
    client = client_for(demo.user("jiangsu_admin"))
    post_campaign(
        client,
        [("张三", "13800000001", "南京"), ("张三", "138-0000-0001", "南京"), ("李四", "+86 13800000002", "无锡"),
         ("李四", "１３８０００００００２", "320200"), ("王五", "13800000003", "南京")],
    )  # fmt: skip
    campaign = Campaign.objects.get()

    confirm = client.get(f"/notifications/campaigns/{campaign.pk}/send/")
    assert "确认现在开始向待发送的号码发送这条公益短信吗？" in text_of(confirm)
    assert gw.requests == []  # asking to confirm sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/notifications/campaigns/{campaign.pk}/send/")

    assert Counter(r.json["mobile"] for r in gw.accepted) == {"13800000001": 1, "13800000002": 1, "13800000003": 1}
    assert {r.json["content"] for r in gw.accepted} == {"【节能宣传周】节能降碳，绿色发展。"}
    progress = client.get(f"/notifications/campaigns/{campaign.pk}/progress/").json()
    assert {k: progress[k] for k in ("status", "sent", "failed", "remaining", "invalid", "duplicates", "opted_out")} == {
        "status": "done", "sent": 3, "failed": 0, "remaining": 0, "invalid": 0, "duplicates": 2, "opted_out": 0,
    }  # fmt: skip


def test_the_contacts_of_an_org_subtree_are_the_recipients(demo, client_for):
    sms_channel(demo.org("320000"))
    Contact.objects.create(org=demo.org("320100"), name="南京联系人", mobile="13900000001")
    Contact.objects.create(org=demo.org("320200"), name="无锡联系人", mobile="13900000002")
    Contact.objects.create(org=demo.org("360000"), name="江西联系人", mobile="13900000003")
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post(
        "/notifications/campaigns/new/", campaign_form(source="contacts", unit=demo.org("320000").pk)
    )

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert list(campaign.recipients.order_by("mobile").values_list("mobile", flat=True)) == [
        "13900000001",
        "13900000002",
    ]


def test_a_unit_outside_the_admins_subtree_cannot_be_chosen_for_contacts(demo, client_for):
    sms_channel(demo.org("320000"))
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post(
        "/notifications/campaigns/new/", campaign_form(source="contacts", unit=demo.org("360000").pk)
    )

    assert response.status_code == 200
    assert "<strong>单位</strong>：" in text_of(response)
    assert Campaign.objects.count() == 0
