"""Signal receivers of week summaries, connected in ReportingConfig.ready()."""


def ensure_summary_schedules(sender, **kwargs):
    """After reporting's migrations: the summaries' periodic schedules (idempotent)."""
    from reporting.summary.services.deadlines import ensure_summary_schedules as ensure

    ensure()
