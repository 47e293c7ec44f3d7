"""One phone, one person: every way of typing a number is the same number before the unique constraint sees it."""

import threading

import pytest
import time_machine
from django.db import OperationalError, connection
from django.urls import reverse

from eventweek.errors import DomainError
from quiz.models import Attempt
from quiz.services.attempts import normalize_phone, start_attempt, submit_attempt
from tests.quiz.conftest import at, start

SPELLINGS = [
    "13900000020",
    "１３９００００００２０",  # full-width, as a Chinese input method types it
    "1390000002０",  # one full-width digit
    "139٠٠٠٠٠٠٢٠",  # Arabic-Indic digits: NFKC leaves them, the digit mapping does not
    "+86 139-0000-0020",
    "0086 (139) 0000.0020",
    "＋８６　１３９－００００－００２０",  # full-width plus, space and hyphen
    "139\u200b0000\u20140020",  # a zero-width space and an em dash pasted from a document
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_a_number_is_the_ascii_number(spelling):
    assert normalize_phone(spelling) == "13900000020"


@pytest.mark.parametrize(
    "spelling",
    ["1390000002", "139000000201", "23900000020", "8613900000020", "1390000002a", "１２９００００００２０", ""],
)
def test_what_is_not_a_mainland_mobile_number_is_refused(spelling):
    with pytest.raises(ValueError) as error:
        normalize_phone(spelling)
    assert str(error.value) == "手机号应为 11 位数字、以 1 开头，例如 13812345678。"


@pytest.mark.parametrize("spelling", SPELLINGS[1:])
def test_a_second_spelling_of_a_number_cannot_start_another_attempt(demo, national_quiz, spelling):
    first = start(national_quiz, demo, phone="13900000020", now=at(4, 10))
    submit_attempt(first.token, None, now=at(4, 10, 1))
    with pytest.raises(DomainError) as error:
        start(national_quiz, demo, phone=spelling, name="李四", now=at(4, 11))
    assert str(error.value) == "该手机号已参加过本次竞答（每人限答 1 次）。"
    assert list(Attempt.objects.values_list("phone", flat=True)) == ["13900000020"]


def test_a_full_width_number_typed_in_the_entry_form_is_stored_as_ascii(client, demo, national_quiz):
    with time_machine.travel(at(4, 10), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[national_quiz.slug]),
            {"name": "张三", "phone": "１３９ ００００ ００２０", "org": demo.org("320100").pk},
        )
    assert response.status_code == 302
    assert list(Attempt.objects.values_list("phone", flat=True)) == ["13900000020"]


def test_counting_used_attempts_finds_every_spelling(demo, national_quiz):
    national_quiz.attempts_per_person = 2
    national_quiz.save()
    for minute, spelling in enumerate(SPELLINGS[:2]):
        attempt = start(national_quiz, demo, phone=spelling, now=at(4, 10, minute * 2))
        submit_attempt(attempt.token, None, now=at(4, 10, minute * 2 + 1))
    with pytest.raises(DomainError) as error:
        start(national_quiz, demo, phone=SPELLINGS[3], now=at(4, 10, 5))
    assert str(error.value) == "该手机号已参加过本次竞答（每人限答 2 次）。"
    assert list(Attempt.objects.order_by("number").values_list("phone", "number")) == [
        ("13900000020", 1),
        ("13900000020", 2),
    ]


@pytest.mark.django_db(transaction=True)
def test_fifty_racing_starts_with_five_spellings_of_one_number_make_one_attempt(demo, national_quiz):
    racers = 50
    barrier = threading.Barrier(racers)
    results: list[str] = []
    org = demo.org("320100")
    spellings = SPELLINGS[:5]

    def race(i):
        try:
            barrier.wait()
            attempt = start_attempt(national_quiz, name=f"选手{i}", phone=spellings[i % 5], org=org, now=at(4, 10))
            results.append("ok:" + attempt.token)
        except DomainError as exc:
            results.append(str(exc))
        except OperationalError as exc:
            # The in-memory SQLite test database shares one cache between threads, where a writer meets "table is
            # locked" instead of waiting (a file database waits up to its busy timeout). PostgreSQL never gets here.
            results.append("locked" if connection.vendor == "sqlite" and "locked" in str(exc) else repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == racers
    assert sum(r.startswith("ok:") for r in results) == 1
    # A loser sees the finished-attempt message (the constraint fired) or the resume message (it saw the row).
    refusals = {"该手机号已参加过本次竞答（每人限答 1 次）。", "该手机号有一份未提交的答卷，请在原设备上继续答题。"}
    if connection.vendor == "sqlite":
        refusals.add("locked")
    assert {r for r in results if not r.startswith("ok:")} <= refusals
    assert list(Attempt.objects.filter(quiz=national_quiz).values_list("phone", flat=True)) == ["13900000020"]
