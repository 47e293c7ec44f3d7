"""Thin django-q2 tasks of summaries: ids in, one service call."""

from reporting.summary import services


def send_summary_mail_task(submission_id: int) -> bool:
    return services.send_summary_mail(submission_id)


def retry_summary_mails_task() -> int:
    return services.retry_summary_mails()


def send_summary_reminders_task() -> int:
    return services.send_summary_reminders()
