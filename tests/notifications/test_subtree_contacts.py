"""An org admin keeps the unit contacts of every org of its subtree: adds and edits them for a city or a county
below it, never for a parent or a sibling; a reporter may not."""

import pytest

from eventweek.models import User
from notifications.models import Contact


@pytest.fixture
def nanjing_admin(demo):
    return User.objects.create_user("nanjing_admin", password="eventweek2020", org=demo.org("320100"), role="admin")


def test_a_province_admin_adds_a_contact_for_a_city_below_it(demo, client_for):
    client = client_for(demo.user("jiangsu_admin"))

    response = client.post(
        "/notifications/contacts/new/?org=320100", {"name": "张三", "mobile": "13900000001", "receives_reminders": "on"}
    )

    assert (response.status_code, response["Location"]) == (302, "/notifications/contacts/")
    assert list(Contact.objects.values_list("org__code", "name", "mobile", "receives_reminders")) == [
        ("320100", "张三", "13900000001", True)
    ]


def test_a_province_admin_adds_a_contact_for_a_county_two_levels_below(demo, client_for):
    response = client_for(demo.user("jiangsu_admin")).post(
        "/notifications/contacts/new/?org=320412", {"name": "李四", "mobile": "13900000002"}
    )

    assert response.status_code == 302
    assert list(Contact.objects.values_list("org__code", "mobile")) == [("320412", "13900000002")]


def test_the_form_names_the_org_the_contact_is_added_to(demo, client_for):
    response = client_for(demo.user("jiangsu_admin")).get("/notifications/contacts/new/?org=320100")

    assert response.status_code == 200
    assert response.context["org"].code == "320100"


@pytest.mark.parametrize(
    ("username", "code", "status"),
    [
        ("nanjing_admin", "320000", 404),  # a parent
        ("jiangxi_admin", "320100", 404),  # another tree
        ("jiangsu_admin", "360100", 404),  # a city of a sibling province
        ("jiangsu_admin", "999999", 404),  # no such org
        ("nanjing_reporter", "320100", 403),  # its own org, but not an admin
    ],
)
def test_nobody_adds_a_contact_outside_their_subtree_or_without_being_an_admin(
    demo, nanjing_admin, client_for, username, code, status
):
    user = nanjing_admin if username == "nanjing_admin" else demo.user(username)
    response = client_for(user).post(
        f"/notifications/contacts/new/?org={code}", {"name": "王五", "mobile": "13900000003"}
    )

    assert response.status_code == status
    assert Contact.objects.count() == 0


def test_a_province_admin_edits_a_citys_contact_and_an_outsider_gets_404(demo, client_for):
    contact = Contact.objects.create(org=demo.org("320100"), name="张三", mobile="13900000001")

    outsider = client_for(demo.user("jiangxi_admin")).post(
        f"/notifications/contacts/{contact.pk}/", {"name": "改名", "mobile": "13900000009"}
    )
    owner = client_for(demo.user("jiangsu_admin")).post(
        f"/notifications/contacts/{contact.pk}/", {"name": "张三丰", "mobile": "13900000005"}
    )

    assert outsider.status_code == 404
    assert (owner.status_code, owner["Location"]) == (302, "/notifications/contacts/")
    contact.refresh_from_db()
    assert (contact.org.code, contact.name, contact.mobile) == ("320100", "张三丰", "13900000005")


def test_the_contacts_page_lists_the_subtree_by_org_and_only_it(demo, client_for):
    Contact.objects.create(org=demo.org("320100"), name="张三", mobile="13900000001")
    Contact.objects.create(org=demo.org("360100"), name="赵六", mobile="13900000006")

    page = client_for(demo.user("jiangsu_admin")).get("/notifications/contacts/").content.decode()

    assert "张三" in page
    assert "赵六" not in page
    assert 'href="/notifications/contacts/new/?org=320412"' in page
    assert 'href="/notifications/contacts/new/?org=360100"' not in page
    assert 'href="/notifications/contacts/new/?org=100000"' not in page


def test_a_reporter_gets_403_on_the_contacts_page(demo, client_for):
    assert client_for(demo.user("nanjing_reporter")).get("/notifications/contacts/").status_code == 403
