"""What a quiz's results show: a participant's graded review, the leaderboard and ranks, per-question statistics.

Attempts whose time ran out and that no task has finalised yet are "not yet graded" everywhere here (they are not
submitted): the close task and the minute sweep submit them; no page view does (awaiting_grade counts them)."""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from eventweek.errors import DomainError
from quiz.models import Attempt, Question, Quiz
from quiz.services.attempts import paper_with_questions, shown_options
from quiz.services.grading import grace

# What the review says of one option, as (css class, badge): a right option ticked, one a multiple-choice answer
# missed (it teaches what was not known, so it looks unlike a hit), one ticked wrongly, the right one of a single-choice
# or true/false question not picked.
_MARKS = {
    "hit": ("is-hit", _lazy("正确")),
    "missed": ("is-missed", _lazy("漏选")),
    "wrong": ("is-wrong", _lazy("错选")),
    "answer": ("is-answer", _lazy("正确答案")),
}


def _review_mark(picked: bool, correct: bool, multiple: bool) -> dict | None:
    if correct:
        name = "hit" if picked else "missed" if multiple else "answer"
    elif picked:
        name = "wrong"
    else:
        return None
    css, badge = _MARKS[name]
    return {"name": name, "css": css, "badge": badge}


def review(attempt: Attempt) -> list[dict]:
    """The graded paper with correct answers and explanations; only for submitted attempts."""
    if not attempt.is_submitted:
        raise DomainError(_("答卷尚未提交。"))
    items = []
    for number, item, question in paper_with_questions(attempt):
        chosen = set(attempt.answers.get(str(question.pk), ""))
        multiple = question.kind == Question.Kind.MULTIPLE
        options = []
        for shown, letter, text in shown_options(item, question):
            picked, correct = letter in chosen, letter in question.answer
            options.append(
                {
                    "label": shown,
                    "text": text,
                    "chosen": picked,
                    "correct": correct,
                    "mark": _review_mark(picked, correct, multiple),
                }
            )
        items.append(
            {
                "number": number,
                "id": question.pk,
                "order": tuple(item["o"]),
                "answer": "".join(sorted(chosen)),
                "text": question.text,
                "kind": question.kind,
                "kind_label": question.kind_label,
                "options": options,
                "is_correct": chosen == set(question.answer),
                "explanation": question.explanation,
            }
        )
    return items


def leaderboard(quiz: Quiz, limit: int = 50) -> list[Attempt]:
    """Top attempts: higher score, then less time taken, then the earlier finish."""
    return list(
        Attempt.objects.filter(quiz=quiz, status=Attempt.Status.SUBMITTED)
        .select_related("org")
        .order_by("-score", "duration_ms", "submitted_at", "id")[:limit]
    )


# The submitted attempts of the quiz, and those placed before one in the leaderboard's order (higher score, then less
# time taken, then the earlier finish, then the lower id). One raw statement: the ORM spent longer building this
# aggregate than the database ran it, on the result page and the share card of every participant. COUNT of a CASE
# without ELSE counts like a FILTER.
_RANK_AND_TOTAL = (
    "SELECT COUNT(CASE WHEN score > %s OR (score = %s AND duration_ms < %s) "
    "OR (score = %s AND duration_ms = %s AND submitted_at < %s) "
    "OR (score = %s AND duration_ms = %s AND submitted_at = %s AND id < %s) THEN 1 END), COUNT(*) "
    "FROM quiz_attempt WHERE quiz_id = %s AND status = %s"
)


def _rank_and_total(attempt: Attempt) -> tuple[int, int]:
    """The attempt's 1-based place and the number of submitted attempts, in one query off the leaderboard's index."""
    score, duration = attempt.score, attempt.duration_ms
    finished = connection.ops.adapt_datetimefield_value(attempt.submitted_at)
    params = [score, score, duration, score, duration, finished, score, duration, finished, attempt.pk]
    with connection.cursor() as cursor:
        cursor.execute(_RANK_AND_TOTAL, [*params, attempt.quiz_id, Attempt.Status.SUBMITTED])
        ahead, total = cursor.fetchone()
    return ahead + 1, total


def rank_of(attempt: Attempt) -> int | None:
    """1-based leaderboard position of a submitted attempt."""
    return _rank_and_total(attempt)[0] if attempt.is_submitted else None


def awaiting_grade(quiz: Quiz, now: datetime.datetime | None = None) -> int:
    """How many of the quiz's attempts ran out of time but are not graded yet (the sweep submits them within a
    minute); the leaderboard and the draw say so instead of finalising them inside a page view."""
    now = now or timezone.now()
    return Attempt.objects.filter(quiz=quiz, status=Attempt.Status.OPEN, deadline__lt=now - grace()).count()


def _graded_counts(quiz: Quiz) -> tuple[list, list]:
    """Grouped in the database from the submitted attempts' JSON: [(question id, chosen, n)], [(question id, n)]."""
    if connection.vendor == "postgresql":
        picks_sql = (
            "SELECT e.key, e.value, COUNT(*) FROM quiz_attempt a CROSS JOIN LATERAL jsonb_each_text(a.answers) e "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1, 2"
        )
        right_sql = (
            "SELECT c.value, COUNT(*) FROM quiz_attempt a "
            "CROSS JOIN LATERAL jsonb_array_elements_text(a.correct_questions) c "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1"
        )
    else:
        picks_sql = (
            "SELECT e.key, e.value, COUNT(*) FROM quiz_attempt a, json_each(a.answers) e "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1, 2"
        )
        right_sql = (
            "SELECT c.value, COUNT(*) FROM quiz_attempt a, json_each(a.correct_questions) c "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1"
        )
    params = [quiz.pk, Attempt.Status.SUBMITTED]
    with connection.cursor() as cursor:
        cursor.execute(picks_sql, params)
        picks = [(int(qid), chosen or "", n) for qid, chosen, n in cursor.fetchall()]
        cursor.execute(right_sql, params)
        right = [(int(qid), n) for qid, n in cursor.fetchall()]
    return picks, right


def question_stats(quiz: Quiz) -> list[dict]:
    """Per question: how many answered, the correct rate, and how often each option was picked."""
    questions = list(Question.objects.filter(quiz=quiz).order_by("sort_order", "pk"))
    grouped, correct_counts = _graded_counts(quiz)
    answered: dict[int, int] = defaultdict(int)
    right: dict[int, int] = dict(correct_counts)
    picks: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for qid, chosen, n in grouped:
        answered[qid] += n
        for letter in chosen:
            picks[qid][letter] += n
    rows = []
    for position, question in enumerate(questions, 1):
        total = answered.get(question.pk, 0)
        rows.append(
            {
                "position": position,
                "question": question,
                "answered": total,
                "correct": right.get(question.pk, 0),
                "rate": right.get(question.pk, 0) / total if total else None,
                "options": [
                    {
                        "label": letter,
                        "text": text,
                        "count": picks[question.pk].get(letter, 0),
                        "is_answer": letter in question.answer,
                    }
                    for letter, text in question.lettered_options()
                ],
            }
        )
    return rows


def standing(attempt: Attempt) -> dict | None:
    """A submitted attempt's place in the leaderboard's order among all submitted attempts of its quiz:
    {"rank", "total", "text"} with "第 12 名 / 共 3,408 人" (thousands separated); None while not submitted."""
    if not attempt.is_submitted:
        return None
    rank, total = _rank_and_total(attempt)
    text = _("第 %(rank)s 名 / 共 %(total)s 人") % {"rank": f"{rank:,}", "total": f"{total:,}"}
    return {"rank": rank, "total": total, "text": text}


def masked_name(name: str) -> str:
    """A name fit to be shared: its first character, the rest starred ("张三" → "张*")."""
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else "*"


def score_distribution(quiz: Quiz) -> list[tuple[int, int]]:
    """(score, number of submitted attempts) for every score a paper can reach (0 to full marks, one question's
    points apart, zeros included) plus any other score recorded (a setting changed after some attempts)."""
    counts = dict(
        Attempt.objects.filter(quiz=quiz, status=Attempt.Status.SUBMITTED)
        .values_list("score")
        .annotate(n=Count("id"))
        .order_by()
    )
    step = quiz.points_per_question or 1
    scores = set(range(0, quiz.full_marks + 1, step)) | {s for s in counts if s is not None}
    return [(score, counts.get(score, 0)) for score in sorted(scores)]


# The question statistics' sortable columns (the value of ?sort=).
QUESTION_SORTS = ("order", "rate", "answered")


def sort_question_stats(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    """question_stats' rows in the chosen order (an unknown key keeps the bank's order); ties keep the bank's order
    and questions nobody answered (no rate) come last."""
    sign = -1 if descending else 1
    if sort == "rate":
        rated = sorted((r for r in rows if r["rate"] is not None), key=lambda r: (sign * r["rate"], r["position"]))
        return rated + [r for r in rows if r["rate"] is None]
    if sort == "answered":
        return sorted(rows, key=lambda r: (sign * r["answered"], r["position"]))
    return sorted(rows, key=lambda r: r["position"], reverse=descending)
