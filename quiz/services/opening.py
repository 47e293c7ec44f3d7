"""The quiz opening notice: when a quiz opens, the orgs below its organizer are told once, on their channels."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.outbox import ensure_schedule
from notifications.models import NoticeKind
from notifications.services.deliveries import queue_notice
from quiz.models import Quiz

logger = logging.getLogger(__name__)


def opening_schedule_name(quiz_id: int) -> str:
    return f"quiz:open:{quiz_id}"


def schedule_opening(quiz_id: int, run_at: datetime.datetime) -> None:
    """A one-off django-q2 schedule that tells the orgs when the quiz opens (idempotent: moved with the start)."""
    from django_q.models import Schedule

    ensure_schedule(
        opening_schedule_name(quiz_id),
        "quiz.tasks.open_quiz_task",
        minutes=None,
        args=repr((quiz_id,)),
        schedule_type=Schedule.ONCE,
        next_run=run_at,
    )


def opening_key(quiz: Quiz, start: datetime.datetime, org_id: int) -> str:
    """One notice per (quiz, opening time, org): a duplicated task queues nothing twice; a moved start is told anew."""
    return f"quiz-open:{quiz.pk}:{int(start.timestamp())}:{org_id}"


@transaction.atomic
def notify_quiz_opening(quiz_id: int, now: datetime.datetime | None = None) -> int:
    """Queue the opening notice to every org below the quiz's organizer, once, on the channels each chose for
    竞答开始; return how many orgs were told by this call. Nothing before the start (a start moved later is
    scheduled again) nor once the quiz has closed."""
    now = now or timezone.now()
    quiz = Quiz.objects.select_related("week__organizer", "activity").filter(pk=quiz_id).first()
    if quiz is None or quiz.window_start is None or quiz.is_closed(now):
        return 0
    start = quiz.window_start
    if now < start:
        transaction.on_commit(lambda: schedule_opening(quiz_id, start))
        return 0
    organizer = quiz.week.organizer
    local_start, local_end = quiz.local_window()
    subject = _("【竞答开始】%(title)s 已开始") % {"title": quiz.title}
    fields = {
        "by": organizer.name,
        "title": quiz.title,
        "start": local_start.strftime("%Y-%m-%d %H:%M"),
        "end": local_end.strftime("%Y-%m-%d %H:%M"),
        "link": settings.SITE_URL + quiz.get_absolute_url(),
    }
    told = 0
    for org in organizer.descendants(include_self=False).order_by("path"):
        body = _("%(org)s：\n\n%(by)s组织的“%(title)s”已于 %(start)s 开始，%(end)s 结束。\n参与地址：%(link)s\n") % {
            "org": org.name,
            **fields,
        }
        if queue_notice(org, NoticeKind.QUIZ_OPEN, opening_key(quiz, start, org.pk), subject, body):
            told += 1
    logger.info("quiz %s opening told to %s orgs", quiz_id, told)
    return told
