"""Thin django-q2 tasks: ids in, one service call."""

from eventweek import services


def publish_week_task(week_id: int) -> bool:
    return services.publish_week(week_id)


def publish_due_weeks_task() -> int:
    return services.publish_due_weeks()


def send_activity_reminders_task() -> int:
    return services.send_due_activity_reminders()
