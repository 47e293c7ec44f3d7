"""Signal receivers of the notifications app, connected in `NotificationsConfig.ready()`."""

from django.db.models.signals import post_migrate

from eventweek.outbox import ensure_schedule

RETRY_SCHEDULE = "notifications.retry_deliveries"
CAMPAIGN_SCHEDULE = "notifications.resume_campaigns"


def ensure_schedules_after_migrate(sender, **kwargs):
    """After every migrate: the sweeps that retry deliveries and go on with campaigns, every minute."""
    ensure_schedule(RETRY_SCHEDULE, "notifications.tasks.retry_deliveries_task", minutes=1)
    # Public-interest SMS campaigns whose runner died (or whose failed rows wait on back-off) go on.
    ensure_schedule(CAMPAIGN_SCHEDULE, "notifications.tasks.resume_campaigns_task", minutes=1)


def connect(app_config) -> None:
    """Wire this app's receivers."""
    post_migrate.connect(ensure_schedules_after_migrate, sender=app_config, dispatch_uid="notifications-schedules")
