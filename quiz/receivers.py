"""The quiz's signal receivers, connected in QuizConfig.ready(): the models never import the services."""

from django.db.models.signals import post_delete, post_migrate, post_save

from eventweek.models import Activity, Org, Week
from eventweek.services.copying import campaign_copied
from notifications.models import Channel
from quiz.models import Question, Quiz
from quiz.services.bank_cache import bump_bank_version
from quiz.services.copying import copy_quizzes
from quiz.services.public import forget_held
from quiz.services.setup import ensure_schedules


def ensure_schedules_after_migrate(sender, **kwargs) -> None:
    """The periodic sweeps exist after every migrate (idempotent)."""
    ensure_schedules()


def bank_changed(sender, instance, **kwargs) -> None:
    """A saved or deleted question changes its quiz's bank: every process's held copy is dropped."""
    bump_bank_version(instance.quiz_id)


def quizzes_copied(sender, source, copy, offset, activities, **kwargs) -> None:
    """A campaign copied from last year takes its quizzes along (settings and bank)."""
    copy_quizzes(source, copy, offset, activities)


def connect(app_config) -> None:
    """Wire the receivers (from QuizConfig.ready)."""
    post_migrate.connect(ensure_schedules_after_migrate, sender=app_config, dispatch_uid="quiz-ensure-schedules")
    post_save.connect(bank_changed, sender=Question, dispatch_uid="quiz-bank-saved")
    campaign_copied.connect(quizzes_copied, dispatch_uid="quiz-campaign-copied")
    post_delete.connect(bank_changed, sender=Question, dispatch_uid="quiz-bank-deleted")
    # What the public hold is built from: any save in this process forgets it at once.
    for model in (Quiz, Week, Activity, Org, Channel):
        for signal in (post_save, post_delete):
            signal.connect(forget_held, sender=model, dispatch_uid=f"quiz-public-{model.__name__}")
