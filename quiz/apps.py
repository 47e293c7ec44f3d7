from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        from eventweek.models import Activity, Org, Week
        from quiz.models import Quiz
        from quiz.services import forget_held

        for model in (Quiz, Week, Activity, Org):
            for signal in (post_save, post_delete):
                signal.connect(forget_held, sender=model, dispatch_uid=f"quiz-public-{model.__name__}")
