"""Campaign pages and who may use them: the organizer's admins see and act (numbers in full), an ancestor's admins
see masked numbers and may not act (Chinese 403), outsiders get 404, reporters 403; every action asks first; sending
is audited; a schedule starts it; stop and resume."""

import datetime
import re

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from eventweek.outbox import OutboxStatus
from notifications.models import Campaign, CampaignStatus, OptOut
from notifications.services.campaign_import import StaffEntry
from notifications.services.campaign_sending import run_campaign
from notifications.services.campaigns import create_campaign
from tests.notifications.campaign_helpers import ACCEPT, sms_channel


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def campaign(demo):
    sms_channel(demo.org("320000"))
    return create_campaign(
        demo.user("jiangsu_admin"),
        demo.org("320000"),
        "节能宣传周公益短信",
        "节能降碳，绿色发展。",
        [StaffEntry(2, "张三", "13800000001", demo.org("320100").pk), StaffEntry(3, "李四", "13800000002", None)],
        "名单",
    )


def urls(campaign):
    base = f"/notifications/campaigns/{campaign.pk}"
    return [f"{base}/", f"{base}/progress/", f"{base}/send/", f"{base}/schedule/", f"{base}/stop/", f"{base}/resume/"]


def test_the_organizers_admin_opens_every_campaign_page(demo, client_for, campaign):
    client = client_for(demo.user("jiangsu_admin"))

    codes = [client.get(url).status_code for url in ["/notifications/campaigns/", "/notifications/campaigns/new/",
                                                     "/notifications/opt-outs/", *urls(campaign)]]  # fmt: skip

    assert codes == [200] * 9


def test_an_ancestors_admin_sees_the_campaign_but_may_not_act_on_it(demo, client_for, campaign):
    client = client_for(demo.user("national_admin"))

    codes = [client.get(url).status_code for url in urls(campaign)]
    refused = client.post(f"/notifications/campaigns/{campaign.pk}/send/")

    assert codes == [200, 200, 403, 403, 403, 403]
    assert refused.status_code == 403
    assert "只有组织这条公益短信的单位可以发送、定时或暂停它。" in text_of(refused)
    assert "节能宣传周公益短信" in text_of(client.get("/notifications/campaigns/"))
    assert Campaign.objects.get().status == CampaignStatus.DRAFT


def test_an_outsider_gets_404_for_every_campaign_page_and_does_not_see_it_listed(demo, client_for, campaign):
    client = client_for(demo.user("jiangxi_admin"))

    codes = [client.get(url).status_code for url in urls(campaign)]

    assert codes == [404] * 6
    assert "节能宣传周公益短信" not in text_of(client.get("/notifications/campaigns/"))


def test_a_reporter_gets_the_chinese_403_on_every_campaign_page(demo, client_for, campaign):
    client = client_for(demo.user("nanjing_reporter"))
    pages = ["/notifications/campaigns/", "/notifications/campaigns/new/", "/notifications/opt-outs/", *urls(campaign)]

    responses = [client.get(url) for url in pages]

    assert [r.status_code for r in responses] == [403] * 9
    assert "只有单位管理员可以设置通知渠道。" in text_of(responses[0])


def test_numbers_are_in_full_only_on_the_organizers_own_pages(demo, client_for, campaign):
    OptOut.objects.create(mobile="13900000009", source="admin", org=demo.org("320000"))
    owner = client_for(demo.user("jiangsu_admin")).get(f"/notifications/campaigns/{campaign.pk}/")
    owner_opt_outs = text_of(client_for(demo.user("jiangsu_admin")).get("/notifications/opt-outs/"))
    ancestor = text_of(client_for(demo.user("national_admin")).get(f"/notifications/campaigns/{campaign.pk}/"))

    assert re.findall(r'<td class="mono">([^<]*)</td>', owner.content.decode()) == ["13800000001", "13800000002"]
    assert re.findall(r'<td class="mono">([^<]*)</td>', ancestor) == ["138****0001", "138****0002"]
    assert "13800000001" not in ancestor
    assert re.findall(r'<td class="mono">([^<]*)</td>', owner_opt_outs) == ["139****0009"]


def test_sending_a_campaign_is_audited_once_with_its_recipient_count(demo, client_for, campaign):
    client_for(demo.user("jiangsu_admin")).post(f"/notifications/campaigns/{campaign.pk}/send/")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor.username, entry.org.code, entry.object_id, entry.data) == (
        "sms_campaign.send", "jiangsu_admin", "320000", str(campaign.pk), {"recipients": 2}
    )  # fmt: skip
    assert Campaign.objects.get().status == CampaignStatus.SENDING


def test_a_scheduled_campaign_starts_at_its_time(demo, client_for, campaign, gateway, settings,
                                                 django_capture_on_commit_callbacks):  # fmt: skip
    from django_q.models import Schedule

    from notifications.tasks import start_scheduled_campaign_task

    settings.SMS_CAMPAIGN_RATE = 10_000
    gw = gateway([ACCEPT])
    campaign.channel.url = gw.url + "/sms"
    campaign.channel.save()
    at = (timezone.now() + datetime.timedelta(days=1)).astimezone(timezone.get_current_timezone())

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(demo.user("jiangsu_admin")).post(
            f"/notifications/campaigns/{campaign.pk}/schedule/", {"at": at.strftime("%Y-%m-%dT%H:%M")}
        )

    schedule = Schedule.objects.get(name=f"notifications:campaign:{campaign.pk}")
    assert response.status_code == 302
    assert (schedule.func, schedule.schedule_type, schedule.args) == (
        "notifications.tasks.start_scheduled_campaign_task", "O", f"({campaign.pk},)"
    )  # fmt: skip
    assert schedule.next_run == at.replace(second=0, microsecond=0)
    assert gw.requests == []
    start_scheduled_campaign_task(campaign.pk)
    assert sorted(r.json["mobile"] for r in gw.accepted) == ["13800000001", "13800000002"]
    assert Campaign.objects.get().status == CampaignStatus.DONE


def test_a_stopped_campaign_sends_nothing_until_resumed_and_then_only_the_rest(demo, client_for, campaign, gateway,
                                                                              settings, django_capture_on_commit_callbacks):  # fmt: skip
    settings.SMS_CAMPAIGN_RATE = 10_000
    gw = gateway([ACCEPT])
    campaign.channel.url = gw.url + "/sms"
    campaign.channel.save()
    client = client_for(demo.user("jiangsu_admin"))
    campaign.recipients.filter(mobile="13800000001").update(status=OutboxStatus.SENT)  # sent before the stop
    client.post(f"/notifications/campaigns/{campaign.pk}/send/")  # its runner would start after commit

    client.post(f"/notifications/campaigns/{campaign.pk}/stop/")
    assert run_campaign(campaign.pk) == {"sent": 0, "failed": 0, "ran": False}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/notifications/campaigns/{campaign.pk}/resume/")

    assert [r.json["mobile"] for r in gw.accepted] == ["13800000002"]
    assert Campaign.objects.get().status == CampaignStatus.DONE
