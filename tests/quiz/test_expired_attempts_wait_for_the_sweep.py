"""Attempts whose time ran out are finalised by the close task and the minute sweep, never by an organizer's page
view: the leaderboard says how many are not graded yet, and the draw waits for them."""

import pytest
import time_machine
from django.urls import reverse

from eventweek.errors import DomainError
from quiz import tasks
from quiz.models import Attempt
from quiz.services.attempts import autosave
from quiz.services.draw import run_draw
from tests.quiz.conftest import answers, at, finish, start


def _expired_with_saved_answers(quiz, demo):
    """An attempt started at 10:00 that saved every answer right and was never submitted (the phone went away)."""
    attempt = start(quiz, demo, phone="13900000099", name="李四")
    autosave(attempt.token, answers(attempt), now=at(4, 10, 1))
    return attempt


def test_the_leaderboard_does_not_grade_an_expired_attempt_and_says_it_waits(client_for, demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001", name="王芳")
    expired = _expired_with_saved_answers(jiangsu_quiz, demo)
    client = client_for(demo.user("jiangsu_admin"))
    with time_machine.travel(at(4, 12), tick=False):
        response = client.get(reverse("quiz:manage_leaderboard", args=[jiangsu_quiz.pk]))
    assert [row.name for row in response.context["rows"]] == ["王芳"]
    assert response.context["awaiting"] == 1
    assert "另有 1 份答卷已到时限、尚未评分" in response.content.decode()
    assert Attempt.objects.get(pk=expired.pk).status == Attempt.Status.OPEN
    with time_machine.travel(at(4, 12, 1), tick=False):
        assert tasks.finalize_expired_task() == 1
        response = client.get(reverse("quiz:manage_leaderboard", args=[jiangsu_quiz.pk]))
    assert [(row.name, row.score) for row in response.context["rows"]] == [("王芳", 50), ("李四", 50)]
    assert response.context["awaiting"] == 0
    assert "尚未评分" not in response.content.decode()


def test_the_draw_waits_for_expired_attempts_and_includes_them_after_the_sweep(demo, jiangsu_quiz):
    first = finish(jiangsu_quiz, demo, "13900000001")
    expired = _expired_with_saved_answers(jiangsu_quiz, demo)
    with pytest.raises(DomainError) as error:
        run_draw(jiangsu_quiz, prize_count=2, seed="s", now=at(6, 10))
    assert str(error.value) == "还有 1 份超时答卷等待系统自动交卷（每分钟处理一次），请稍后再抽奖。"
    assert Attempt.objects.get(pk=expired.pk).status == Attempt.Status.OPEN
    with time_machine.travel(at(6, 10), tick=False):
        tasks.finalize_expired_task()
    draw = run_draw(jiangsu_quiz, prize_count=2, seed="s", now=at(6, 10))
    assert draw.eligible == [first.pk, expired.pk]
