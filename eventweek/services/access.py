"""Who may see and change which week and activity: every protected row of the core app is fetched here, with the user.

A row that is missing and one the user may not see both raise `NotFound` (one 404 for both).
"""

from django.utils.translation import gettext as _

from eventweek.errors import DomainError, Forbidden, NotFound
from eventweek.models import Activity, Org, User, Week


def weeks_for_user(user):
    """Weeks organized by the user's org or its descendants."""
    if user.is_superuser:
        return Week.objects.all().select_related("organizer")
    if not user.org_id:
        return Week.objects.none()
    return Week.objects.filter(organizer__path__startswith=user.org.path).select_related("organizer")


def get_week_for_user(user, slug: str) -> Week:
    """A week the user may manage; NotFound for outsiders and for a slug that does not exist."""
    weeks = weeks_for_user(user).select_related("parent__organizer", "parent__parent__organizer")
    week = weeks.filter(slug=slug).first()
    if week is None:
        raise NotFound(_("没有找到该活动周。"))
    return week


def get_activity_for_user(user, slug: str, activity_id: int) -> Activity:
    """One of the own activities (not inherited ones) of a week the user may manage, its `week` set; else NotFound."""
    week = get_week_for_user(user, slug)
    # Inherited activities live in the parent week: never reachable (nor editable) from here.
    activity = Activity.objects.select_related("organizer").filter(week=week, pk=activity_id).first()
    if activity is None:
        raise NotFound(_("没有找到该活动。"))
    activity.week = week
    return activity


def can_change_week(user) -> bool:
    """Admins (and superusers) change weeks; reporters and reviewers of the tree only read them."""
    return user.is_org_admin


def require_admin(user) -> None:
    """Refuse (DomainError) a user who may read weeks but not change them."""
    if not can_change_week(user):
        raise DomainError(_("只有管理员可以修改活动周。"))


# -- people and orgs (/manage/people/, /manage/orgs/) -------------------------------------------------------------

ADMIN_ONLY = _("只有管理员可以管理本单位及下级单位的用户和单位信息。")


def require_org_admin(user) -> None:
    """Refuse (Forbidden, a Chinese 403) a user of the tree who is not an admin."""
    if not user.is_org_admin:
        raise Forbidden(ADMIN_ONLY)


def managed_orgs(user):
    """The orgs an admin manages: their own org and its descendants, in tree order; Forbidden for non-admins."""
    require_org_admin(user)
    return user.visible_orgs().order_by("path")


def get_org_for_admin(user, code: str) -> Org:
    """An org of the admin's subtree; NotFound when missing or outside it, Forbidden for a non-admin who sees it."""
    org = Org.objects.filter(code=code).select_related("parent").first()
    if org is None or not user.can_see_org(org):
        raise NotFound(_("没有找到该单位。"))
    require_org_admin(user)
    return org


def managed_users(user):
    """Users of the orgs an admin manages (active or not), by org and username; Forbidden for non-admins."""
    require_org_admin(user)
    people = User.objects.select_related("org").order_by("org__path", "username")
    if user.is_superuser:
        return people
    return people.filter(org__path__startswith=user.org.path) if user.org_id else people.none()


def get_person_for_admin(user, pk: int) -> User:
    """A user of the admin's subtree; NotFound when missing or outside it, Forbidden for a non-admin who sees it."""
    person = User.objects.select_related("org").filter(pk=pk).first()
    if person is None or not (user.is_superuser or (person.org_id and user.can_see_org(person.org))):
        raise NotFound(_("没有找到该用户。"))
    require_org_admin(user)
    return person
