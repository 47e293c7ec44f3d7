"""Who may see and change which quiz rows: every protected row a view shows is fetched here, with the user.

A row that is missing and one the user may not see both raise `NotFound` (one 404 for both).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from eventweek.errors import DomainError, NotFound
from eventweek.services.access import weeks_for_user
from quiz.models import Attempt, ExportJob, PrizeDraw, Question, Quiz
from quiz.services.public import get_attempt_quiz


def quizzes_for_user(user):
    """Quizzes of the weeks the user may manage (the week's organizer is the user's org or below)."""
    return Quiz.objects.filter(week__in=weeks_for_user(user)).select_related("week__organizer", "activity")


def get_quiz_for_user(user, pk: int) -> Quiz:
    """A quiz the user may manage; NotFound for outsiders and for a quiz that does not exist."""
    try:
        return quizzes_for_user(user).get(pk=pk)
    except Quiz.DoesNotExist:
        raise NotFound(_("没有这个竞答。")) from None


def quizzes_of_week(week):
    """The quizzes of a week the caller already fetched with get_week_for_user."""
    return Quiz.objects.filter(week=week).select_related("activity")


def get_draw_for_user(user, quiz_id: int, draw_id: int) -> tuple[Quiz, PrizeDraw]:
    """A recorded draw of a quiz the user may manage; NotFound otherwise."""
    quiz = get_quiz_for_user(user, quiz_id)
    try:
        return quiz, PrizeDraw.objects.select_related("created_by").get(quiz=quiz, pk=draw_id)
    except PrizeDraw.DoesNotExist:
        raise NotFound(_("没有这次抽奖。")) from None


def draws_of_quiz(quiz: Quiz):
    """The recorded draws of a quiz the caller already fetched with get_quiz_for_user."""
    return PrizeDraw.objects.filter(quiz=quiz).select_related("created_by")


def get_export_for_user(user, quiz_id: int, job_id: int, *, download: bool = False) -> tuple[Quiz, ExportJob]:
    """An export job of a quiz the user may manage; NotFound otherwise, and for a download of the attempts export
    (every phone in full) by someone who may not see the phones."""
    quiz = get_quiz_for_user(user, quiz_id)
    try:
        job = ExportJob.objects.select_related("quiz").get(quiz=quiz, pk=job_id)
    except ExportJob.DoesNotExist:
        raise NotFound(_("没有这个导出任务。")) from None
    if download and job.kind == ExportJob.Kind.ATTEMPTS and not can_see_phones(user, quiz):
        raise NotFound(_("没有这个导出任务。"))
    return quiz, job


def exports_of_quiz(quiz: Quiz, limit: int = 20) -> list[ExportJob]:
    """The latest export jobs of a quiz the caller already fetched with get_quiz_for_user."""
    return list(ExportJob.objects.filter(quiz=quiz)[:limit])


def questions_of_quiz(quiz: Quiz):
    """The bank of a quiz the caller already fetched with get_quiz_for_user, in its order."""
    return Question.objects.filter(quiz=quiz).order_by("sort_order", "pk")


def quiz_counts(quiz: Quiz) -> dict[str, int]:
    """The overview's counts: active questions, attempts started and submitted."""
    attempts = Attempt.objects.filter(quiz=quiz).aggregate(
        started=Count("id"), submitted=Count("id", filter=Q(status=Attempt.Status.SUBMITTED))
    )
    return {"questions": Question.objects.filter(quiz=quiz, active=True).count(), **attempts}


def can_see_phones(user, quiz: Quiz) -> bool:
    """Phone numbers are personal data: in full only for an admin of the quiz week's organizer org (or a
    superuser). Everyone else, on every page and in every export, sees them masked (138****5678)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role == user.Role.ADMIN and user.org_id is not None and user.org_id == quiz.week.organizer_id


def require_phone_access(user, quiz: Quiz) -> None:
    """The attempts export lists every phone in full: only those who may see them start or download it."""
    if not can_see_phones(user, quiz):
        raise DomainError(_("答卷明细含完整手机号，只有主办单位的管理员可以导出。"))


def require_quiz_admin(user) -> None:
    """Only an org admin changes a quiz's settings, its bank and draws."""
    if not user.is_org_admin:
        raise DomainError(_("只有管理员可以修改竞答设置、导入题目和抽奖。"))


def get_attempt(token: str) -> Attempt:
    """An attempt by its unguessable token (the token is the participant's only credential); NotFound when unknown."""
    try:
        attempt = Attempt.objects.select_related("org").get(token=token)
    except Attempt.DoesNotExist:
        raise NotFound(_("没有这份答卷。")) from None
    # The quiz from the per-process hold (quiz.services.public): the four-table join cost more than the page's own
    # query, and every participant of a quiz reads the same quiz row.
    attempt.quiz = get_attempt_quiz(attempt.quiz_id)
    return attempt


def attempt_of_cookie(quiz: Quiz, token: str | None) -> Attempt | None:
    """The attempt the entry page's cookie names, when it is one of this quiz's."""
    if not token:
        return None
    return Attempt.objects.filter(token=token, quiz=quiz).first()
