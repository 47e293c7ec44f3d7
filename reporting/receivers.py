"""Signal receivers of the reporting app, connected in `ReportingConfig.ready()`: models import no services."""


def ensure_report_schedules(sender, **kwargs) -> None:
    """After reporting's migrations: create the daily reports' periodic schedules (idempotent)."""
    from reporting.services.reminders import ensure_schedules

    ensure_schedules()
