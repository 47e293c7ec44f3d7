"""Signal receivers of the core app, connected in `EventweekConfig.ready()`."""

from eventweek.services.publishing import ensure_schedules


def ensure_schedules_after_migrate(sender, **kwargs):
    """After every migrate: create the periodic schedules and the publication schedules of unpublished weeks."""
    ensure_schedules()
