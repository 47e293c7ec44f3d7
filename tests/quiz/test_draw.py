"""The prize draw records its seed and eligible list, so anyone can re-run it and get the same winners."""

import random

import pytest

from eventweek.errors import DomainError
from quiz.models import PrizeDraw
from quiz.services.draw import pick_winners, run_draw, verify_draw
from tests.quiz.conftest import at, finish

AFTER = at(6, 10)


@pytest.fixture
def results(demo, jiangsu_quiz):
    full = [finish(jiangsu_quiz, demo, f"1390000{i:04d}", seconds=100 + i) for i in range(12)]
    partial = [finish(jiangsu_quiz, demo, f"1370000{i:04d}", right=9) for i in range(5)]
    return full, partial


def test_only_full_marks_are_eligible_by_default(jiangsu_quiz, results):
    full, _partial = results
    draw = run_draw(jiangsu_quiz, prize_count=3, seed="20200706", now=AFTER)
    assert draw.eligible == sorted(a.pk for a in full)
    assert draw.min_score == 50
    assert len(draw.winners) == 3
    assert set(draw.winners) <= set(draw.eligible)


def test_the_draw_is_reproduced_from_its_seed_and_eligible_list(jiangsu_quiz, results):
    draw = run_draw(jiangsu_quiz, prize_count=4, seed="股市收盘 3210.10", now=AFTER)
    stored = PrizeDraw.objects.get(pk=draw.pk)
    assert random.Random("股市收盘 3210.10").sample(sorted(stored.eligible), 4) == stored.winners
    assert verify_draw(stored) is True
    again = run_draw(jiangsu_quiz, prize_count=4, seed="股市收盘 3210.10", now=AFTER)
    assert again.winners == draw.winners
    stored.winners = list(reversed(stored.winners))
    assert verify_draw(stored) is False


def test_a_blank_seed_is_generated_and_recorded(jiangsu_quiz, results):
    draw = run_draw(jiangsu_quiz, prize_count=2, seed="", now=AFTER)
    assert len(draw.seed) == 32
    assert pick_winners(draw.seed, draw.eligible, 2) == draw.winners


def test_a_lower_threshold_widens_the_eligible_list(jiangsu_quiz, results):
    full, partial = results
    jiangsu_quiz.prize_min_score = 45
    jiangsu_quiz.save()
    draw = run_draw(jiangsu_quiz, prize_count=20, seed="s", now=AFTER)
    assert sorted(draw.winners) == sorted(a.pk for a in full + partial)


def test_drawing_before_the_window_closes_is_refused(jiangsu_quiz, results):
    with pytest.raises(DomainError) as error:
        run_draw(jiangsu_quiz, prize_count=3, seed="s", now=at(5, 16))
    assert str(error.value) == "竞答尚未结束，结束后才能抽奖。"


def test_drawing_with_nobody_eligible_is_refused(demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001", right=0)
    with pytest.raises(DomainError) as error:
        run_draw(jiangsu_quiz, prize_count=3, seed="s", now=AFTER)
    assert str(error.value) == "没有达到获奖资格（50 分及以上）的答卷，无法抽奖。"
    assert PrizeDraw.objects.count() == 0
