"""The quiz across devices with SMS: a code sent to the phone resumes the unsubmitted attempt, or shows the result,
on another device. The gateway is a real HTTP server on loopback (tests/notifications/conftest.py)."""

import datetime
import logging
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications.models import Channel, ChannelKind
from quiz.models import AccessCode, Attempt
from quiz.services.attempts import autosave, submit_attempt
from tests.notifications.conftest import gateway  # noqa: F401  (the loopback gateway fixture)
from tests.quiz.conftest import answers, at, make_quiz, start

PHONE = "13812345678"
ACCEPTED = (200, {"code": 0, "message_id": "sms-1"})


@pytest.fixture
def quiz(demo):
    # An hour to answer, so a code can expire (ten minutes) while the attempt is still open.
    return make_quiz(demo.jiangsu, question_count=10, time_limit_seconds=3600)


@pytest.fixture
def sms(gateway, quiz):  # noqa: F811
    """An SMS channel of the quiz's organizer, answered by a loopback gateway."""
    gw = gateway([ACCEPTED])
    Channel.objects.create(
        org=quiz.week.organizer,
        kind=ChannelKind.SMS,
        name="短信网关",
        url=gw.url + "/sms",
        secret="KEY-0123456789abcdef",
        config={"sign_name": "节能宣传周"},
    )
    return gw


def _code_of(request) -> str:
    return re.search(r"验证码 (\d{6})", request.json["content"]).group(1)


def _url(quiz, purpose):
    return reverse("quiz:resume" if purpose == "resume" else "quiz:lookup", args=[quiz.slug])


def _send(client, quiz, purpose="resume", phone=PHONE):
    return client.post(_url(quiz, purpose), {"phone": phone, "action": "send"})


def _verify(client, quiz, code, purpose="resume", phone=PHONE):
    return client.post(_url(quiz, purpose), {"phone": phone, "code": code, "action": "verify"})


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _started_with_answers(quiz, demo, phone=PHONE, when=None):
    """An attempt started on the first device (10:00 by default), five questions answered and saved 5 minutes on."""
    when = when or at(4, 10)
    attempt = start(quiz, demo, phone=phone, now=when)
    data = answers(attempt)
    for item in attempt.paper[5:]:
        del data[f"q_{item['q']}"]
    autosave(attempt.token, data, now=when + datetime.timedelta(minutes=5))
    attempt.refresh_from_db()
    return attempt


def test_a_second_device_continues_the_same_attempt_with_the_sms_code(demo, quiz, sms):
    attempt = _started_with_answers(quiz, demo)
    assert len(attempt.answers) == 5
    other = Client()
    with time_machine.travel(at(4, 10, 20), tick=False):
        entry = other.get(reverse("quiz:entry", args=[quiz.slug])).content.decode()
        assert f'href="{_url(quiz, "resume")}">继续作答</a>' in entry
        sent = _send(other, quiz)
        assert sent.status_code == 200
        assert "验证码已发送至 138****5678，10 分钟内有效。" in sent.content.decode()
        response = _verify(other, quiz, _code_of(sms.requests[0]))
    assert response.status_code == 302
    assert response.url == reverse("quiz:paper", args=[attempt.token])
    assert other.cookies[f"quiz_attempt_{quiz.pk}"].value == attempt.token
    resumed = Attempt.objects.get(quiz=quiz)
    assert (resumed.token, resumed.answers, resumed.deadline) == (attempt.token, attempt.answers, at(4, 11))
    with time_machine.travel(at(4, 10, 21), tick=False):
        page = other.get(response.url)
    assert (page.status_code, page.context["remaining"]) == (200, 39 * 60)
    assert sum(any(option["checked"] for option in item["options"]) for item in page.context["questions"]) == 5


def test_the_sms_carries_the_code_and_the_sign_and_the_database_only_its_hash(demo, quiz, sms, caplog):
    _started_with_answers(quiz, demo)
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(at(4, 10, 20), tick=False):
        _send(Client(), quiz)
    [request] = sms.requests
    code = _code_of(request)
    assert request.json["mobile"] == PHONE
    assert request.json["content"] == (
        f"【节能宣传周】验证码 {code}，用于在新设备上继续作答“{quiz.title}”，10 分钟内有效。如非本人操作，请忽略。"
    )
    row = AccessCode.objects.get()
    stored = [str(value) for value in AccessCode.objects.values_list().get()]
    assert not any(code in value for value in stored)
    assert (len(row.code_hash), row.tries, row.used_at, row.expires_at) == (64, 0, None, at(4, 10, 30))
    assert not any(code in record.getMessage() for record in caplog.records)


def test_a_wrong_code_is_refused_and_the_attempt_stays_closed_to_this_device(demo, quiz, sms):
    attempt = _started_with_answers(quiz, demo)
    other = Client()
    with time_machine.travel(at(4, 10, 20), tick=False):
        _send(other, quiz)
        response = _verify(other, quiz, _wrong(_code_of(sms.requests[0])))
    assert response.status_code == 400
    assert "<strong>验证码</strong>：验证码不正确，还可再试 4 次。" in response.content.decode()
    assert f"quiz_attempt_{quiz.pk}" not in other.cookies
    assert attempt.token not in response.content.decode()


def test_an_expired_code_is_refused(demo, quiz, sms):
    _started_with_answers(quiz, demo)
    other = Client()
    with time_machine.travel(at(4, 10, 20), tick=False) as traveller:
        _send(other, quiz)
        traveller.move_to(at(4, 10, 30))
        response = _verify(other, quiz, _code_of(sms.requests[0]))
    assert response.status_code == 400
    assert "<strong>验证码</strong>：验证码已过期（10 分钟内有效），请重新获取。" in response.content.decode()
    assert f"quiz_attempt_{quiz.pk}" not in other.cookies


def test_five_wrong_tries_void_the_code(demo, quiz, sms):
    attempt = _started_with_answers(quiz, demo)
    other = Client()
    with time_machine.travel(at(4, 10, 20), tick=False):
        _send(other, quiz)
        right = _code_of(sms.requests[0])
        said = [_verify(other, quiz, _wrong(right)).content.decode() for _try in range(5)]
        after = _verify(other, quiz, right)
    assert "<strong>验证码</strong>：验证码不正确，还可再试 1 次。" in said[3]
    assert "<strong>验证码</strong>：验证码错误次数过多，该验证码已作废，请重新获取。" in said[4]
    assert after.status_code == 400
    assert "<strong>验证码</strong>：错误次数过多，该验证码已作废，请重新获取。" in after.content.decode()
    assert AccessCode.objects.get().tries == 5
    assert f"quiz_attempt_{quiz.pk}" not in other.cookies
    assert attempt.token not in after.content.decode()


def test_codes_are_limited_to_one_a_minute_and_five_an_hour_per_phone(demo, quiz, sms):
    quiz.time_limit_seconds = 7200  # the attempt stays open past the hour
    quiz.save()
    _started_with_answers(quiz, demo)
    other = Client()
    statuses = []
    with time_machine.travel(at(4, 10, 10), tick=False) as traveller:
        for seconds in (0, 59, 60, 120, 180, 240, 300, 3599, 3601):
            traveller.move_to(at(4, 10, 10) + datetime.timedelta(seconds=seconds))
            statuses.append((seconds, _send(other, quiz).status_code))
    assert statuses == [
        (0, 200),
        (59, 400),
        (60, 200),
        (120, 200),
        (180, 200),
        (240, 200),
        (300, 400),
        (3599, 400),
        (3601, 200),
    ]
    assert len(sms.requests) == 6


def test_the_limits_are_worded_naming_the_phone(demo, quiz, sms):
    _started_with_answers(quiz, demo)
    other = Client()
    with time_machine.travel(at(4, 10, 10), tick=False) as traveller:
        too_soon = _send(other, quiz) and _send(other, quiz)
        for minute in range(1, 5):
            traveller.move_to(at(4, 10, 10 + minute))
            _send(other, quiz)
        traveller.move_to(at(4, 10, 15))
        too_many = _send(other, quiz)
    assert "<strong>手机号</strong>：验证码已发送到该手机号，请 60 秒后再重新获取。" in too_soon.content.decode()
    assert "<strong>手机号</strong>：该手机号一小时内最多获取 5 次验证码，请稍后再试。" in too_many.content.decode()


def test_a_new_code_voids_the_one_sent_before(demo, quiz, sms):
    _started_with_answers(quiz, demo)
    other = Client()
    with time_machine.travel(at(4, 10, 20), tick=False) as traveller:
        _send(other, quiz)
        traveller.move_to(at(4, 10, 21))
        _send(other, quiz)
        first, second = (_code_of(request) for request in sms.requests)
        refused = _verify(other, quiz, first) if first != second else None
        accepted = _verify(other, quiz, second)
    if refused is not None:
        assert "<strong>验证码</strong>：验证码不正确，还可再试 4 次。" in refused.content.decode()
    assert accepted.status_code == 302


def test_a_submitted_attempt_is_not_resumed_and_no_code_is_sent(demo, quiz, sms):
    attempt = _started_with_answers(quiz, demo)
    submit_attempt(attempt.token, None, now=at(4, 10, 10))
    with time_machine.travel(at(4, 10, 20), tick=False):
        response = _send(Client(), quiz)
    assert response.status_code == 400
    assert "<strong>手机号</strong>：该手机号在本次竞答中没有未交卷的答卷。" in response.content.decode()
    assert sms.requests == []


def test_an_attempt_submitted_after_its_code_was_sent_is_not_resumed(demo, quiz, sms):
    attempt = _started_with_answers(quiz, demo)
    other = Client()
    with time_machine.travel(at(4, 10, 20), tick=False):
        _send(other, quiz)
        submit_attempt(attempt.token, None, now=at(4, 10, 20))
        response = _verify(other, quiz, _code_of(sms.requests[0]))
    assert response.status_code == 400
    assert "<strong>手机号</strong>：该手机号在本次竞答中没有未交卷的答卷。" in response.content.decode()
    assert f"quiz_attempt_{quiz.pk}" not in other.cookies


def test_a_phone_without_an_attempt_gets_no_code(demo, quiz, sms):
    with time_machine.travel(at(4, 10, 20), tick=False):
        response = _send(Client(), quiz, phone="13900000009")
    assert "<strong>手机号</strong>：该手机号在本次竞答中没有未交卷的答卷。" in response.content.decode()
    assert (sms.requests, AccessCode.objects.count()) == ([], 0)


def test_resuming_is_refused_once_the_quiz_closed(demo, quiz, sms):
    other = Client()
    with time_machine.travel(at(5, 16, 50), tick=False) as traveller:
        _started_with_answers(quiz, demo, when=at(5, 16, 50))
        _send(other, quiz)
        traveller.move_to(at(5, 17, 0, 1))
        response = _verify(other, quiz, _code_of(sms.requests[0]))
    assert response.status_code == 400
    assert "竞答已于 07月05日 17:00 结束，不能再继续作答。" in response.content.decode()
    assert f"quiz_attempt_{quiz.pk}" not in other.cookies


def test_the_result_is_looked_up_on_another_device_with_the_code(demo, quiz, sms):
    attempt = _started_with_answers(quiz, demo)
    graded = submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 12))
    other = Client()
    with time_machine.travel(at(4, 12), tick=False):
        entry = other.get(reverse("quiz:entry", args=[quiz.slug])).content.decode()
        assert f'href="{_url(quiz, "result")}">查询成绩</a>' in entry
        _send(other, quiz, purpose="result")
        response = _verify(other, quiz, _code_of(sms.requests[0]), purpose="result")
        assert response.url == reverse("quiz:result", args=[attempt.token])
        page = other.get(response.url)
    assert "用于在新设备上查询成绩" in sms.requests[0].json["content"]
    assert (page.status_code, graded.score) == (200, 50)
    assert '<strong id="score">50</strong>' in page.content.decode()


def test_the_result_lookup_refuses_a_phone_without_a_submitted_attempt(demo, quiz, sms):
    _started_with_answers(quiz, demo)
    with time_machine.travel(at(4, 10, 20), tick=False):
        response = _send(Client(), quiz, purpose="result")
    assert "<strong>手机号</strong>：该手机号在本次竞答中还没有已交卷的成绩。" in response.content.decode()
    assert sms.requests == []


def test_with_sms_the_start_form_does_not_reopen_by_name_phone_and_unit(client, demo, quiz, sms):
    _started_with_answers(quiz, demo)
    with time_machine.travel(at(4, 10, 20), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[quiz.slug]), {"name": "张三", "phone": PHONE, "org": demo.org("320100").pk}
        )
    assert response.status_code == 400
    assert (
        "<strong>手机号</strong>：该手机号有一份未交卷的答卷：请点“继续作答”，用短信验证码在本设备继续。"
        in response.content.decode()
    )
    assert f"quiz_attempt_{quiz.pk}" not in client.cookies
