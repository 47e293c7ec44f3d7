"""The Django admin: every model listed with Chinese labels; edits with rules go through the services."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from eventweek.models import Activity, ActivityChange, User

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def root(demo, client):
    user = User.objects.create_superuser("root", "root@example.cn", "x")
    client.force_login(user)
    return client


def test_the_admin_index_lists_every_core_model_in_chinese(root):
    html = root.get(reverse("admin:index")).content.decode()

    for label in ["单位", "用户", "宣传活动", "活动", "变更记录", "活动提醒"]:
        assert f">{label}</a>" in html, label


@pytest.mark.parametrize("model", ["org", "user", "week", "activity", "activitychange", "activitynotice"])
def test_every_changelist_opens(root, model):
    response = root.get(reverse(f"admin:eventweek_{model}_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count > 0 or model in {"activitychange", "activitynotice"}


def test_editing_a_published_activity_in_the_admin_logs_the_change(demo, root):
    activity = Activity.objects.get(week=demo.national, kind="launch")
    url = reverse("admin:eventweek_activity_change", args=[activity.pk])
    data = {
        "week": activity.week_id,
        "kind": activity.kind,
        "title": activity.title,
        "description": activity.description,
        "start_0": "2020-06-29",
        "start_1": "09:30:00",
        "end_0": "2020-06-29",
        "end_1": "10:30:00",
        "platform": activity.platform,
        "place": "",
        "link": "",
        "audience": activity.audience,
        "organizer": activity.organizer_id,
        "status": "scheduled",
    }

    response = root.post(url, data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.sequence == 1
    assert activity.start == datetime.datetime(2020, 6, 29, 9, 30, tzinfo=SHANGHAI)
    change = ActivityChange.objects.get()
    assert [c["field"] for c in change.changes] == ["start", "end"]
    assert change.changed_by.username == "root"
