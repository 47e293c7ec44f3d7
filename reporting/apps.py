from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("报送与总结")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After reporting's own migrations (django_q's tables exist by then, as INSTALLED_APPS orders them first).
        from reporting import receivers

        post_migrate.connect(receivers.ensure_report_schedules, sender=self, dispatch_uid="reporting.ensure_schedules")
        from reporting.summary import receivers as summary_receivers

        post_migrate.connect(
            summary_receivers.ensure_summary_schedules, sender=self, dispatch_uid="reporting.summary.schedules"
        )
