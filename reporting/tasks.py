"""Thin django-q2 tasks: ids or nothing in, one service call."""

from reporting import services


def send_report_reminders_task() -> int:
    """Every minute: remind the orgs that have not filed once the reminder time has come."""
    return services.send_due_report_reminders()


def send_report_reminder_task(notice_id: int) -> bool:
    return services.send_report_reminder(notice_id)


def sweep_missing_task() -> int:
    """Every minute: record who is missing once a day's cutoff has passed."""
    return len(services.sweep_missing())
