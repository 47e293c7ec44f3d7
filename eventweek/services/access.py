"""Who may see and change which week and activity: every protected row of the core app is fetched here, with the user.

A row that is missing and one the user may not see both raise `NotFound` (one 404 for both).
"""

from django.utils.translation import gettext as _

from eventweek.errors import DomainError, NotFound
from eventweek.models import Activity, Week


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
