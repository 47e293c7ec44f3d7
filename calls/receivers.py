"""The calls' signal receivers, connected in CallsConfig.ready(): the reminder sweep's schedule after migrate."""

from django.db.models.signals import post_migrate

from calls.services.quotas import ensure_schedules


def ensure_schedules_after_migrate(sender, **kwargs) -> None:
    ensure_schedules()


def connect(app_config) -> None:
    post_migrate.connect(ensure_schedules_after_migrate, sender=app_config, dispatch_uid="calls-ensure-schedules")
