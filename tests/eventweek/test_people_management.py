"""Org admins manage the users of their subtree in the app: create, re-role, deactivate, reset passwords."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse

from audit.models import AuditEntry
from eventweek.models import LOCAL_TZ, User

PEOPLE = reverse("eventweek:manage_people")
NEW = reverse("eventweek:manage_person_new")
CHANGE = reverse("eventweek:manage_password_change")


def new_person(client, **fields):
    data = {"username": "nj_new", "full_name": "南京新报送员", "role": "reporter", "phone": "", "email": ""}
    data.update(fields)
    return client.post(NEW, data)


def shown_password(response) -> str:
    return re.search(r'<code class="temporary-password">([^<]+)</code>', response.content.decode()).group(1)


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


def test_an_admin_creates_a_reporter_who_files_for_the_admins_subtree_only(demo, client_for, client):
    admin = demo.user("jiangsu_admin")
    response = new_person(client_for(admin), org=demo.org("320100").pk)

    assert response.status_code == 200
    user = User.objects.get(username="nj_new")
    assert (user.org.code, user.role, user.is_active, user.must_change_password) == ("320100", "reporter", True, True)
    password = shown_password(response)
    assert user.check_password(password) is True
    assert response["Cache-Control"] == "no-store"

    refused = new_person(client_for(admin), username="nc_new", org=demo.org("360100").pk)
    assert "请选择您管理的单位（本单位或下级单位）。" in refused.content.decode()
    assert not User.objects.filter(username="nc_new").exists()

    user.must_change_password = False
    user.save()
    client.force_login(user)
    with time_machine.travel(datetime.datetime(2020, 6, 29, 10, 0, tzinfo=LOCAL_TZ), tick=False):
        own = client.get(reverse("reporting:report_edit", args=["2020-jiangsu", "320100", "2020-06-29"]))
        sibling = client.get(reverse("reporting:report_edit", args=["2020-jiangsu", "320200", "2020-06-29"]))
    assert (own.status_code, sibling.status_code) == (200, 404)


def test_creating_a_user_writes_one_audit_entry_with_the_admin_and_the_user(demo, client_for):
    admin = demo.user("jiangsu_admin")
    new_person(client_for(admin), org=demo.org("320100").pk)

    [entry] = entries("user.create")
    assert (entry.actor, entry.object_repr, entry.org.code) == (admin, "nj_new", "320100")
    assert entry.after == {"username": "nj_new", "name": "南京新报送员", "org": "320100", "role": "reporter"}


def test_a_duplicate_username_is_refused_on_the_form(demo, client_for):
    response = new_person(
        client_for(demo.user("jiangsu_admin")), username="NANJING_reporter", org=demo.org("320100").pk
    )

    assert "用户名“NANJING_reporter”已存在。" in response.content.decode()
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("jiangsu_admin", 200),
        ("national_admin", 200),
        ("jiangxi_admin", 404),
        ("nanjing_reporter", 404),
        ("jiangsu_reviewer", 403),
    ],
)
def test_the_people_pages_answer_owner_parent_outsider_sibling_and_non_admin(demo, client_for, username, status):
    client = client_for(demo.user(username))
    person = demo.user("wuxi_reporter")
    pages = [
        reverse("eventweek:manage_person", args=[person.pk]),
        reverse("eventweek:manage_org", args=["320200"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == status, url
        if status == 403:
            assert "只有管理员可以管理本单位及下级单位的用户和单位信息。" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("manage_person_role", {"role": "reviewer"}),
        ("manage_person_deactivate", {}),
        ("manage_person_reset", {"method": "temporary"}),
    ],
)
def test_every_people_action_is_404_for_an_outsider_and_403_for_a_reviewer_of_the_tree_and_changes_nothing(
    demo, client_for, name, data
):
    person = demo.user("wuxi_reporter")
    url = reverse(f"eventweek:{name}", args=[person.pk])
    assert client_for(demo.user("jiangxi_admin")).post(url, data).status_code == 404
    assert client_for(demo.user("nanjing_reporter")).post(url, data).status_code == 404
    response = client_for(demo.user("jiangsu_reviewer")).post(url, data)
    assert response.status_code == 403
    assert "只有管理员可以管理本单位及下级单位的用户和单位信息。" in response.content.decode()
    person.refresh_from_db()
    assert (person.role, person.is_active, person.password) == ("reporter", True, demo.user("wuxi_reporter").password)
    assert AuditEntry.objects.count() == 0


def test_the_lists_and_new_pages_are_403_for_a_reporter(demo, client_for):
    client = client_for(demo.user("nanjing_reporter"))
    for url in (PEOPLE, NEW, reverse("eventweek:manage_people_import"), reverse("eventweek:manage_orgs")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "只有管理员可以管理本单位及下级单位的用户和单位信息。" in response.content.decode()


def test_the_people_list_shows_the_subtree_only(demo, client_for):
    content = client_for(demo.user("jiangsu_admin")).get(PEOPLE).content.decode()

    assert "nanjing_reporter" in content and "jiangsu_reviewer" in content
    assert "nanchang_reporter" not in content and "national_admin" not in content


def test_setting_a_role_writes_one_audit_entry_with_before_and_after(demo, client_for):
    admin, person = demo.user("jiangsu_admin"), demo.user("wuxi_reporter")
    client_for(admin).post(reverse("eventweek:manage_person_role", args=[person.pk]), {"role": "reviewer"})

    person.refresh_from_db()
    assert person.role == "reviewer"
    [entry] = entries("user.role")
    assert (entry.actor, entry.object_id, entry.before, entry.after) == (
        admin,
        str(person.pk),
        {"role": "reporter"},
        {"role": "reviewer"},
    )


def test_deactivating_a_user_stops_their_sign_in_and_writes_one_audit_entry(demo, client_for):
    admin, person = demo.user("jiangsu_admin"), demo.user("wuxi_reporter")
    client_for(admin).post(reverse("eventweek:manage_person_deactivate", args=[person.pk]))

    person.refresh_from_db()
    assert person.is_active is False
    assert ModelBackend().user_can_authenticate(person) is False
    [entry] = entries("user.deactivate")
    assert (entry.actor, entry.object_id, entry.before, entry.after) == (
        admin,
        str(person.pk),
        {"is_active": True},
        {"is_active": False},
    )


def test_deactivating_or_demoting_the_last_active_admin_of_an_org_is_refused(demo, client_for):
    national = demo.user("national_admin")
    jiangsu_admin = demo.user("jiangsu_admin")
    client = client_for(national)
    expected = "“江苏省局管理员”是“江苏省机关事务管理局”最后一位在用的管理员，不能停用或改为其他角色；请先为该单位添加另一位管理员。"

    response = client.post(reverse("eventweek:manage_person_deactivate", args=[jiangsu_admin.pk]), follow=True)
    assert expected in response.content.decode()
    response = client.post(
        reverse("eventweek:manage_person_role", args=[jiangsu_admin.pk]), {"role": "reporter"}, follow=True
    )
    assert expected in response.content.decode()
    jiangsu_admin.refresh_from_db()
    assert (jiangsu_admin.is_active, jiangsu_admin.role) == (True, "admin")
    assert AuditEntry.objects.count() == 0

    # With a second admin in the org, the first may go.
    User.objects.create(username="js_admin2", org=demo.org("320000"), role="admin")
    client.post(reverse("eventweek:manage_person_deactivate", args=[jiangsu_admin.pk]))
    jiangsu_admin.refresh_from_db()
    assert jiangsu_admin.is_active is False


def test_a_temporary_password_forces_the_change_before_any_other_page(demo, client_for, client):
    admin, person = demo.user("jiangsu_admin"), demo.user("wuxi_reporter")
    response = client_for(admin).post(
        reverse("eventweek:manage_person_reset", args=[person.pk]), {"method": "temporary"}
    )
    password = shown_password(response)
    [entry] = entries("user.password_reset")
    assert (entry.actor, entry.object_id, entry.data) == (admin, str(person.pk), {"method": "temporary_password"})

    client.logout()
    login = client.post(reverse("login"), {"username": "wuxi_reporter", "password": password})
    assert login.status_code == 302
    for url in (reverse("eventweek:dashboard"), reverse("eventweek:manage_weeks")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, CHANGE)
    page = client.get(CHANGE).content.decode()
    assert "您正在使用管理员设置的临时密码，请先设置自己的新密码。" in page

    changed = client.post(
        CHANGE, {"old_password": password, "new_password1": "Lvse-Jieneng-2020", "new_password2": "Lvse-Jieneng-2020"}
    )
    assert (changed.status_code, changed["Location"]) == (302, reverse("eventweek:dashboard"))
    person.refresh_from_db()
    assert person.must_change_password is False
    assert client.get(reverse("eventweek:dashboard")).status_code == 200


def test_a_reset_link_sets_a_password_once_and_writes_one_audit_entry(demo, client_for, client):
    admin, person = demo.user("jiangsu_admin"), demo.user("wuxi_reporter")
    response = client_for(admin).post(reverse("eventweek:manage_person_reset", args=[person.pk]), {"method": "link"})
    link = re.search(r'<code class="reset-link">http://testserver([^<]+)</code>', response.content.decode()).group(1)
    [entry] = entries("user.password_reset")
    assert (entry.actor, entry.object_id, entry.data) == (admin, str(person.pk), {"method": "link"})

    client.logout()
    assert client.get(link).status_code == 200
    done = client.post(link, {"new_password1": "Lvse-Jieneng-2020", "new_password2": "Lvse-Jieneng-2020"})
    assert (done.status_code, done["Location"]) == (302, reverse("login"))
    person.refresh_from_db()
    assert person.check_password("Lvse-Jieneng-2020") is True

    assert client.get(link).status_code == 404


def test_a_reset_link_expires_after_the_configured_hours(demo, client_for, client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 24 * 3600
    admin, person = demo.user("jiangsu_admin"), demo.user("wuxi_reporter")
    start = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LOCAL_TZ)
    with time_machine.travel(start, tick=False):
        response = client_for(admin).post(
            reverse("eventweek:manage_person_reset", args=[person.pk]), {"method": "link"}
        )
    link = re.search(r'<code class="reset-link">http://testserver([^<]+)</code>', response.content.decode()).group(1)
    client.logout()
    with time_machine.travel(start + datetime.timedelta(hours=23), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=25), tick=False):
        assert client.get(link).status_code == 404


def test_the_menu_links_admins_to_people_and_everyone_to_their_password(demo, client_for):
    admin_page = client_for(demo.user("jiangsu_admin")).get(reverse("eventweek:dashboard")).content.decode()
    reporter_page = client_for(demo.user("wuxi_reporter")).get(reverse("eventweek:dashboard")).content.decode()

    assert f'<a href="{PEOPLE}">用户与单位</a>' in admin_page
    assert "用户与单位" not in reporter_page
    assert f'href="{CHANGE}" title="修改密码"' in reporter_page
