"""Thin django-q2 tasks: ids in, one service call."""

from eventweek.services import publishing, reminders


def publish_week_task(week_id: int) -> bool:
    return publishing.publish_week(week_id)


def publish_due_weeks_task() -> int:
    return publishing.publish_due_weeks()


def send_activity_reminders_task() -> int:
    return reminders.send_due_activity_reminders()
