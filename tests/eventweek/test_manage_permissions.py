"""Who may see and change a week from /manage/: owner, same tree (ancestor admin, reviewer), outsider."""

import pytest
from django.urls import reverse

from eventweek.models import Activity, ActivityChange, Week


def own_activity(demo):
    return Activity.objects.get(week=demo.jiangsu, title="能源紧缺体验日")


def national_launch(demo):
    return Activity.objects.get(week=demo.national, kind=Activity.Kind.LAUNCH)


def week_urls(demo):
    slug, pk = demo.jiangsu.slug, own_activity(demo).pk
    return [
        reverse("eventweek:manage_week", args=[slug]),
        reverse("eventweek:manage_week_edit", args=[slug]),
        reverse("eventweek:manage_activity_new", args=[slug]),
        reverse("eventweek:manage_activity_edit", args=[slug, pk]),
    ]


def test_manage_pages_send_anonymous_visitors_to_the_login_page(demo, client):
    for url in [reverse("eventweek:manage_weeks"), *week_urls(demo)]:
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("username", ["jiangsu_admin", "national_admin"])
def test_the_owner_and_an_ancestor_admin_open_every_page_of_the_jiangsu_week(demo, client_for, username):
    client = client_for(demo.user(username))

    for url in week_urls(demo):
        response = client.get(url)

        assert response.status_code == 200, url
        assert "2020年江苏省公共机构节能宣传周" in response.content.decode()


def test_the_week_list_shows_each_user_the_weeks_of_their_subtree(demo, client_for):
    def titles(username):
        response = client_for(demo.user(username)).get(reverse("eventweek:manage_weeks"))
        return [week.title for week in response.context["weeks"]]

    assert titles("national_admin") == ["2020年全国公共机构节能宣传周", "2020年江苏省公共机构节能宣传周"]
    assert titles("jiangsu_admin") == ["2020年江苏省公共机构节能宣传周"]
    assert titles("jiangsu_reviewer") == ["2020年江苏省公共机构节能宣传周"]
    assert titles("jiangxi_admin") == []
    assert titles("nanjing_reporter") == []


@pytest.mark.parametrize("username", ["jiangxi_admin", "nanjing_reporter"])
def test_an_outsider_gets_404_on_every_page_of_the_jiangsu_week(demo, client_for, username):
    client = client_for(demo.user(username))

    for url in week_urls(demo):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "篡改"}).status_code == 404, url


def test_an_outsider_cannot_cancel_restore_or_publish_and_nothing_changes(demo, client_for):
    activity = own_activity(demo)
    Week.objects.filter(pk=demo.jiangsu.pk).update(published_at=None)
    client = client_for(demo.user("jiangxi_admin"))
    slug = demo.jiangsu.slug

    assert (
        client.post(
            reverse("eventweek:manage_activity_cancel", args=[slug, activity.pk]), {"reason": "场地维修"}
        ).status_code
        == 404
    )
    assert client.post(reverse("eventweek:manage_activity_restore", args=[slug, activity.pk])).status_code == 404
    assert client.post(reverse("eventweek:manage_week_publish", args=[slug])).status_code == 404

    activity.refresh_from_db()
    assert activity.status == Activity.Status.SCHEDULED
    assert Week.objects.get(pk=demo.jiangsu.pk).published_at is None


def test_a_reviewer_of_the_organizer_may_read_the_week_but_not_change_it(demo, client_for):
    activity = own_activity(demo)
    client = client_for(demo.user("jiangsu_reviewer"))
    slug = demo.jiangsu.slug

    page = client.get(reverse("eventweek:manage_week", args=[slug]))
    assert page.status_code == 200
    assert page.context["can_change"] is False
    assert "只有管理员可以修改" in page.content.decode()
    assert reverse("eventweek:manage_week_edit", args=[slug]) not in page.content.decode()

    for url in [
        reverse("eventweek:manage_week_new"),
        reverse("eventweek:manage_week_edit", args=[slug]),
        reverse("eventweek:manage_activity_new", args=[slug]),
        reverse("eventweek:manage_activity_edit", args=[slug, activity.pk]),
        reverse("eventweek:manage_activity_cancel", args=[slug, activity.pk]),
        reverse("eventweek:manage_week_publish", args=[slug]),
    ]:
        response = client.post(url, {"title": "审核员改的"})
        assert response.status_code == 403, url
        assert "只有管理员可以修改活动周；您可以查看，但不能修改。" in response.content.decode()

    activity.refresh_from_db()
    assert (activity.title, activity.status, activity.sequence) == ("能源紧缺体验日", Activity.Status.SCHEDULED, 0)
    assert ActivityChange.objects.count() == 0


def test_an_inherited_activity_cannot_be_edited_or_cancelled_from_the_child_week(demo, client_for):
    launch = national_launch(demo)
    client = client_for(demo.user("jiangsu_admin"))
    slug = demo.jiangsu.slug

    assert client.get(reverse("eventweek:manage_activity_edit", args=[slug, launch.pk])).status_code == 404
    assert (
        client.post(
            reverse("eventweek:manage_activity_cancel", args=[slug, launch.pk]), {"reason": "场地维修"}
        ).status_code
        == 404
    )
    # Nor through the national week, which Jiangsu cannot manage.
    assert (
        client.post(
            reverse("eventweek:manage_activity_cancel", args=["2020-national", launch.pk]), {"reason": "场地维修"}
        ).status_code
        == 404
    )

    launch.refresh_from_db()
    assert launch.status == Activity.Status.SCHEDULED


def test_the_national_admin_may_cancel_a_jiangsu_activity_and_is_recorded_as_the_author(demo, client_for):
    activity = own_activity(demo)
    client = client_for(demo.user("national_admin"))

    response = client.post(
        reverse("eventweek:manage_activity_cancel", args=[demo.jiangsu.slug, activity.pk]), {"reason": "场地维修"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("eventweek:manage_week", args=[demo.jiangsu.slug])
    change = ActivityChange.objects.get()
    assert (change.activity, change.action, change.changed_by) == (activity, "cancelled", demo.user("national_admin"))


def test_the_draft_programme_shows_own_activities_and_inherited_ones_read_only(demo, client_for):
    client = client_for(demo.user("jiangsu_admin"))

    response = client.get(reverse("eventweek:manage_week", args=[demo.jiangsu.slug]))

    by_day = {day.isoformat(): [(a.title, a.inherited) for a in items] for day, items in response.context["days"]}
    assert by_day["2020-06-29"] == [
        ("节约型机关创建主题宣传", False),
        ("节能公益短信宣传", False),
        ("公共机构节能宣传周“云启动”仪式", True),
    ]
    assert by_day["2020-07-02"] == [("能源紧缺体验日", False), ("“云直播”：四川省机关事务管理局经验分享", True)]
    html = response.content.decode()
    launch = national_launch(demo)
    assert reverse("eventweek:manage_activity_edit", args=[demo.jiangsu.slug, launch.pk]) not in html
    assert reverse("eventweek:manage_activity_edit", args=[demo.jiangsu.slug, own_activity(demo).pk]) in html
    assert html.count("上级活动 · 只读") == 6


def test_a_draft_parent_week_is_not_shown_inside_the_child_draft(demo, client_for):
    Week.objects.filter(pk=demo.national.pk).update(published_at=None)
    client = client_for(demo.user("jiangsu_admin"))

    response = client.get(reverse("eventweek:manage_week", args=[demo.jiangsu.slug]))

    titles = sorted(a.title for _day, items in response.context["days"] for a in items)
    assert titles == ["能源紧缺体验日", "节约型机关创建主题宣传", "节能公益短信宣传"]


def test_the_week_page_runs_a_constant_number_of_queries(demo, client_for, django_assert_num_queries):
    client = client_for(demo.user("jiangsu_admin"))
    url = reverse("eventweek:manage_week", args=[demo.jiangsu.slug])
    client.get(url)  # warm the session and the user

    # session, user, week (+ org + parents), programme, special days, report orgs, schedule, changelog
    with django_assert_num_queries(9):
        client.get(url)
    for index in range(10):
        Activity.objects.create(
            week=demo.jiangsu,
            title=f"加测活动{index}",
            start=demo.jiangsu.starts_at,
            end=demo.jiangsu.starts_at,
            organizer=demo.org("320100"),
        )
    with django_assert_num_queries(9):
        client.get(url)
