"""Quiz starts are limited per client address (QUIZ_START_RATE), generously, with a Chinese 429 page."""

import datetime
import secrets

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from eventweek.env import env_rate
from quiz.models import Attempt
from tests.quiz.conftest import DURING

LIMITED = "同一网络开始答题的次数太多，请 10 分钟后再试。"


def _address() -> str:
    # The counters live in Django's cache, which on Redis outlives the test run: a fresh address per run.
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def _start(client, quiz, demo, phone, address):
    return client.post(
        reverse("quiz:entry", args=[quiz.slug]),
        {"name": "张三", "phone": phone, "org": demo.org("320100").pk},
        REMOTE_ADDR=address,
    )


def test_starts_beyond_the_rate_from_one_address_get_a_chinese_429_until_the_window_ends(
    client, demo, national_quiz, settings
):
    settings.QUIZ_START_RATE = (3, 600)
    building, elsewhere = _address(), _address()
    with time_machine.travel(DURING, tick=False) as traveller:
        codes = [_start(client, national_quiz, demo, f"1381234500{i}", building).status_code for i in range(3)]
        refused = _start(client, national_quiz, demo, "13812345003", building)
        other_address = _start(client, national_quiz, demo, "13812345004", elsewhere)
        traveller.shift(datetime.timedelta(minutes=10))
        next_window = _start(client, national_quiz, demo, "13812345005", building)

    assert codes == [302, 302, 302]
    assert refused.status_code == 429
    assert LIMITED in refused.content.decode()
    assert other_address.status_code == 302
    assert next_window.status_code == 302
    assert sorted(Attempt.objects.values_list("phone", flat=True)) == [
        "13812345000",
        "13812345001",
        "13812345002",
        "13812345004",
        "13812345005",
    ]


def test_quiz_start_rate_is_read_as_count_per_period_and_a_malformed_one_fails_loudly(monkeypatch):
    monkeypatch.setenv("QUIZ_START_RATE", "30/1h")
    parsed = env_rate("QUIZ_START_RATE", "600/10m")
    monkeypatch.setenv("QUIZ_START_RATE", "600 per minute")

    assert parsed == (30, 3600)
    assert env_rate("EVENTWEEK_UNSET_VARIABLE", "600/10m") == (600, 600)
    with pytest.raises(ImproperlyConfigured, match="QUIZ_START_RATE='600 per minute' is not a rate such as 600/10m"):
        env_rate("QUIZ_START_RATE", "600/10m")
