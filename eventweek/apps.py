from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender, **kwargs):
    from eventweek.services import ensure_schedules

    ensure_schedules()


class EventweekConfig(AppConfig):
    name = "eventweek"
    verbose_name = _("活动周")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_ensure_schedules, sender=self, dispatch_uid="eventweek-ensure-schedules")
