"""Whether a quiz is 未开始, 进行中 or 已结束, computed from its window at the moment asked, for every page that links
to a quiz (the week page, an activity's page)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from eventweek.models import Activity
from quiz.models import Quiz

LABELS = {"before": _lazy("未开始"), "open": _lazy("进行中"), "after": _lazy("已结束")}
BADGES = {"before": "amber", "open": "green", "after": ""}


@dataclass(frozen=True)
class QuizLink:
    """A quiz as a page links to it: the quiz, its status code (before/open/after), label and badge colour."""

    quiz: Quiz
    status: str

    @property
    def label(self) -> str:
        return str(LABELS[self.status])

    @property
    def badge(self) -> str:
        return BADGES[self.status]


def window_status(quiz: Quiz, now: datetime.datetime | None = None) -> str:
    """ "before" until the window opens, "after" once it has closed, else "open" (as the entry page decides)."""
    now = now or timezone.now()
    if quiz.window_start is not None and now < quiz.window_start:
        return "before"
    return "after" if quiz.is_closed(now) else "open"


def quiz_links(quizzes, now: datetime.datetime | None = None) -> list[QuizLink]:
    """Each quiz with its status now."""
    now = now or timezone.now()
    return [QuizLink(quiz, window_status(quiz, now)) for quiz in quizzes]


def quizzes_of_activity(activity: Activity) -> list[Quiz]:
    """The quizzes tied to an activity whose week is published (a 云竞答 activity's page links to them)."""
    return list(
        Quiz.objects.filter(activity=activity, week__published_at__isnull=False)
        .select_related("activity")
        .order_by("pk")
    )
