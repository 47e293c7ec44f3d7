"""No page served before grading contains the answer key: the pages are identical whatever the key says."""

import re

import time_machine
from django.urls import reverse

from quiz.models import Question
from quiz.services.attempts import submit_attempt
from tests.quiz.conftest import answers, at, start

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _pages(client, quiz, attempt) -> list[str]:
    with time_machine.travel(at(4, 10, 1), tick=False):
        saved = client.post(reverse("quiz:save", args=[attempt.token]), answers(attempt, lambda q: "A"))
        pages = [
            client.get(reverse("quiz:entry", args=[quiz.slug])).content.decode(),
            client.get(reverse("quiz:paper", args=[attempt.token])).content.decode(),
            saved.content.decode(),
        ]
    return [CSRF.sub("", page) for page in pages]


def test_pages_before_grading_do_not_change_when_the_answer_key_changes(client, demo, national_quiz):
    attempt = start(national_quiz, demo, now=at(4, 10))
    before = _pages(client, national_quiz, attempt)
    for question in Question.objects.filter(quiz=national_quiz):
        question.answer = "B" if question.answer != "B" else "A"
        question.save()
    after = _pages(client, national_quiz, attempt)
    assert before == after
    assert before[2] == '{"ok": true, "saved_at": "10:01:00", "remaining": 540}'
    assert before[1].count("checked") == 20


def test_the_paper_contains_no_explanation_and_no_answer_field(client, demo, national_quiz):
    attempt = start(national_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 1), tick=False):
        page = client.get(reverse("quiz:paper", args=[attempt.token])).content.decode()
    questions = Question.objects.in_bulk([item["q"] for item in attempt.paper])
    assert page.count('class="quiz-q card"') == 20
    for question in questions.values():
        assert question.text in page
        assert question.explanation not in page
    assert "answer" not in page.lower().replace("answered", "")
    assert attempt.phone not in page
    assert attempt.masked_phone in page


def test_the_review_with_answers_appears_only_after_submitting(client, demo, national_quiz):
    attempt = start(national_quiz, demo, now=at(4, 10))
    submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 5))
    with time_machine.travel(at(4, 10, 6), tick=False):
        page = client.get(reverse("quiz:result", args=[attempt.token])).content.decode()
    first = Question.objects.get(pk=attempt.paper[0]["q"])
    assert first.explanation in page
    assert '<strong id="score">100</strong>' in page
    assert attempt.phone not in page


def test_answers_after_close_are_hidden_until_the_window_closes(client, demo, national_quiz):
    national_quiz.show_answers = "after_close"
    national_quiz.save()
    attempt = start(national_quiz, demo, now=at(4, 10))
    submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 5))
    first = Question.objects.get(pk=attempt.paper[0]["q"])
    with time_machine.travel(at(5, 16, 59), tick=False):
        during = client.get(reverse("quiz:result", args=[attempt.token])).content.decode()
    with time_machine.travel(at(5, 17, 0), tick=False):
        after = client.get(reverse("quiz:result", args=[attempt.token])).content.decode()
    assert first.explanation not in during
    assert "答案与解析将在竞答结束后公布" in during
    assert first.explanation in after
