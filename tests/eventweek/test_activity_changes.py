"""After publication every change is logged with old and new values and raises SEQUENCE; before, nothing is."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from django_q.models import Schedule

from eventweek.models import Activity, ActivityChange, Week
from eventweek.services.changes import cancel_activity, save_activity
from eventweek.services.programme import changelog
from eventweek.services.publishing import schedule_publication

SHANGHAI = ZoneInfo("Asia/Shanghai")


def launch(demo):
    return Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)


def launch_payload(activity, **changes):
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "start": "2020-06-29T09:00",
        "end": "2020-06-29T10:00",
        "platform": activity.platform,
        "place": activity.place,
        "link": activity.link,
        "audience": activity.audience,
        "organizer": activity.organizer_id,
        "description": activity.description,
    }
    data.update(changes)
    return data


def edit_url(activity):
    return reverse("eventweek:manage_activity_edit", args=[activity.week.slug, activity.pk])


def test_moving_a_published_activity_logs_old_and_new_times_and_raises_its_sequence(demo, client_for):
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))

    response = client.post(
        edit_url(activity), launch_payload(activity, start="2020-06-29T14:00", end="2020-06-29T15:30")
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.sequence == 1
    assert activity.start == datetime.datetime(2020, 6, 29, 14, 0, tzinfo=SHANGHAI)
    change = ActivityChange.objects.get()
    assert (change.week, change.activity, change.action, change.sequence, change.changed_by) == (
        demo.national,
        activity,
        ActivityChange.Action.CHANGED,
        1,
        demo.user("national_admin"),
    )
    assert change.changes == [
        {"field": "start", "label": "开始时间", "old": "2020-06-29 09:00", "new": "2020-06-29 14:00"},
        {"field": "end", "label": "结束时间", "old": "2020-06-29 10:00", "new": "2020-06-29 15:30"},
    ]


def test_each_further_change_raises_the_sequence_again(demo, client_for):
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))

    client.post(edit_url(activity), launch_payload(activity, place="北京"))
    client.post(edit_url(activity), launch_payload(activity, place="北京", link="https://live.example.cn/launch"))

    activity.refresh_from_db()
    assert activity.sequence == 2
    assert list(ActivityChange.objects.order_by("pk").values_list("sequence", "changes")) == [
        (1, [{"field": "place", "label": "地点", "old": "", "new": "北京"}]),
        (2, [{"field": "link", "label": "链接", "old": "", "new": "https://live.example.cn/launch"}]),
    ]


def test_saving_without_a_change_logs_nothing(demo, client_for):
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))

    response = client.post(edit_url(activity), launch_payload(activity))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.sequence == 0
    assert ActivityChange.objects.count() == 0


def test_changes_before_publication_are_not_logged(demo, client_for):
    Week.objects.filter(pk=demo.national.pk).update(published_at=None)
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))

    client.post(edit_url(activity), launch_payload(activity, start="2020-06-29T14:00", end="2020-06-29T15:00"))
    client.post(
        reverse("eventweek:manage_activity_cancel", args=["2020-national", activity.pk]), {"reason": "场地维修"}
    )

    activity.refresh_from_db()
    assert (activity.sequence, activity.status) == (0, Activity.Status.CANCELLED)
    assert activity.start == datetime.datetime(2020, 6, 29, 14, 0, tzinfo=SHANGHAI)
    assert ActivityChange.objects.count() == 0


def test_cancelling_keeps_the_activity_marks_it_cancelled_and_logs_it(demo, client_for):
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))

    response = client.post(
        reverse("eventweek:manage_activity_cancel", args=["2020-national", activity.pk]), {"reason": "场地维修"}
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.sequence) == (Activity.Status.CANCELLED, 1)
    change = ActivityChange.objects.get()
    assert (change.action, change.sequence) == (ActivityChange.Action.CANCELLED, 1)
    assert change.changes == [{"field": "status", "label": "状态", "old": "按计划", "new": "已取消"}]


def test_cancelling_twice_says_so_and_logs_once(demo, client_for):
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))
    url = reverse("eventweek:manage_activity_cancel", args=["2020-national", activity.pk])
    client.post(url, {"reason": "场地维修"}, follow=True)  # shows (and consumes) the first "cancelled" message

    response = client.post(url, {"reason": "场地维修"}, follow=True)

    assert [str(message) for message in response.context["messages"]] == ["该活动已经取消。"]
    assert ActivityChange.objects.count() == 1
    assert Activity.objects.get(pk=activity.pk).sequence == 1


def test_restoring_a_cancelled_activity_logs_it_with_the_next_sequence(demo, client_for):
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))
    client.post(
        reverse("eventweek:manage_activity_cancel", args=["2020-national", activity.pk]), {"reason": "场地维修"}
    )

    client.post(reverse("eventweek:manage_activity_restore", args=["2020-national", activity.pk]))

    activity.refresh_from_db()
    assert (activity.status, activity.sequence) == (Activity.Status.SCHEDULED, 2)
    assert list(ActivityChange.objects.order_by("pk").values_list("action", "sequence")) == [
        ("cancelled", 1),
        ("restored", 2),
    ]


def test_restoring_an_activity_that_runs_as_planned_is_refused(demo, client_for):
    activity = launch(demo)
    client = client_for(demo.user("national_admin"))

    response = client.post(
        reverse("eventweek:manage_activity_restore", args=["2020-national", activity.pk]), follow=True
    )

    assert [str(message) for message in response.context["messages"]] == ["该活动没有被取消。"]
    assert ActivityChange.objects.count() == 0


def test_an_activity_added_after_publication_is_logged_as_added(demo, client_for):
    client = client_for(demo.user("jiangsu_admin"))
    payload = {
        "kind": "local",
        "title": "常州市垃圾分类主题宣传",
        "all_day": "on",
        "start_date": "2020-07-03",
        "end_date": "2020-07-03",
        "organizer": demo.org("320400").pk,
    }

    client.post(reverse("eventweek:manage_activity_new", args=[demo.jiangsu.slug]), payload)

    change = ActivityChange.objects.get()
    assert (change.week, change.action, change.sequence) == (demo.jiangsu, "added", 0)
    assert change.changes == [
        {"field": "title", "label": "名称", "old": "", "new": "常州市垃圾分类主题宣传"},
        {"field": "start", "label": "开始时间", "old": "", "new": "2020-07-03"},
        {"field": "end", "label": "结束时间", "old": "", "new": "2020-07-03"},
        {"field": "all_day", "label": "全天", "old": "", "new": "是"},
        {"field": "status", "label": "状态", "old": "", "new": "按计划"},
    ]


def test_the_jiangsu_changelog_holds_national_changes_too(demo):
    activity = launch(demo)
    cancel_activity(activity, reason="场地维修")
    own = Activity.objects.get(week=demo.jiangsu, title="能源紧缺体验日")
    own.place = "省级机关各单位"
    save_activity(own)

    entries = [(c.activity.title, c.action) for c in changelog(demo.jiangsu)]

    assert entries == [("能源紧缺体验日", "changed"), ("公共机构节能宣传周“云启动”仪式", "cancelled")]
    assert [(c.activity.title, c.action) for c in changelog(demo.national)] == [
        ("公共机构节能宣传周“云启动”仪式", "cancelled")
    ]


def test_publish_now_publishes_a_draft_and_drops_its_schedule(demo, client_for, django_capture_on_commit_callbacks):
    week = demo.jiangsu
    Week.objects.filter(pk=week.pk).update(published_at=None)
    week.refresh_from_db()
    schedule_publication(week)
    assert Schedule.objects.filter(name=f"eventweek:publish-week:{week.pk}").count() == 1
    client = client_for(demo.user("jiangsu_admin"))
    page = client.get(reverse("eventweek:manage_week", args=[week.slug])).content.decode()
    assert "立即发布" in page
    assert '<span class="next-run">6月25日 周四 09:00</span>' in page

    with time_machine.travel(datetime.datetime(2020, 6, 24, 18, 30, tzinfo=SHANGHAI), tick=False):
        response = client.post(reverse("eventweek:manage_week_publish", args=[week.slug]), follow=True)

    week.refresh_from_db()
    assert week.published_at == datetime.datetime(2020, 6, 24, 18, 30, tzinfo=SHANGHAI)
    assert [str(m) for m in response.context["messages"]] == ["活动周已发布，日程现已公开。"]
    assert Schedule.objects.filter(name=f"eventweek:publish-week:{week.pk}").count() == 0
    assert "立即发布" not in response.content.decode()
