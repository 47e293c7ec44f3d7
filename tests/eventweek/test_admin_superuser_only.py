"""The Django admin is for superusers only: its classes are not scoped to the org tree, so an org admin (is_staff,
even with a model permission) gets no admin page."""

from django.contrib.auth.models import Permission

NOT_SUPERUSER = "管理后台只对超级管理员开放。单位管理员请在工作台中管理本单位的活动周和用户。"


def _org_admin_with_org_permission(demo):
    user = demo.user("jiangsu_admin")
    user.user_permissions.add(
        Permission.objects.get(codename="view_org"), Permission.objects.get(codename="change_org")
    )
    assert (user.is_staff, user.is_superuser, user.has_perm("eventweek.view_org")) == (True, False, True)
    return user


def test_an_org_admin_with_a_model_permission_gets_no_admin_page(demo, client_for):
    client = client_for(_org_admin_with_org_permission(demo))

    index = client.get("/admin/")
    orgs = client.get("/admin/eventweek/org/")
    org = client.get(f"/admin/eventweek/org/{demo.org('360000').pk}/change/")

    assert [(r.status_code, r["Location"]) for r in (index, orgs, org)] == [
        (302, "/admin/login/?next=/admin/"),
        (302, "/admin/login/?next=/admin/eventweek/org/"),
        (302, f"/admin/login/?next=/admin/eventweek/org/{demo.org('360000').pk}/change/"),
    ]


def test_the_admin_login_refuses_an_org_admin_in_chinese(demo, client):
    _org_admin_with_org_permission(demo)

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "jiangsu_admin", "password": "eventweek2020", "next": "/admin/"},
        REMOTE_ADDR="192.0.2.10",
    )

    assert response.status_code == 200
    assert NOT_SUPERUSER in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_superuser_gets_the_admin(demo, client_for, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.cn", "a-long-password-1")
    client = client_for(root)

    index = client.get("/admin/")
    orgs = client.get("/admin/eventweek/org/")

    assert (index.status_code, orgs.status_code) == (200, 200)
    assert "公共机构宣传活动管理后台" in index.content.decode()
