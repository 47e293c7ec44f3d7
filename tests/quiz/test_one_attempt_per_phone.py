"""One phone number is one person per quiz: a database constraint, also when two requests race."""

import threading

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from eventweek.errors import DomainError
from quiz.models import Attempt
from quiz.services.attempts import start_attempt, submit_attempt
from tests.quiz.conftest import at, start


def test_a_second_attempt_with_the_same_phone_is_refused(demo, national_quiz):
    first = start(national_quiz, demo, now=at(4, 10))
    submit_attempt(first.token, None, now=at(4, 10, 1))
    with pytest.raises(DomainError) as error:
        start(national_quiz, demo, phone="138 1234 5678", name="李四", now=at(4, 11))
    assert str(error.value) == "该手机号已参加过本次竞答（每人限答 1 次）。"
    assert Attempt.objects.filter(quiz=national_quiz).count() == 1


def test_an_open_attempt_must_be_resumed_not_restarted(demo, national_quiz):
    start(national_quiz, demo, now=at(4, 10))
    with pytest.raises(DomainError) as error:
        start(national_quiz, demo, now=at(4, 10, 2))
    assert str(error.value) == "该手机号有一份未提交的答卷，请在原设备上继续答题。"


def test_the_same_phone_may_take_another_quiz(demo, national_quiz, jiangsu_quiz):
    start(national_quiz, demo, now=at(4, 10))
    assert start(jiangsu_quiz, demo, now=at(4, 10)).number == 1


def test_two_attempts_are_allowed_when_configured(demo, national_quiz):
    national_quiz.attempts_per_person = 2
    national_quiz.save()
    first = start(national_quiz, demo, now=at(4, 10))
    submit_attempt(first.token, None, now=at(4, 10, 1))
    assert start(national_quiz, demo, now=at(4, 10, 2)).number == 2


def test_the_database_refuses_a_duplicate_row(demo, national_quiz):
    attempt = start(national_quiz, demo, now=at(4, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            quiz=national_quiz, name="王五", phone=attempt.phone, org=attempt.org, number=1, deadline=attempt.deadline
        )


def test_an_invalid_phone_gets_a_message_naming_the_field(client, demo, national_quiz):
    with time_machine.travel(at(4, 10), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[national_quiz.slug]),
            {"name": "张三", "phone": "1381234", "org": demo.org("320100").pk},
        )
    assert response.status_code == 400
    assert "<strong>手机号</strong>：手机号应为 11 位数字、以 1 开头，例如 13812345678。" in response.content.decode()
    assert Attempt.objects.count() == 0


def test_the_entry_form_sets_a_token_cookie_and_never_puts_the_phone_in_the_url(client, demo, national_quiz):
    with time_machine.travel(at(4, 10), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[national_quiz.slug]),
            {"name": "张三", "phone": "13812345678", "org": demo.org("320100").pk},
        )
    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:paper", args=[attempt.token])
    assert "13812345678" not in response["Location"]
    assert response.cookies[f"quiz_attempt_{national_quiz.pk}"].value == attempt.token
    assert len(attempt.token) >= 32


def test_a_second_start_through_the_form_shows_the_message(client, demo, national_quiz):
    start(national_quiz, demo, now=at(4, 9, 30))
    with time_machine.travel(at(4, 10), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[national_quiz.slug]),
            {"name": "张三", "phone": "13812345678", "org": demo.org("320100").pk},
        )
    assert response.status_code == 400
    assert "该手机号已参加过本次竞答（每人限答 1 次）。" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_racing_starts_with_one_phone_create_one_attempt(demo, national_quiz):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers, so the race cannot happen there; this runs on PostgreSQL in CI")
    racers = 8
    barrier = threading.Barrier(racers)
    results: list[str] = []
    org = demo.org("320100")

    def race(i):
        try:
            barrier.wait()
            attempt = start_attempt(national_quiz, name=f"选手{i}", phone="13912345678", org=org, now=at(4, 10))
            results.append("ok:" + attempt.token)
        except DomainError as exc:
            results.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.startswith("ok:") for r in results) == 1
    # A loser sees either the finished-attempt message (the constraint fired) or the resume message (it saw the row).
    losers = {r for r in results if not r.startswith("ok:")}
    assert len(results) == racers
    assert losers <= {
        "该手机号已参加过本次竞答（每人限答 1 次）。",
        "该手机号有一份未提交的答卷，请在原设备上继续答题。",
    }
    assert Attempt.objects.filter(quiz=national_quiz, phone="13912345678").count() == 1
