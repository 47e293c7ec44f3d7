"""Thin django-q2 tasks: ids or nothing in, one service call."""

from reporting.services import reminders


def send_report_reminders_task() -> int:
    """Every minute: remind the orgs that have not filed once the reminder time has come."""
    return reminders.send_due_report_reminders()


def sweep_missing_task() -> int:
    """Every minute: record who is missing once a day's cutoff has passed."""
    return len(reminders.sweep_missing())
