"""Thin django-q2 tasks: ids in, one service call."""

from quiz import exporters
from quiz.services import attempts, opening, participation


def run_export_task(job_id: int) -> bool:
    return exporters.run_export(job_id)


def recover_exports_task() -> dict[str, int]:
    """Every minute: retry or fail the exports whose worker died."""
    return exporters.recover_stale_exports()


def close_quiz_task(quiz_id: int) -> int:
    return attempts.finalize_expired(quiz_id)


def open_quiz_task(quiz_id: int) -> int:
    """At the quiz's start: tell the orgs below its organizer, once."""
    return opening.notify_quiz_opening(quiz_id)


def finalize_expired_task() -> int:
    """Every minute: submit the attempts whose time ran out (no page view does)."""
    return attempts.finalize_expired()


def refresh_participation_task() -> int:
    return participation.refresh_all_participation()
