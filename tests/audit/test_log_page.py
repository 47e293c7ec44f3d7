"""The log page: an org's admins read their subtree's entries (never a sibling's or a parent's), filtered and paged;
reporters read none; nothing in the app changes or deletes an entry."""

import datetime
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AppendOnlyError, AuditEntry
from audit.services.log import log_action
from eventweek.models import LOCAL_TZ, Activity, Org, Week

URL = "/audit/"


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2020, 7, day, hour, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def entries(demo):
    """One entry for the national bureau, Jiangsu, Nanjing (a Jiangsu city) and Jiangxi, on different days."""
    written = {}
    for code, username, action, day in (
        ("100000", "national_admin", "week.publish", 1),
        ("320000", "jiangsu_admin", "quiz.settings", 2),
        ("320100", "jiangsu_admin", "org.change", 3),
        ("360000", "jiangxi_admin", "quiz.draw", 4),
    ):
        org = demo.org(code)
        with time_machine.travel(at(day), tick=False):
            written[code] = log_action(demo.user(username), action, org, before={"name": "旧"}, after={"name": "新"})
    return written


def shown(response) -> list[str]:
    """The org column of each row, top to bottom."""
    page = response.content.decode()
    rows = re.findall(r'<tr class="audit-entry">(.*?)</tr>', page, re.S)
    return [re.findall(r"<td>(.*?)</td>", row, re.S)[2] for row in rows]


def test_a_province_admin_sees_their_org_and_its_cities_never_the_parent_or_a_sibling(demo, entries, client_for):
    response = client_for(demo.user("jiangsu_admin")).get(URL)

    assert response.status_code == 200
    assert shown(response) == ["南京", "江苏"]


def test_the_national_admin_sees_the_whole_tree(demo, entries, client_for):
    assert shown(client_for(demo.user("national_admin")).get(URL)) == ["江西", "南京", "江苏", "国管局节能司"]


def test_an_outsider_province_admin_sees_only_their_own(demo, entries, client_for):
    assert shown(client_for(demo.user("jiangxi_admin")).get(URL)) == ["江西"]


@pytest.mark.parametrize("username", ["nanjing_reporter", "jiangsu_reviewer"])
def test_reporters_and_reviewers_are_refused_in_chinese(demo, entries, client_for, username):
    response = client_for(demo.user(username)).get(URL)

    assert response.status_code == 403
    assert "只有单位管理员可以查看操作日志。" in response.content.decode()


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/audit/")


def test_an_entry_shows_who_what_which_object_and_the_change(demo, entries, client_for):
    page = client_for(demo.user("jiangsu_admin")).get(URL).content.decode()

    row = re.findall(r'<tr class="audit-entry">(.*?)</tr>', page, re.S)[0]
    cells = [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells == [
        "2020-07-03 10:00:00",
        "江苏省局管理员",
        "南京",
        "修改单位信息",
        "单位 · 南京市机关事务管理局",
        "<div>名称：旧 → 新</div>",
    ]


def test_the_log_filters_by_action(demo, entries, client_for):
    response = client_for(demo.user("national_admin")).get(URL, {"action": "org.change"})

    assert shown(response) == ["南京"]


def test_the_log_filters_by_actor_name_or_username(demo, entries, client_for):
    client = client_for(demo.user("national_admin"))

    assert shown(client.get(URL, {"actor": "江苏省局"})) == ["南京", "江苏"]
    assert shown(client.get(URL, {"actor": "jiangxi_admin"})) == ["江西"]


def test_the_log_filters_by_local_dates_both_inclusive(demo, entries, client_for):
    client = client_for(demo.user("national_admin"))

    assert shown(client.get(URL, {"date_from": "2020-07-02", "date_to": "2020-07-03"})) == ["南京", "江苏"]
    assert shown(client.get(URL, {"date_to": "2020-07-01"})) == ["国管局节能司"]


def test_a_date_range_ending_before_it_starts_is_named(demo, entries, client_for):
    response = client_for(demo.user("national_admin")).get(URL, {"date_from": "2020-07-03", "date_to": "2020-07-02"})

    assert response.status_code == 400
    assert "<strong>结束日期</strong>：结束日期不能早于开始日期。" in response.content.decode()


def test_the_log_filters_by_kind_of_object(demo, entries, client_for):
    activity = Activity.objects.filter(week=demo.jiangsu).first()
    log_action(demo.user("jiangsu_admin"), "activity.cancel", activity, org=demo.org("320000"))
    client = client_for(demo.user("jiangsu_admin"))
    kind = ContentType.objects.get_for_model(Activity).pk

    page = client.get(URL).content.decode()
    response = client.get(URL, {"kind": kind})

    assert f'<option value="{kind}">活动</option>' in page
    assert f'<option value="{ContentType.objects.get_for_model(Org).pk}">单位</option>' in page
    assert f'value="{ContentType.objects.get_for_model(Week).pk}"' not in page  # only kinds the admin's log holds
    assert shown(response) == ["江苏"]
    assert "取消活动" in response.content.decode()


def test_the_log_is_paged_by_fifty_keeping_the_filter(demo, client_for):
    for number in range(51):
        with time_machine.travel(at(1) + datetime.timedelta(minutes=number), tick=False):
            log_action(demo.user("jiangsu_admin"), "org.change", demo.org("320100"), after={"n": number})
    client = client_for(demo.user("jiangsu_admin"))

    first = client.get(URL, {"action": "org.change"})
    second = client.get(URL, {"action": "org.change", "page": 2})

    assert len(shown(first)) == 50
    assert "第 1 / 2 页" in first.content.decode()
    assert '<a href="?action=org.change&amp;page=2">下一页</a>' in first.content.decode()
    assert len(shown(second)) == 1
    assert "<div>n：0</div>" in second.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_the_log_page_refuses_every_write_and_the_entry_stays(demo, entries, client_for, method):
    entry = entries["320000"]
    before = AuditEntry.objects.values().get(pk=entry.pk)
    client = client_for(demo.user("jiangsu_admin"))

    response = getattr(client, method)(URL, {"id": entry.pk, "action": "quiz.draw"})

    assert response.status_code == 405
    assert AuditEntry.objects.values().get(pk=entry.pk) == before
    assert AuditEntry.objects.count() == 4


def test_no_url_of_the_app_changes_or_deletes_an_entry():
    from audit import urls

    assert [(str(p.pattern), p.name) for p in urls.urlpatterns] == [("", "log")]
    assert reverse("audit:log") == URL


def test_an_entry_cannot_be_saved_again_or_deleted(demo, entries):
    entry = entries["320000"]
    entry.action = "quiz.draw"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="quiz.draw")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "quiz.settings"


def test_the_admin_shows_entries_read_only_even_to_a_superuser(demo, entries, client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.cn", "x")
    client.force_login(root)
    entry = entries["320000"]
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])

    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(change_url, {"action": "quiz.draw"}).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "quiz.settings"


def test_an_entry_follows_its_org_when_the_org_moves(demo, entries, client_for):
    nanjing = demo.org("320100")
    nanjing.parent = demo.org("360000")
    nanjing.save()

    assert shown(client_for(demo.user("jiangxi_admin")).get(URL)) == ["江西", "南京"]
