"""The result page's rank: "第 N 名 / 共 M 人", in the leaderboard's order (score, then less time, then the earlier
finish), thousands separated."""

import datetime

import time_machine
from django.urls import reverse

from quiz.models import Attempt
from quiz.services.results import leaderboard, masked_name, standing
from tests.quiz.conftest import at, finish


def _crowd(quiz, demo, n: int) -> None:
    """n submitted attempts in one insert: scores 0–50, times 60–119 s, finishing one second apart from 7/4 09:00."""
    org = demo.org("320100")
    opened = at(4, 9)
    Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            name="路人",
            phone=f"137{i:08d}",
            org=org,
            paper=[],
            started_at=opened,
            deadline=opened + datetime.timedelta(minutes=10),
            status=Attempt.Status.SUBMITTED,
            submitted_at=opened + datetime.timedelta(seconds=i),
            score=(i % 11) * 5,
            max_score=50,
            duration_ms=60_000 + (i % 60) * 1000,
        )
        for i in range(n)
    )


def test_the_result_page_gives_the_rank_in_the_leaderboards_order_with_thousands_separated(client, demo, jiangsu_quiz):
    _crowd(jiangsu_quiz, demo, 1200)
    mine = finish(jiangsu_quiz, demo, "13812345678", right=9, seconds=100)  # 45 points in 100 s
    order = [a.pk for a in leaderboard(jiangsu_quiz, 5000)]
    # Ahead: the 109 full marks, the 73 who also scored 45 in less than 100 s, and the 2 who took exactly 100 s
    # but finished earlier (the crowd finished before 10:00).
    full = Attempt.objects.filter(quiz=jiangsu_quiz, score=50).count()
    faster = Attempt.objects.filter(quiz=jiangsu_quiz, score=45, duration_ms__lt=100_000).count()
    tied = Attempt.objects.filter(quiz=jiangsu_quiz, score=45, duration_ms=100_000).exclude(pk=mine.pk).count()
    assert (full, faster, tied) == (109, 73, 2)
    assert order.index(mine.pk) + 1 == 185
    with time_machine.travel(at(4, 12), tick=False):
        html = client.get(reverse("quiz:result", args=[mine.token])).content.decode()
    assert '<p class="quiz-rank" id="rank">第 185 名 / 共 1,201 人</p>' in html


def test_ties_on_score_and_time_go_to_the_earlier_finish(demo, jiangsu_quiz):
    first = finish(jiangsu_quiz, demo, "13900000001", right=10, seconds=120, started=at(4, 10))
    second = finish(jiangsu_quiz, demo, "13900000002", right=10, seconds=120, started=at(4, 10, 5))
    faster = finish(jiangsu_quiz, demo, "13900000003", right=10, seconds=90, started=at(4, 11))
    slower = finish(jiangsu_quiz, demo, "13900000004", right=10, seconds=200, started=at(4, 11))
    lower = finish(jiangsu_quiz, demo, "13900000005", right=9, seconds=30, started=at(4, 11))
    assert [a.pk for a in leaderboard(jiangsu_quiz)] == [faster.pk, first.pk, second.pk, slower.pk, lower.pk]
    assert [standing(a)["text"] for a in (faster, first, second, slower, lower)] == [
        "第 1 名 / 共 5 人",
        "第 2 名 / 共 5 人",
        "第 3 名 / 共 5 人",
        "第 4 名 / 共 5 人",
        "第 5 名 / 共 5 人",
    ]


def test_a_name_is_masked_to_its_first_character():
    assert [masked_name(n) for n in ("张三", "欧阳小明", "李", " 王五 ")] == ["张*", "欧***", "李*", "王*"]
