"""A campaign copied from last year takes its quizzes along: settings and bank, the window moved by the offset,
tied to the copied activity; no schedules (they are created when the quiz is saved after review)."""

import datetime

from django.utils.crypto import get_random_string

from eventweek.models import Activity, Week
from eventweek.services.copying import renamed_year
from quiz.models import Question, Quiz

SETTINGS = (
    "title",
    "intro",
    "question_count",
    "paper_spec",
    "points_per_question",
    "time_limit_seconds",
    "attempts_per_person",
    "shuffle_questions",
    "shuffle_options",
    "show_answers",
    "prize_min_score",
    "prize_count",
    "prize_note",
)
QUESTION_FIELDS = ("kind", "category", "difficulty", "text", "options", "answer", "explanation", "active", "sort_order")


def _slug(old: str, copy: Week) -> str:
    base = f"{copy.slug}-quiz"[:50]
    slug = base
    while Quiz.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4).lower()}"
    return slug


def copy_quizzes(source: Week, copy: Week, offset: datetime.timedelta, activities: dict[int, Activity]) -> list[Quiz]:
    """Copy each quiz of source (settings, bank) into copy; the windows moved by offset."""
    copies = []
    for quiz in Quiz.objects.filter(week=source).order_by("pk"):
        new = Quiz(week=copy, slug=_slug(quiz.slug, copy), **{name: getattr(quiz, name) for name in SETTINGS})
        new.title = renamed_year(quiz.title, source.start_date.year, copy.start_date.year)
        new.activity = activities.get(quiz.activity_id)
        if new.activity is None:
            # Tied to a parent's activity (not copied here): the copy keeps the window itself, moved.
            start, end = quiz.window_start, quiz.window_end
            new.opens_at = start + offset if start else None
            new.closes_at = end + offset if end else None
        new.save()
        Question.objects.bulk_create(
            Question(quiz=new, **{name: getattr(q, name) for name in QUESTION_FIELDS}) for q in quiz.questions.all()
        )
        copies.append(new)
    return copies
