"""The org tree decides who manages which week: an org sees itself and its descendants, never a sibling or parent."""

import pytest

from eventweek.errors import DomainError, NotFound
from eventweek.models import Org, User
from eventweek.services.access import can_change_week, get_week_for_user, require_admin, weeks_for_user
from eventweek.services.reminders import notice_recipients


def slugs(user):
    return sorted(weeks_for_user(user).values_list("slug", flat=True))


def test_weeks_for_user_follow_the_org_tree(demo):
    assert slugs(demo.user("national_admin")) == ["2020-jiangsu", "2020-national"]
    assert slugs(demo.user("jiangsu_admin")) == ["2020-jiangsu"]
    assert slugs(demo.user("jiangsu_reviewer")) == ["2020-jiangsu"]
    assert slugs(demo.user("jiangxi_admin")) == []
    assert slugs(demo.user("nanjing_reporter")) == []


def test_a_superuser_sees_every_week_and_a_user_without_org_none(demo):
    root = User.objects.create(username="root", is_superuser=True)
    loose = User.objects.create(username="loose", role=User.Role.ADMIN)

    assert slugs(root) == ["2020-jiangsu", "2020-national"]
    assert slugs(loose) == []
    assert list(loose.visible_orgs()) == []


def test_get_week_for_user_refuses_an_outsider_as_not_found(demo):
    with pytest.raises(NotFound):
        get_week_for_user(demo.user("jiangxi_admin"), "2020-jiangsu")
    with pytest.raises(NotFound):
        get_week_for_user(demo.user("jiangsu_admin"), "2020-national")

    assert get_week_for_user(demo.user("national_admin"), "2020-jiangsu") == demo.jiangsu


def test_a_province_sees_its_cities_but_not_the_other_province_or_the_bureau(demo):
    jiangsu_admin = demo.user("jiangsu_admin")

    assert jiangsu_admin.can_see_org(demo.org("320412001"))
    assert not jiangsu_admin.can_see_org(demo.org("360100"))
    assert not jiangsu_admin.can_see_org(demo.org("100000"))
    assert jiangsu_admin.visible_orgs().count() == 1 + 13 + 2 + 2
    assert not jiangsu_admin.visible_orgs().filter(code__startswith="36").exists()


def test_only_admins_may_change_weeks(demo):
    assert can_change_week(demo.user("jiangsu_admin")) is True
    assert can_change_week(demo.user("jiangsu_reviewer")) is False
    assert can_change_week(demo.user("nanjing_reporter")) is False
    with pytest.raises(DomainError, match="只有管理员可以修改活动周。"):
        require_admin(demo.user("jiangsu_reviewer"))


def test_reminders_reach_the_orgs_of_every_week_showing_the_activity(demo):
    national_only = demo.national.activities.get(kind="launch")
    jiangsu_only = demo.jiangsu.activities.get(title="能源紧缺体验日")

    national_codes = [org.code for org in notice_recipients(national_only)]
    jiangsu_codes = [org.code for org in notice_recipients(jiangsu_only)]

    cities = list(Org.objects.filter(level="city", parent__code="320000").values_list("code", flat=True))
    assert national_codes == ["100000", "100101", "100102", "320000", *cities, "360000"]
    assert jiangsu_codes == ["320000", *cities]
