"""A submit never loses an answer autosaved while it runs: an autosave committed by another connection between the
submit's read (or its grading of the post) and its claim still counts in the grade."""

import threading

import pytest
from django.db import connection

from quiz.models import Question
from quiz.services import sheet
from quiz.services.attempts import save_answers, submit_attempt
from tests.quiz.conftest import answers, at, start

pytestmark = pytest.mark.django_db(transaction=True)


def _autosave_between_read_and_claim(monkeypatch, token, data, now):
    """Make the submit's first grading step (after it has read the attempt, before its UPDATE) wait for an autosave
    that another connection commits in another thread."""
    real_grade = sheet.grade
    saved, errors = [], []

    def autosave():
        try:
            saved.append(save_answers(token, data, now=now))
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    def grade(*args, **kwargs):
        if not saved and not errors:
            thread = threading.Thread(target=autosave)
            thread.start()
            thread.join()
        return real_grade(*args, **kwargs)

    monkeypatch.setattr(sheet, "grade", grade)  # where the submit's statements live
    return saved, errors


def _answer_only(attempt, qid) -> dict:
    question = Question.objects.get(pk=qid)
    data = answers(attempt, sheet=False)
    for item in attempt.paper:
        if item["q"] != qid:
            del data[f"q_{item['q']}"]
    return data, question.answer


@pytest.mark.parametrize("with_sheet", [False, True], ids=["read-then-claim", "signed-sheet"])
def test_an_answer_autosaved_during_the_submit_is_graded(demo, jiangsu_quiz, monkeypatch, with_sheet):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    first = attempt.paper[0]["q"]
    rest = answers(attempt, sheet=with_sheet)
    del rest[f"q_{first}"]  # the final post leaves the first question out: only the autosave carries it
    autosaved, key = _answer_only(attempt, first)
    save_answers(attempt.token, rest, now=at(4, 10, 1))  # an earlier autosave: saved_at is set
    saved, errors = _autosave_between_read_and_claim(monkeypatch, attempt.token, autosaved, at(4, 10, 2))

    graded = submit_attempt(attempt.token, rest, now=at(4, 10, 3))

    assert errors == [] and len(saved) == 1
    assert graded.answers[str(first)] == key
    assert (graded.score, graded.correct_count) == (50, 10)
    assert first in graded.correct_questions


def test_an_answer_autosaved_during_a_submit_without_earlier_saves_is_graded(demo, jiangsu_quiz, monkeypatch):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    first = attempt.paper[0]["q"]
    rest = answers(attempt, sheet=False)
    del rest[f"q_{first}"]
    autosaved, key = _answer_only(attempt, first)
    saved, errors = _autosave_between_read_and_claim(monkeypatch, attempt.token, autosaved, at(4, 10, 2))

    graded = submit_attempt(attempt.token, rest, now=at(4, 10, 3))

    assert errors == [] and len(saved) == 1
    assert (graded.answers[str(first)], graded.score, graded.correct_count) == (key, 50, 10)
