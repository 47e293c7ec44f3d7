"""Signal receivers of the notifications app, connected in `NotificationsConfig.ready()`."""

from django.db.models.signals import post_migrate

from eventweek.outbox import ensure_schedule

RETRY_SCHEDULE = "notifications.retry_deliveries"


def ensure_schedules_after_migrate(sender, **kwargs):
    """After every migrate: the sweep that retries deliveries every minute."""
    ensure_schedule(RETRY_SCHEDULE, "notifications.tasks.retry_deliveries_task", minutes=1)


def connect(app_config) -> None:
    """Wire this app's receivers."""
    post_migrate.connect(ensure_schedules_after_migrate, sender=app_config, dispatch_uid="notifications-schedules")
