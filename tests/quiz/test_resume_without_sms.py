"""The quiz across devices without SMS: the same name, phone and unit reopen the unsubmitted attempt (the entry page
says so); a different name or unit is refused, a submitted attempt is never reopened, and no result is looked up."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications.models import Channel, ChannelKind
from quiz.models import Attempt
from quiz.services.attempts import autosave, submit_attempt
from tests.quiz.conftest import answers, at, start

PHONE = "13812345678"


def _started_with_answers(quiz, demo):
    """An attempt started at 10:00 on the first device by 张三 of 320100, five questions saved at 10:05."""
    attempt = start(quiz, demo, phone=PHONE, name="张三", org="320100", now=at(4, 10))
    data = answers(attempt)
    for item in attempt.paper[5:]:
        del data[f"q_{item['q']}"]
    autosave(attempt.token, data, now=at(4, 10, 5))
    attempt.refresh_from_db()
    return attempt


def _start_again(client, quiz, demo, *, name="张三", phone=PHONE, org="320100", when=None):
    with time_machine.travel(when or at(4, 10, 7), tick=False):
        return client.post(
            reverse("quiz:entry", args=[quiz.slug]), {"name": name, "phone": phone, "org": demo.org(org).pk}
        )


def test_the_same_name_phone_and_unit_reopen_the_unsubmitted_attempt(demo, jiangsu_quiz):
    attempt = _started_with_answers(jiangsu_quiz, demo)
    other = Client()
    response = _start_again(other, jiangsu_quiz, demo, phone="138 1234 5678", name=" 张三 ")
    assert response.status_code == 302
    assert response.url == reverse("quiz:paper", args=[attempt.token])
    assert other.cookies[f"quiz_attempt_{jiangsu_quiz.pk}"].value == attempt.token
    reopened = Attempt.objects.get(quiz=jiangsu_quiz)
    assert (reopened.token, reopened.answers, reopened.deadline) == (attempt.token, attempt.answers, at(4, 10, 10))
    with time_machine.travel(at(4, 10, 8), tick=False):
        page = other.get(response.url)
    assert (page.status_code, page.context["remaining"]) == (200, 120)


def test_the_entry_page_says_the_same_details_reopen_an_attempt(client, jiangsu_quiz):
    with time_machine.travel(at(4, 10), tick=False):
        page = client.get(reverse("quiz:entry", args=[jiangsu_quiz.slug])).content.decode()
    assert "同一姓名、手机号和单位可继续未交卷的答卷（答题截止时间不变）。" in page
    assert reverse("quiz:resume", args=[jiangsu_quiz.slug]) not in page


@pytest.mark.parametrize(("name", "org"), [("李四", "320100"), ("张三", "320200")])
def test_a_different_name_or_unit_is_refused(demo, jiangsu_quiz, name, org):
    attempt = _started_with_answers(jiangsu_quiz, demo)
    other = Client()
    response = _start_again(other, jiangsu_quiz, demo, name=name, org=org)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<li>姓名或单位与该手机号开始答题时填写的不一致，不能继续未交卷的答卷。</li>" in page
    assert attempt.token not in page
    assert f"quiz_attempt_{jiangsu_quiz.pk}" not in other.cookies


def test_a_submitted_attempt_is_not_reopened(demo, jiangsu_quiz):
    attempt = _started_with_answers(jiangsu_quiz, demo)
    submit_attempt(attempt.token, None, now=at(4, 10, 6))
    other = Client()
    response = _start_again(other, jiangsu_quiz, demo)
    assert response.status_code == 400
    assert "<li>该手机号已参加过本次竞答（每人限答 1 次）。</li>" in response.content.decode()
    assert f"quiz_attempt_{jiangsu_quiz.pk}" not in other.cookies


def test_an_attempt_whose_time_ran_out_is_submitted_not_reopened(demo, jiangsu_quiz):
    attempt = _started_with_answers(jiangsu_quiz, demo)
    response = _start_again(Client(), jiangsu_quiz, demo, when=attempt.deadline + datetime.timedelta(minutes=1))
    assert response.status_code == 400
    assert "<li>该手机号已参加过本次竞答（每人限答 1 次）。</li>" in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.status, attempt.auto_submitted) == (Attempt.Status.SUBMITTED, True)


def test_the_result_is_not_looked_up_on_another_device_without_sms(client, demo, jiangsu_quiz):
    with time_machine.travel(at(4, 12), tick=False):
        page = client.get(reverse("quiz:lookup", args=[jiangsu_quiz.slug]))
        sent = client.post(reverse("quiz:lookup", args=[jiangsu_quiz.slug]), {"phone": PHONE, "action": "send"})
    refusal = "本次竞答未开通短信验证码，不能在其他设备查询成绩；请用交卷时的浏览器打开竞答首页查看。"
    assert (page.status_code, sent.status_code) == (200, 400)
    assert refusal in page.content.decode() and refusal in sent.content.decode()


def test_a_disabled_sms_channel_counts_as_none(demo, jiangsu_quiz):
    Channel.objects.create(
        org=jiangsu_quiz.week.organizer,
        kind=ChannelKind.SMS,
        name="停用的网关",
        url="http://127.0.0.1:9/",
        enabled=False,
    )
    attempt = _started_with_answers(jiangsu_quiz, demo)
    response = _start_again(Client(), jiangsu_quiz, demo)
    assert response.url == reverse("quiz:paper", args=[attempt.token])
