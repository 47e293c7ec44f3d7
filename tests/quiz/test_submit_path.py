"""The submit's fast path: the paper page's signed sheet lets a submit close the attempt in one statement, and
anything it cannot vouch for falls back to reading the attempt, with the same grade."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from eventweek.errors import DomainError
from quiz.models import Attempt, Question
from quiz.services.attempts import close_attempt, save_answers, submit_attempt
from quiz.services.sheet import sheet_for
from tests.quiz.conftest import answers, at, only_active, start, wrong


def test_the_paper_page_carries_a_signed_sheet_without_answers(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 1), tick=False):
        page = client.get(reverse("quiz:paper", args=[attempt.token])).content.decode()
    sheet = re.search(r'name="sheet" value="([^"]+)"', page).group(1)
    assert sheet == sheet_for(attempt)
    value = sheet.rsplit(":", 1)[0]
    token, pk, quiz_id, _started, _deadline, paper = value.split(".", 5)
    assert (token, int(pk), int(quiz_id)) == (attempt.token, attempt.pk, jiangsu_quiz.pk)
    assert paper == ",".join(f"{i['q']}-{''.join(map(str, i['o']))}" for i in attempt.paper)


def test_a_submit_with_the_sheet_is_one_statement_and_grades_exactly(demo, jiangsu_quiz, django_assert_num_queries):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    right = {item["q"] for item in attempt.paper[:7]}
    data = answers(attempt, lambda q: q.answer if q.pk in right else wrong(q))
    with django_assert_num_queries(1):
        close_attempt(attempt.token, data, now=at(4, 10, 2, 30))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.correct_count, attempt.duration_ms) == ("submitted", 35, 7, 150_000)
    assert attempt.correct_questions == [item["q"] for item in attempt.paper[:7]]
    assert attempt.submitted_at == at(4, 10, 2, 30)


def test_a_sheet_of_another_attempt_or_a_tampered_one_is_not_trusted(demo, jiangsu_quiz):
    mine = start(jiangsu_quiz, demo, phone="13900000001", now=at(4, 10))
    other = start(jiangsu_quiz, demo, phone="13900000002", now=at(4, 10))
    data = answers(mine)
    data["sheet"] = sheet_for(other)
    graded = submit_attempt(mine.token, data, now=at(4, 10, 2))
    assert (graded.score, graded.correct_count) == (50, 10)
    data = answers(other)
    data["sheet"] = data["sheet"].replace(f".{jiangsu_quiz.pk}.", f".{jiangsu_quiz.pk + 1}.", 1)
    graded = submit_attempt(other.token, data, now=at(4, 10, 2))
    assert (graded.score, graded.correct_count, graded.started_at) == (50, 10, at(4, 10))


def test_an_autosaved_answer_the_final_post_leaves_out_still_counts(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    save_answers(attempt.token, answers(attempt), now=at(4, 10, 1))
    data = answers(attempt)
    first = attempt.paper[0]["q"]
    del data[f"q_{first}"]  # e.g. the page was reopened on another phone and that question left blank
    graded = submit_attempt(attempt.token, data, now=at(4, 10, 2))
    assert (graded.score, graded.correct_count) == (50, 10)
    assert graded.answers[str(first)] == Question.objects.get(pk=first).answer


def test_a_key_corrected_after_the_page_was_drawn_is_the_one_graded_with(demo, jiangsu_quiz):
    only_active(jiangsu_quiz, kind="single")
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    data = answers(attempt)  # signs the sheet, remembering the bank version this process knows
    question = Question.objects.get(pk=attempt.paper[0]["q"])
    question.answer = next(letter for letter in question.letters if letter != question.answer)
    question.save()  # bumps the bank version
    graded = submit_attempt(attempt.token, data, now=at(4, 10, 2))
    assert (graded.score, graded.correct_count) == (45, 9)
    assert question.pk not in graded.correct_questions


def test_a_second_submit_with_the_sheet_keeps_the_first_grade(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    submit_attempt(attempt.token, answers(attempt, wrong), now=at(4, 10, 2))
    again = submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 3))
    assert (again.score, again.submitted_at) == (0, at(4, 10, 2))
    assert Attempt.objects.filter(token=attempt.token, status="submitted").count() == 1


def test_an_answer_outside_the_paper_is_refused_with_the_sheet_too(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    outside = Question.objects.filter(quiz=jiangsu_quiz).exclude(pk__in=[i["q"] for i in attempt.paper]).first()
    data = answers(attempt)
    data[f"q_{outside.pk}"] = "A"
    with pytest.raises(DomainError) as error:
        submit_attempt(attempt.token, data, now=at(4, 10, 2))
    assert str(error.value) == f"提交的题目（编号 {outside.pk}）不在您的试卷上，答案未保存。"
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("open", None)


def test_the_submit_page_redirects_to_the_score(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 2), tick=False):
        response = client.post(reverse("quiz:submit", args=[attempt.token]), dict(answers(attempt).lists()))
    assert (response.status_code, response["Location"]) == (302, reverse("quiz:result", args=[attempt.token]))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("submitted", 50)


def test_the_papers_writes_need_no_csrf_token_since_the_token_in_the_url_is_their_only_authority(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    phone = Client(enforce_csrf_checks=True)  # a fresh browser: no cookie, no CSRF token
    data = dict(answers(attempt).lists())  # every letter of a multiple choice, as the page posts them
    with time_machine.travel(at(4, 10, 1), tick=False):
        saved = phone.post(reverse("quiz:save", args=[attempt.token]), data)
        submitted = phone.post(reverse("quiz:submit", args=[attempt.token]), data)
    assert (saved.status_code, saved.json()["ok"]) == (200, True)
    assert (submitted.status_code, submitted["Location"]) == (302, reverse("quiz:result", args=[attempt.token]))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("submitted", 50)


def test_forms_that_act_on_cookies_still_need_the_csrf_token(demo, jiangsu_quiz):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo.user("jiangsu_admin"))
    with time_machine.travel(at(4, 10), tick=False):
        started = browser.post(
            reverse("quiz:entry", args=[jiangsu_quiz.slug]),
            {"name": "张三", "phone": "13812345678", "org": demo.org("320100").pk},
        )
        drawn = browser.post(reverse("quiz:manage_draw", args=[jiangsu_quiz.pk]), {"prize_count": 1})
    assert (started.status_code, drawn.status_code) == (403, 403)
    assert not Attempt.objects.filter(quiz=jiangsu_quiz).exists()
