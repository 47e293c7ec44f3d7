"""Fixtures for the quiz tests: the national and Jiangsu quizzes with the demo bank, and answer helpers."""

import datetime

import pytest
from django.http import QueryDict

from eventweek.models import LOCAL_TZ
from quiz.models import Question
from quiz.services.attempts import shown_values, start_attempt, submit_attempt
from quiz.services.bank_cache import bump_bank_version
from quiz.services.setup import create_quiz_for_week, load_sample_bank, save_quiz
from quiz.services.sheet import sheet_for

OPENS = datetime.datetime(2020, 7, 4, 9, 0, tzinfo=LOCAL_TZ)
CLOSES = datetime.datetime(2020, 7, 5, 17, 0, tzinfo=LOCAL_TZ)
DURING = datetime.datetime(2020, 7, 4, 10, 0, tzinfo=LOCAL_TZ)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    """A moment in July 2020, Beijing time."""
    return datetime.datetime(2020, 7, day, hour, minute, second, tzinfo=LOCAL_TZ)


def make_quiz(week, **settings):
    quiz = create_quiz_for_week(week)
    for name, value in settings.items():
        setattr(quiz, name, value)
    save_quiz(quiz)
    load_sample_bank(quiz)
    quiz.refresh_from_db()  # the bank version the sample bank bumped, as a request would read it
    return quiz


@pytest.fixture
def national_quiz(demo):
    return make_quiz(demo.national, shuffle_questions=True, shuffle_options=True)


@pytest.fixture
def jiangsu_quiz(demo):
    return make_quiz(demo.jiangsu, question_count=10)


def shown(item: dict, letters: str) -> list[str]:
    """The values the paper page posts for the bank's letters (item is one entry of attempt.paper)."""
    return shown_values(item, letters)


def answers(attempt, choose=None, token=None, sheet=True) -> QueryDict:
    """POST data answering every question of the attempt as the paper page posts it, with its hidden fields (the token
    and, unless sheet=False, the signed sheet); choose(question) returns the bank's letters (default: correct)."""
    questions = Question.objects.in_bulk([item["q"] for item in attempt.paper])
    data = QueryDict(mutable=True)
    data["token"] = token or attempt.token
    if sheet:
        data["sheet"] = sheet_for(attempt)
    for item in attempt.paper:
        question = questions[item["q"]]
        letters = choose(question) if choose else question.answer
        data.setlist(f"q_{question.pk}", shown(item, letters))
    return data


def wrong(question) -> str:
    """A wrong answer: an option outside the key, or (when every option is right) only part of the key."""
    outside = [letter for letter in question.letters if letter not in question.answer]
    return outside[0] if outside else question.answer[:1]


def start(quiz, demo, phone="13812345678", org="320100", name="张三", now=DURING):
    return start_attempt(quiz, name=name, phone=phone, org=demo.org(org), now=now)


def finish(quiz, demo, phone, *, org="320100", name="张三", started=DURING, seconds=120, right=None):
    """A submitted attempt: `right` questions answered correctly (all by default), the rest wrong."""
    attempt = start(quiz, demo, phone=phone, org=org, name=name, now=started)
    count = len(attempt.paper) if right is None else right
    right_ids = {item["q"] for item in attempt.paper[:count]}
    data = answers(attempt, lambda q: q.answer if q.pk in right_ids else wrong(q))
    return submit_attempt(attempt.token, data, now=started + datetime.timedelta(seconds=seconds))


def only_active(quiz, **lookups):
    """Keep only the questions matching lookups active (a bulk update, so the bank version is bumped by hand)."""
    Question.objects.filter(quiz=quiz).exclude(**lookups).update(active=False)
    bump_bank_version(quiz.pk)
    quiz.refresh_from_db()
