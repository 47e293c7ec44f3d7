"""What the public pages (no login) may fetch: weeks by slug, published weeks and activities of a published programme."""

from django.utils.translation import gettext as _

from eventweek.errors import NotFound
from eventweek.models import Activity, Week
from eventweek.services.programme import programme


def get_public_week(slug: str) -> Week:
    """The week by slug with its ancestors and their organizers in one query (labels of inherited activities).

    An unpublished week is found too: its page says it is not yet published.
    """
    weeks = Week.objects.select_related(
        "organizer", "parent__organizer", "parent__parent__organizer", "parent__parent__parent"
    )
    week = weeks.filter(slug=slug).first()
    if week is None:
        raise NotFound(_("没有找到该活动周。"))
    return week


def get_published_week(slug: str) -> Week:
    """The week by slug once it is published; NotFound before (it has no feed, poster or changelog yet)."""
    week = get_public_week(slug)
    if not week.is_published:
        raise NotFound(_("该活动周尚未发布。"))
    return week


def get_public_activity(week: Week, activity_id: int) -> Activity:
    """A published activity of the week's programme (inherited included), else NotFound."""
    for activity in programme(week, public=True):
        if activity.pk == activity_id:
            return activity
    raise NotFound(_("没有找到该活动。"))


def published_weeks():
    """Every published week, newest first (the home page)."""
    return Week.objects.filter(published_at__isnull=False).select_related("organizer").order_by("-start_date", "slug")
