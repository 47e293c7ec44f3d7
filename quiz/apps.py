from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("云竞答")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from quiz import receivers

        receivers.connect(self)
