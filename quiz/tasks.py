"""Thin django-q2 tasks: ids in, one service call."""

from quiz import exporters, services


def run_export_task(job_id: int) -> bool:
    return exporters.run_export(job_id)


def recover_exports_task() -> dict[str, int]:
    """Every minute: retry or fail the exports whose worker died."""
    return exporters.recover_stale_exports()


def close_quiz_task(quiz_id: int) -> int:
    return services.finalize_expired(quiz_id)


def finalize_expired_task() -> int:
    return services.finalize_expired()


def refresh_participation_task() -> int:
    return services.refresh_all_participation()
