"""Reading a post's answers and scoring a paper: pure Python on a paper and its keys (no database, no clock).

A paper is what an attempt (or the hot path's sheet) carries: items {"q": question id, "o": option order}. The keys
are {question id: (kind, answer)} from the bank held for the quiz's version (bank_cache)."""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from quiz.models import LETTERS, Question
from quiz.services.bank_cache import bank_rows

ANSWER_PREFIX = "q_"


def grace() -> datetime.timedelta:
    """How long after the time limit a save or submit still counts (network latency, a slow phone)."""
    return datetime.timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


def is_within_time(attempt, now: datetime.datetime) -> bool:
    """Whether a save or submit at `now` still counts for the attempt (or sheet)."""
    return now <= attempt.deadline + grace()


class TokenMismatch(DomainError):
    """The post's hidden token is not the attempt's: the post is not authorized by this attempt (a 403 for JSON)."""


def check_token(attempt, data) -> None:
    """The form carries the attempt token in a hidden field; a mismatch means the page was tampered with."""
    if data.get("token") != attempt.token:
        raise TokenMismatch(_("表单中的答卷标识与本答卷不符，请刷新页面后重试。"))


def paper_keys(attempt, bank: dict | None = None) -> dict[int, tuple[str, str]]:
    """{question id: (kind, answer)} for the attempt's paper from `bank` (bank_cache rows; the attempt's quiz's held
    bank when omitted). Server-side only."""
    bank = bank_rows(attempt.quiz) if bank is None else bank
    return {item["q"]: bank[item["q"]][1:3] for item in attempt.paper if item["q"] in bank}


def clean_answers(attempt, data, keys: dict[int, tuple[str, str]] | None = None) -> dict[str, str]:
    """Read q_<id> fields from a POST as the bank's letters; refuse questions not on the paper and options the question
    does not have. A posted value is the letter the option is shown under on this paper (see paper_questions)."""
    on_paper = {str(item["q"]): item for item in attempt.paper}
    keys = paper_keys(attempt) if keys is None else keys
    kinds = {pk: kind for pk, (kind, _answer) in keys.items()}
    numbers = {str(item["q"]): n for n, item in enumerate(attempt.paper, start=1)}
    answers: dict[str, str] = {}
    for key in data:
        if not key.startswith(ANSWER_PREFIX):
            continue
        qid = key[len(ANSWER_PREFIX) :]
        if qid not in on_paper:
            raise DomainError(_("提交的题目（编号 %(id)s）不在您的试卷上，答案未保存。") % {"id": qid})
        values = data.getlist(key) if hasattr(data, "getlist") else list(data[key])
        shown = on_paper[qid]["o"]
        chosen = set()
        for value in values:
            if value == "":
                continue
            position = LETTERS.find(value) if len(value) == 1 else -1
            if not 0 <= position < len(shown):
                raise DomainError(
                    _("第 %(n)d 题的选项“%(v)s”不存在，答案未保存。") % {"n": numbers[qid], "v": value[:10]}
                )
            chosen.add(LETTERS[shown[position]])
        if len(chosen) > 1 and kinds.get(int(qid)) != Question.Kind.MULTIPLE:
            raise DomainError(_("第 %(n)d 题是单选题，只能选一个答案。") % {"n": numbers[qid]})
        answers[qid] = "".join(sorted(chosen))
    return answers


def grade(
    attempt,
    answers: dict[str, str],
    keys: dict[int, tuple[str, str]] | None = None,
    points: int | None = None,
) -> tuple[int, int, dict[str, str], list[int]]:
    """Score a paper in pure Python: a question counts only when the chosen set equals the answer set (multiple
    choice all or nothing). Returns (correct count, score, the graded answer to every question on the paper with ""
    when unanswered, the ids of the questions answered correctly in paper order)."""
    keys = paper_keys(attempt) if keys is None else keys
    points = attempt.quiz.points_per_question if points is None else points
    graded: dict[str, str] = {}
    right: list[int] = []
    for item in attempt.paper:
        qid = item["q"]
        key = keys.get(qid)
        if key is None:
            continue
        chosen = "".join(sorted(set(answers.get(str(qid), ""))))
        graded[str(qid)] = chosen
        if chosen and chosen == "".join(sorted(key[1])):
            right.append(qid)
    return len(right), len(right) * points, graded, right
