"""取消活动 takes a reason: asked for (the dialog, or the page without JS), stored, and shown wherever it is public."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from eventweek.models import Activity, ActivityChange
from eventweek.services.changes import cancel_activity, restore_activity


def sms(demo) -> Activity:
    return Activity.objects.get(week=demo.jiangsu, title="节能公益短信宣传")


def cancel_url(activity) -> str:
    return reverse("eventweek:manage_activity_cancel", args=["2020-jiangsu", activity.pk])


def test_the_cancel_button_asks_in_a_dialog_for_a_reason(demo, client_for):
    page = client_for(demo.user("jiangsu_admin")).get("/manage/weeks/2020-jiangsu/").content.decode()

    assert (
        f'<form method="post" action="{cancel_url(sms(demo))}" class="inline" '
        'data-confirm="确认取消活动“节能公益短信宣传”？取消后订阅日历将显示为已取消。" '
        'data-confirm-reason="取消原因（必填，将公开显示）" data-confirm-ok="确认取消活动">'
    ) in page
    assert '<script src="/static/js/confirm.js" defer></script>' in page


def test_without_the_dialog_the_button_leads_to_a_page_that_asks_and_nothing_is_cancelled(demo, client_for):
    activity = sms(demo)

    response = client_for(demo.user("jiangsu_admin")).post(cancel_url(activity))

    assert response.status_code == 200
    html = response.content.decode()
    assert "确认取消“<strong>节能公益短信宣传</strong>”" in html
    assert 'name="reason"' in html
    assert "请填写取消原因" not in html
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.SCHEDULED
    assert ActivityChange.objects.count() == 0


def test_an_empty_reason_is_refused_naming_the_field(demo, client_for):
    activity = sms(demo)

    response = client_for(demo.user("jiangsu_admin")).post(cancel_url(activity), {"reason": "  \t "})

    assert response.status_code == 400
    assert "<li><strong>取消原因</strong>：请填写取消原因。</li>" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.SCHEDULED


def test_the_service_refuses_a_blank_reason(demo):
    with pytest.raises(ValidationError) as error:
        cancel_activity(sms(demo), reason=" ")

    assert error.value.message_dict == {"reason": ["请填写取消原因。"]}


def test_the_reason_is_stored_on_the_activity_and_its_changelog_row(demo, client_for):
    activity = sms(demo)

    response = client_for(demo.user("jiangsu_admin")).post(cancel_url(activity), {"reason": " 短信平台升级\n暂停 "})

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == (Activity.Status.CANCELLED, "短信平台升级 暂停")
    change = ActivityChange.objects.get()
    assert (change.action, change.reason) == ("cancelled", "短信平台升级 暂停")


def test_the_reason_shows_on_the_changes_page_and_the_activity_page(demo, client):
    activity = sms(demo)
    cancel_activity(activity, reason="短信平台升级")

    changes = client.get("/weeks/2020-jiangsu/changes/").content.decode()
    page = client.get(f"/weeks/2020-jiangsu/activities/{activity.pk}/").content.decode()

    assert '<p class="change-reason" data-change-reason>原因：短信平台升级</p>' in changes
    assert '<p class="msg msg-error" data-cancel-reason>本活动已取消。原因：短信平台升级</p>' in page


def test_the_reason_opens_the_cancelled_events_description_in_the_feed(demo, client):
    activity = sms(demo)
    cancel_activity(activity, reason="短信平台升级")

    feed = Calendar.from_ical(client.get("/weeks/2020-jiangsu/calendar.ics").content)

    event = {str(e["UID"]): e for e in feed.walk("VEVENT")}[f"{activity.uid}@eventweek"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["DESCRIPTION"]).split("\n")[0] == "已取消，原因：短信平台升级"


def test_restoring_clears_the_reason_from_the_page_and_the_feed(demo, client):
    activity = sms(demo)
    cancel_activity(activity, reason="短信平台升级")
    restore_activity(activity)

    feed = Calendar.from_ical(client.get("/weeks/2020-jiangsu/calendar.ics").content)

    activity.refresh_from_db()
    assert activity.cancel_reason == ""
    event = {str(e["UID"]): e for e in feed.walk("VEVENT")}[f"{activity.uid}@eventweek"]
    assert "原因" not in str(event["DESCRIPTION"])
    assert ActivityChange.objects.get(action="cancelled").reason == "短信平台升级"


def test_publish_now_asks_first(demo, client_for):
    from eventweek.models import Week

    Week.objects.filter(pk=demo.jiangsu.pk).update(published_at=None)

    page = client_for(demo.user("jiangsu_admin")).get("/manage/weeks/2020-jiangsu/").content.decode()

    assert (
        'data-confirm="确认立即发布“2020年江苏省公共机构节能宣传周”？发布后日程公开，之后的每次修改都会写入公开的变更记录。" '
        'data-confirm-ok="确认发布"'
    ) in page
