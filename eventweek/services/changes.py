"""Changes to activities: validated saves, the public changelog rows and the SEQUENCE of each version."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Activity, ActivityChange, Week

CANCEL_REASON_MAX = Activity._meta.get_field("cancel_reason").max_length


def _field_display(activity: Activity, field: str) -> str:
    """A field's value as the changelog shows it: local wall-clock times, all-day activities as dates."""
    value = getattr(activity, field)
    if field in {"start", "end"}:
        if not value:
            return ""
        if activity.all_day:
            day = timezone.localtime(value, LOCAL_TZ).date()
            if field == "end":
                day -= datetime.timedelta(days=1)  # the stored end is 00:00 after the last day
            return day.isoformat()
        return timezone.localtime(value, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    if field == "status":
        return str(activity.get_status_display())
    if field == "all_day":
        return _("是") if value else _("否")
    return str(value or "")


def _diff(before: Activity | None, after: Activity) -> list[dict]:
    changes = []
    for field in Activity.TRACKED_FIELDS:
        old = _field_display(before, field) if before else ""
        new = _field_display(after, field)
        if before is None or getattr(before, field) != getattr(after, field):
            if before is not None or new:
                label = str(Activity._meta.get_field(field).verbose_name)
                changes.append({"field": field, "label": label, "old": old, "new": new})
    return changes


@transaction.atomic
def save_activity(activity: Activity, *, user=None, reason: str = "") -> Activity:
    """Validate and save an activity; once its week is published, log the change and raise its SEQUENCE."""
    activity.full_clean()
    before = None
    if activity.pk:
        before = Activity.objects.select_for_update().get(pk=activity.pk)
    week = Week.objects.select_related("organizer").get(pk=activity.week_id)
    changes = _diff(before, activity)
    if before is not None and not changes:
        activity.sequence = before.sequence
        activity.save()
        return activity
    if week.is_published and before is not None:
        # From the locked row, not the caller's copy: two concurrent edits give two versions.
        activity.sequence = before.sequence + 1
    activity.save()
    if week.is_published:
        if before is None:
            action = ActivityChange.Action.ADDED
        elif before.status != activity.status:
            action = ActivityChange.Action.CANCELLED if activity.is_cancelled else ActivityChange.Action.RESTORED
        else:
            action = ActivityChange.Action.CHANGED
        ActivityChange.objects.create(
            week=week,
            activity=activity,
            action=action,
            sequence=activity.sequence,
            changes=changes,
            changed_by=user,
            reason=reason,
        )
    if before is not None:
        _log_change(user, week, before, activity, changes, reason)
    return activity


def _log_change(user, week: Week, before: Activity, activity: Activity, changes: list[dict], reason: str) -> None:
    """One audit entry per saved change: the changed fields as the changelog shows them, before and after."""
    if before.status != activity.status:
        action = actions.ACTIVITY_CANCEL if activity.is_cancelled else actions.ACTIVITY_RESTORE
    else:
        action = actions.ACTIVITY_CHANGE
    log_action(
        user,
        action,
        activity,
        org=week.organizer,
        before={change["field"]: change["old"] for change in changes},
        after={change["field"]: change["new"] for change in changes} | ({"reason": reason} if reason else {}),
    )


def cancel_activity(activity: Activity, *, reason: str, user=None) -> Activity:
    """Cancel an activity for a stated reason; it stays in the feeds with STATUS:CANCELLED and the reason."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因。")})
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError({"reason": _("取消原因不能超过 %(n)s 个字。") % {"n": CANCEL_REASON_MAX}})
    if activity.is_cancelled:
        raise DomainError(_("该活动已经取消。"))
    activity.status = Activity.Status.CANCELLED
    activity.cancel_reason = reason
    return save_activity(activity, user=user, reason=reason)


def restore_activity(activity: Activity, *, user=None) -> Activity:
    """Undo a cancellation."""
    if not activity.is_cancelled:
        raise DomainError(_("该活动没有被取消。"))
    activity.status = Activity.Status.SCHEDULED
    activity.cancel_reason = ""
    return save_activity(activity, user=user)


def original_start(activity: Activity) -> datetime.datetime | datetime.date | None:
    """When the activity was first published to start, if a later change moved it; None if it never moved."""
    if not activity.sequence:
        return None  # never changed since publication: no history to read
    moves = [
        item
        for change in activity.changes.filter(action=ActivityChange.Action.CHANGED).order_by("changed_at", "pk")
        for item in change.changes
        if item["field"] == "start" and item["old"]
    ]
    if not moves:
        return None
    first = moves[0]["old"]
    if len(first) == len("2020-06-30"):
        original = datetime.date.fromisoformat(first)
        return None if activity.all_day and original == activity.first_day else original
    original = datetime.datetime.strptime(first, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ)
    return None if original == activity.start else original
