"""Org admins edit the orgs of their subtree, add child orgs and move them; the tree's paths follow atomically."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from eventweek.models import Org


def org_url(name, code):
    return reverse(f"eventweek:{name}", args=[code])


def paths(*codes):
    return [Org.objects.get(code=code).path for code in codes]


@pytest.fixture
def county(demo):
    """A county under Nanjing, with an institution under it: a three-level subtree to move."""
    county = Org.objects.create(code="320102", name="玄武区机关事务管理局", level="county", parent=demo.org("320100"))
    Org.objects.create(code="320102001", name="玄武区图书馆", level="institution", parent=county)
    return county


def test_editing_an_org_saves_headcount_category_and_contacts_with_one_audit_entry(demo, client_for):
    admin = demo.user("jiangsu_admin")
    org = demo.org("320200")
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "email": "wuxi-new@example.cn",
        "phone": org.phone,
        "headcount": "310",
        "category": "demonstration",
        "sort_order": org.sort_order,
    }
    response = client_for(admin).post(org_url("manage_org", "320200"), data)

    assert (response.status_code, response["Location"]) == (302, org_url("manage_org", "320200"))
    org.refresh_from_db()
    assert (org.email, org.headcount, org.category) == ("wuxi-new@example.cn", 310, "demonstration")
    assert org.get_category_display() == "节约型公共机构示范单位"
    [entry] = AuditEntry.objects.filter(action="org.change")
    assert (entry.actor, entry.object_id, entry.org, entry.before, entry.after) == (
        admin,
        str(org.pk),
        org,
        {"email": "wuxi@jsjn.example.cn", "headcount": 28000, "category": ""},
        {"email": "wuxi-new@example.cn", "headcount": 310, "category": "demonstration"},
    )


def test_the_headcount_help_text_says_own_staff_without_child_orgs(demo, client_for):
    page = client_for(demo.user("jiangsu_admin")).get(org_url("manage_org", "320200")).content.decode()

    assert "本单位自身的干部职工人数，不含下级单位" in page


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
def test_the_org_pages_answer_owner_parent_outsider_sibling_and_non_admin(demo, client_for, username, status):
    client = client_for(demo.user(username))
    for name in ("manage_org", "manage_org_new_child", "manage_org_move"):
        response = client.get(org_url(name, "320200"))
        assert response.status_code == status, name
        if status == 403:
            assert "只有管理员可以管理本单位及下级单位的用户和单位信息。" in response.content.decode()


def test_an_outsider_or_a_non_admin_posting_changes_nothing(demo, client_for):
    data = {"name": "改名", "headcount": "1"}
    assert client_for(demo.user("jiangxi_admin")).post(org_url("manage_org", "320200"), data).status_code == 404
    assert client_for(demo.user("jiangsu_reviewer")).post(org_url("manage_org", "320200"), data).status_code == 403
    move = {"parent": demo.org("320100").pk}
    assert client_for(demo.user("jiangxi_admin")).post(org_url("manage_org_move", "320200"), move).status_code == 404
    assert client_for(demo.user("jiangsu_reviewer")).post(org_url("manage_org_move", "320200"), move).status_code == 403
    assert Org.objects.get(code="320200").name == "无锡市机关事务管理局"
    assert paths("320200") == ["/100000/320000/320200/"]
    assert AuditEntry.objects.count() == 0


def test_adding_a_child_org_puts_it_under_the_parent_with_one_audit_entry(demo, client_for):
    admin = demo.user("jiangsu_admin")
    data = {"code": "320205", "name": "锡山区机关事务管理局", "short_name": "锡山", "level": "county", "category": ""}
    response = client_for(admin).post(org_url("manage_org_new_child", "320200"), data)

    assert (response.status_code, response["Location"]) == (302, org_url("manage_org", "320205"))
    org = Org.objects.get(code="320205")
    assert (org.parent.code, org.path) == ("320200", "/100000/320000/320200/320205/")
    [entry] = AuditEntry.objects.filter(action="org.change")
    assert (entry.actor, entry.object_id, entry.org.code, entry.after["parent"]) == (
        admin,
        str(org.pk),
        "320200",
        "320200",
    )


def test_moving_an_org_rewrites_its_whole_subtrees_paths_with_one_audit_entry(demo, client_for, county):
    admin = demo.user("jiangsu_admin")
    response = client_for(admin).post(org_url("manage_org_move", "320102"), {"parent": demo.org("320200").pk})

    assert (response.status_code, response["Location"]) == (302, org_url("manage_org", "320102"))
    assert paths("320102", "320102001") == ["/100000/320000/320200/320102/", "/100000/320000/320200/320102/320102001/"]
    assert Org.objects.get(code="320102").parent.code == "320200"
    assert [o.code for o in demo.org("320100").descendants(include_self=False)] == []
    [entry] = AuditEntry.objects.filter(action="org.move")
    assert (entry.actor, entry.object_id, entry.before, entry.after) == (
        admin,
        str(county.pk),
        {"parent": "320100", "path": "/100000/320000/320100/320102/"},
        {"parent": "320200", "path": "/100000/320000/320200/320102/"},
    )


def test_moving_an_org_under_its_own_descendant_is_refused_and_nothing_moves(demo, client_for, county):
    client = client_for(demo.user("jiangsu_admin"))
    institution = Org.objects.get(code="320102001")
    response = client.post(org_url("manage_org_move", "320100"), {"parent": institution.pk})

    assert response.status_code == 200
    assert "不能把“南京市机关事务管理局”移到它自己或它的下级单位“玄武区图书馆”之下。" in response.content.decode()
    assert paths("320100", "320102", "320102001") == [
        "/100000/320000/320100/",
        "/100000/320000/320100/320102/",
        "/100000/320000/320100/320102/320102001/",
    ]
    assert AuditEntry.objects.count() == 0


def test_an_admin_cannot_move_their_own_org_or_move_an_org_outside_their_subtree(demo, client_for):
    client = client_for(demo.user("jiangsu_admin"))
    own = client.post(org_url("manage_org_move", "320000"), {"parent": demo.org("320100").pk})
    assert "不能移动本单位；只能移动下级单位。" in own.content.decode()
    outside = client.post(org_url("manage_org_move", "320200"), {"parent": demo.org("360000").pk})
    assert "请选择您管理的单位（本单位或下级单位）。" in outside.content.decode()
    assert paths("320000", "320200") == ["/100000/320000/", "/100000/320000/320200/"]
