"""Thin django-q2 tasks of summaries: ids in, one service call."""

from reporting.summary.services import deadlines, pdf, submission


def send_summary_mail_task(submission_id: int) -> bool:
    return submission.send_summary_mail(submission_id)


def retry_summary_mails_task() -> int:
    return submission.retry_summary_mails()


def send_summary_reminders_task() -> int:
    return deadlines.send_summary_reminders()


def run_pdf_job_task(job_id: int) -> bool:
    return pdf.run_pdf_job(job_id)


def recover_pdf_jobs_task() -> dict[str, int]:
    """Every minute: retry or fail the PDF jobs whose worker died."""
    return pdf.recover_stale_pdf_jobs()
