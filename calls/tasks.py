"""Thin tasks: ids in, one service call."""

from calls.services.certificates import recover_stale_certificates
from calls.services.certificates import run_certificate_pdf as _run_certificate_pdf
from calls.services.quotas import remind_due_calls


def remind_due() -> int:
    """The hourly sweep: the calls closing within REMIND_DAYS remind their short orgs (once a day each)."""
    return remind_due_calls()


def run_certificate_pdf(job_id: int) -> bool:
    """Convert one certificate PDF job."""
    return _run_certificate_pdf(job_id)


def recover_certificates() -> int:
    """The every-minute sweep: certificate PDF jobs whose worker died are run again or failed."""
    return recover_stale_certificates()
