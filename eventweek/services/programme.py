"""Reading a week's programme (its own activities plus those of its published ancestors) and its changelog."""

from eventweek.models import Activity, ActivityChange, Week


def programme(week: Week, *, public: bool = True) -> list[Activity]:
    """The week's activities plus those of its published ancestors, in time order.

    With public=True, only what has been published: nothing at all if the week itself is not.
    With public=False (the organizer's draft), all of the week's own activities, but still only the published
    activities of its ancestors: a parent's draft is not the child's business.
    """
    chain = week.ancestry()
    if public:
        if not week.is_published:
            return []
        chain = [w for w in chain if w.is_published]
    else:
        chain = [w for w in chain if w.pk == week.pk or w.is_published]
    weeks_by_id = {w.pk: w for w in chain}
    activities = list(
        Activity.objects.filter(week_id__in=weeks_by_id).select_related("organizer").order_by("start", "pk")
    )
    for activity in activities:
        activity.week = weeks_by_id[activity.week_id]
        activity.inherited = activity.week_id != week.pk
    return activities


def changelog(week: Week) -> list[ActivityChange]:
    """Public changes of this week and its ancestors, newest first."""
    week_ids = [w.pk for w in week.ancestry() if w.is_published]
    return list(
        ActivityChange.objects.filter(week_id__in=week_ids)
        .select_related("activity", "week", "changed_by")
        .order_by("-changed_at", "-pk")
    )
