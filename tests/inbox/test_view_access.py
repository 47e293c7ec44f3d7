"""Every inbox view with the owner (the receiving org), the same tree (above or below it) and an outsider."""

import pytest
from django.urls import reverse

from inbox.models import InboxEntry
from reporting.models import ReportPicture

# (view, method) → expected status for: receiver's admin, the sender (same tree, below), an outsider province
PACKAGE_VIEWS = {
    "entry": ("get", 200, 404, 404),
    "adopt": ("get", 200, 404, 404),
    "comment": ("post", 302, 404, 404),
    "docx": ("get", 200, 404, 404),
    "xlsx": ("get", 200, 404, 404),
    "picture": ("get", 200, 404, 404),
}


def url_for(name: str, entry: InboxEntry) -> str:
    if name == "picture":
        picture = entry.package.pictures.order_by("pk").first()
        return reverse("inbox:picture", args=[entry.pk, picture.pk, "thumb"])
    return reverse(f"inbox:{name}", args=[entry.pk])


@pytest.mark.parametrize("name", sorted(PACKAGE_VIEWS))
def test_each_view_of_a_national_entry_for_owner_same_tree_and_outsider(demo, forwarded, client_for, name):
    method, owner, same_tree, outsider = PACKAGE_VIEWS[name]
    statuses = []
    for username in ("national_admin", "jiangsu_admin", "jiangxi_admin"):
        client = client_for(demo.user(username))
        statuses.append(getattr(client, method)(url_for(name, forwarded), {"comment": "好"}).status_code)

    assert statuses == [owner, same_tree, outsider]


# For an entry received by Jiangsu: its own admin, the national admin above it (looks, may not act), Jiangxi.
SUMMARY_VIEWS = {
    "entry": ("get", 200, 200, 404),
    "adopt": ("get", 200, 403, 404),
    "comment": ("post", 302, 403, 404),
    "docx": ("get", 200, 200, 404),
    "xlsx": ("get", 404, 404, 404),  # a summary is no table
}


@pytest.mark.parametrize("name", sorted(SUMMARY_VIEWS))
def test_each_view_of_a_province_entry_for_owner_parent_and_outsider(demo, city_summary, client_for, name):
    method, owner, parent, outsider = SUMMARY_VIEWS[name]
    statuses = []
    for username in ("jiangsu_admin", "national_admin", "jiangxi_admin"):
        client = client_for(demo.user(username))
        statuses.append(getattr(client, method)(url_for(name, city_summary), {"comment": "好"}).status_code)

    assert statuses == [owner, parent, outsider]


def test_the_inbox_list_and_the_zip_for_owner_parent_and_outsider(demo, city_summary, client_for):
    def status(username, url):
        return client_for(demo.user(username)).get(url).status_code

    listing = reverse("inbox:inbox") + "?org=320000"
    zipped = reverse("inbox:summaries_zip", args=["2020-jiangsu"]) + "?org=320000"
    assert [status(u, listing) for u in ("jiangsu_admin", "national_admin", "jiangxi_admin", "nanjing_reporter")] == [
        200,
        200,
        404,
        404,
    ]
    assert [status(u, zipped) for u in ("jiangsu_admin", "national_admin", "jiangxi_admin", "nanjing_reporter")] == [
        200,
        200,
        404,
        404,
    ]
    assert status("jiangsu_admin", reverse("inbox:summaries_zip", args=["2020-national"])) == 404


def test_a_picture_left_out_of_the_package_is_not_served_through_the_entry(demo, forwarded, client_for):
    weighing = ReportPicture.objects.get(caption="称重")
    client = client_for(demo.user("national_admin"))

    assert client.get(reverse("inbox:picture", args=[forwarded.pk, weighing.pk, "thumb"])).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(demo, forwarded, client):
    response = client.get(reverse("inbox:entry", args=[forwarded.pk]))

    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")
