from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EventweekConfig(AppConfig):
    name = "eventweek"
    verbose_name = _("活动周")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from eventweek import receivers

        post_migrate.connect(
            receivers.ensure_schedules_after_migrate, sender=self, dispatch_uid="eventweek-ensure-schedules"
        )
