from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender, **kwargs):
    from quiz.services import ensure_schedules

    ensure_schedules()


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("云竞答")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_ensure_schedules, sender=self, dispatch_uid="quiz-ensure-schedules")
