"""The autosave endpoint answers JSON with a Chinese message on every error: quiz.js shows the message, and an HTML
error page would read to it as a lost network."""

import json
import logging

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from quiz.models import Attempt
from quiz.services.attempts import submit_attempt
from tests.quiz.conftest import answers, at, start


@pytest.fixture
def attempt(demo, jiangsu_quiz):
    return start(jiangsu_quiz, demo, now=at(4, 10))


def _json(response) -> tuple[int, str, dict]:
    return response.status_code, response["Content-Type"], json.loads(response.content)


def _url(token):
    return reverse("quiz:save", args=[token])


def test_a_get_is_405_in_json(client, attempt):
    response = client.get(_url(attempt.token))
    assert _json(response) == (405, "application/json", {"ok": False, "error": "自动保存只接受 POST 请求。"})
    assert response["Allow"] == "POST"


def test_an_unknown_token_is_404_in_json(client, attempt):
    response = client.post(_url("no-such-token"), {"token": "no-such-token"})
    assert _json(response) == (404, "application/json", {"ok": False, "error": "没有这份答卷。"})


def test_a_form_token_that_is_not_the_attempts_is_403_in_json(client, attempt):
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.post(_url(attempt.token), answers(attempt, token="x" * 32))
    assert _json(response) == (
        403,
        "application/json",
        {"ok": False, "error": "表单中的答卷标识与本答卷不符，请刷新页面后重试。"},
    )
    assert Attempt.objects.get().answers == {}


def test_an_option_the_question_does_not_have_is_400_in_json(client, attempt):
    first = attempt.paper[0]["q"]
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.post(_url(attempt.token), {"token": attempt.token, f"q_{first}": "Z"})
    assert _json(response) == (400, "application/json", {"ok": False, "error": "第 1 题的选项“Z”不存在，答案未保存。"})


def test_a_save_after_the_time_limit_is_400_in_json(client, attempt):
    with time_machine.travel(at(4, 10, 10, 11), tick=False):
        response = client.post(_url(attempt.token), answers(attempt))
    assert _json(response) == (400, "application/json", {"ok": False, "error": "已超过答题时限，答案未保存。"})
    assert Attempt.objects.get().answers == {}


def test_a_save_after_submitting_is_400_in_json(client, attempt):
    submit_attempt(attempt.token, None, now=at(4, 10, 1))
    with time_machine.travel(at(4, 10, 2), tick=False):
        response = client.post(_url(attempt.token), answers(attempt))
    assert _json(response) == (400, "application/json", {"ok": False, "error": "答卷已提交，不能再修改答案。"})


def test_a_post_without_a_csrf_token_is_saved_since_the_attempt_token_authorizes_it(attempt):
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(at(4, 10, 1), tick=False):
        saved = client.post(_url(attempt.token), answers(attempt))
        refused = client.post(_url("no-such-token"), {"token": "no-such-token"})
    assert _json(saved) == (200, "application/json", {"ok": True, "saved_at": "10:01:00", "remaining": 540})
    assert _json(refused) == (404, "application/json", {"ok": False, "error": "没有这份答卷。"})
    assert len(Attempt.objects.get().answers) == 10


UNREADABLE = {"ok": False, "error": "提交的内容无法读取，答案未保存，请刷新页面后重试。"}


def test_too_many_fields_are_400_in_json(client, attempt, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.post(_url(attempt.token), answers(attempt))
    assert _json(response) == (400, "application/json", UNREADABLE)
    assert Attempt.objects.get().answers == {}


def test_a_body_over_the_upload_limit_is_400_in_json(client, attempt, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.post(_url(attempt.token), answers(attempt))
    assert _json(response) == (400, "application/json", UNREADABLE)


def test_a_malformed_multipart_body_is_400_in_json(client, attempt):
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.post(_url(attempt.token), "token=x", content_type="multipart/form-data")
    assert _json(response) == (400, "application/json", UNREADABLE)


def test_an_unexpected_failure_is_500_in_json_and_logged(client, attempt, caplog):
    # A paper stored in a shape the code does not expect (no option orders): a real fault, not a refusal.
    Attempt.objects.filter(pk=attempt.pk).update(paper=[{"q": item["q"]} for item in attempt.paper])
    with time_machine.travel(at(4, 10, 1), tick=False), caplog.at_level(logging.ERROR, logger="quiz.views"):
        response = client.post(_url(attempt.token), answers(attempt, sheet=False))
    assert _json(response) == (500, "application/json", {"ok": False, "error": "服务器出错，答案未保存，请稍后再试。"})
    ours = [(r.getMessage(), r.exc_info[0]) for r in caplog.records if r.name == "quiz.views"]
    assert ours == [(f"autosave of {attempt.token[:8]} failed", KeyError)]
