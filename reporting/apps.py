from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender, **kwargs):
    from reporting.services import ensure_schedules

    ensure_schedules()


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("报送与总结")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After reporting's own migrations (django_q's tables exist by then, as INSTALLED_APPS orders them first).
        post_migrate.connect(_ensure_schedules, sender=self, dispatch_uid="reporting.ensure_schedules")
