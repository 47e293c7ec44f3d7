"""Results: the leaderboard order, participation by unit, day and hour, per-question statistics, masked phones."""

import datetime

import time_machine
from django.urls import reverse

from eventweek.models import LOCAL_TZ
from quiz.models import ParticipationHour
from quiz.services.attempts import submit_attempt
from quiz.services.participation import participation_by_org, quiz_participation, refresh_participation
from quiz.services.results import leaderboard, question_stats, rank_of
from tests.quiz.conftest import answers, at, finish, only_active, start


def test_leaderboard_orders_by_score_then_time_then_earlier_finish(demo, jiangsu_quiz):
    slow = finish(jiangsu_quiz, demo, "13900000001", name="慢", seconds=300)
    late = finish(jiangsu_quiz, demo, "13900000002", name="晚", started=at(4, 11), seconds=100)
    early = finish(jiangsu_quiz, demo, "13900000003", name="早", started=at(4, 10), seconds=100)
    low = finish(jiangsu_quiz, demo, "13900000004", name="低", seconds=50, right=8)
    order = [a.name for a in leaderboard(jiangsu_quiz)]
    assert order == ["早", "晚", "慢", "低"]
    assert [rank_of(a) for a in (early, late, slow, low)] == [1, 2, 3, 4]


def test_participation_counts_units_with_their_descendants_and_rates(demo, jiangsu_quiz, national_quiz):
    finish(jiangsu_quiz, demo, "13900000001", org="320412001")  # Wujin hospital, under Changzhou
    finish(jiangsu_quiz, demo, "13900000002", org="320400")
    finish(jiangsu_quiz, demo, "13900000003", org="320100")
    finish(national_quiz, demo, "13900000004", org="320400")  # the parent week's quiz counts too
    finish(national_quiz, demo, "13900000005", org="360100")  # Jiangxi: outside Jiangsu
    with time_machine.travel(at(6, 9), tick=False):
        rows = participation_by_org(demo.jiangsu, [demo.org("320000"), demo.org("320400"), demo.org("320412")])
    # The headcount is the whole subtree's, like the count: Changzhou 24,000 + 武进 6,100 + 金坛 3,100 + 2,780.
    assert [(r["org"].code, r["count"], r["headcount"], r["units"], r["coverage"]) for r in rows] == [
        ("320000", 4, 324180, 18, ""),
        ("320400", 3, 35980, 5, ""),
        ("320412", 1, 8880, 3, ""),
    ]
    assert rows[0]["rate"] == 4 / 324180
    assert rows[1]["rate"] == 3 / 35980


def test_participation_by_org_defaults_to_the_organizer_and_its_children(demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001", org="320500")
    rows = participation_by_org(demo.jiangsu)
    assert [r["org"].code for r in rows][:3] == ["320000", "320100", "320200"]
    assert len(rows) == 14
    assert {r["org"].code: r["count"] for r in rows}["320500"] == 1
    no_headcount = demo.org("320500")
    no_headcount.headcount = None
    no_headcount.save()
    row = participation_by_org(demo.jiangsu, [no_headcount])[0]
    assert (row["count"], row["headcount"], row["rate"]) == (1, None, None)


def test_participation_by_day_and_hour_rolls_up_past_hours_once(demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001", started=at(4, 9, 10))
    finish(jiangsu_quiz, demo, "13900000002", started=at(4, 9, 50))
    finish(jiangsu_quiz, demo, "13900000003", started=at(4, 14, 5))
    finish(jiangsu_quiz, demo, "13900000004", started=at(5, 8, 30))
    first = quiz_participation(jiangsu_quiz, now=at(4, 15, 10))  # 9:00 and 14:00 rolled, none live
    assert ParticipationHour.objects.filter(quiz=jiangsu_quiz).count() == 2
    assert first["total"] == 4  # the 7/5 attempt is counted live
    data = quiz_participation(jiangsu_quiz, now=at(6, 12))
    assert data["total"] == 4
    assert data["by_day"] == [(datetime.date(2020, 7, 4), 3), (datetime.date(2020, 7, 5), 1)]
    assert [(r["hour"], r["count"]) for r in data["by_hour"]] == [
        (datetime.datetime(2020, 7, 4, 9, tzinfo=LOCAL_TZ), 2),
        (datetime.datetime(2020, 7, 4, 14, tzinfo=LOCAL_TZ), 1),
        (datetime.datetime(2020, 7, 5, 8, tzinfo=LOCAL_TZ), 1),
    ]
    assert sorted(ParticipationHour.objects.filter(quiz=jiangsu_quiz).values_list("count", flat=True)) == [1, 1, 2]
    assert refresh_participation(jiangsu_quiz, now=at(6, 12)) == 0


def test_question_statistics_count_correct_rate_and_picks(demo, jiangsu_quiz):
    only_active(jiangsu_quiz, category="活动周")
    jiangsu_quiz.question_count = 16
    jiangsu_quiz.save()
    a = start(jiangsu_quiz, demo, phone="13900000001")
    b = start(jiangsu_quiz, demo, phone="13900000002")
    submit_attempt(a.token, answers(a), now=at(4, 10, 3))
    submit_attempt(b.token, answers(b, lambda q: "A"), now=at(4, 10, 3))
    stats = {row["question"].text: row for row in question_stats(jiangsu_quiz)}
    theme = stats["2020年全国节能宣传周的主题是什么？"]  # answer A
    assert (theme["answered"], theme["correct"], theme["rate"]) == (2, 2, 1.0)
    assert [o["count"] for o in theme["options"]] == [2, 0, 0, 0]
    edition = stats["2020年全国节能宣传周是第几个全国节能宣传周？"]  # answer C
    assert (edition["answered"], edition["correct"], edition["rate"]) == (2, 1, 0.5)
    assert [o["count"] for o in edition["options"]] == [1, 0, 1, 0]
    five = stats["2020年公共机构节能宣传周组织的五项线上活动包括哪些？"]  # ABCD
    assert (five["correct"], [o["count"] for o in five["options"]]) == (1, [2, 1, 1, 1])


def test_phones_are_masked_on_public_pages_but_shown_to_the_organizer(client, client_for, demo, jiangsu_quiz):
    attempt = finish(jiangsu_quiz, demo, "13812345678")
    public = client.get(reverse("quiz:result", args=[attempt.token])).content.decode()
    assert "138****5678" in public
    assert "13812345678" not in public
    manager = client_for(demo.user("jiangsu_admin"))
    board = manager.get(reverse("quiz:manage_leaderboard", args=[jiangsu_quiz.pk])).content.decode()
    assert "13812345678" in board


def test_leaderboard_and_participation_pages_keep_a_constant_query_count(
    client_for, demo, jiangsu_quiz, django_assert_num_queries
):
    client = client_for(demo.user("jiangsu_admin"))
    for i in range(3):
        finish(jiangsu_quiz, demo, f"1390000000{i}", org=["320100", "320200", "320412001"][i])
    with time_machine.travel(at(5, 12), tick=False):
        client.get(reverse("quiz:manage_participation", args=[jiangsu_quiz.pk]))  # rolls the past hours up
        with django_assert_num_queries(6):
            client.get(reverse("quiz:manage_leaderboard", args=[jiangsu_quiz.pk]))
        with django_assert_num_queries(9):  # the score distribution is one grouped query
            client.get(reverse("quiz:manage_participation", args=[jiangsu_quiz.pk]))
        for i in range(3, 9):
            finish(jiangsu_quiz, demo, f"1390000000{i}", org="320500", started=at(5, 11, 30))
        client.get(reverse("quiz:manage_participation", args=[jiangsu_quiz.pk]))
        with django_assert_num_queries(6):
            response = client.get(reverse("quiz:manage_leaderboard", args=[jiangsu_quiz.pk]))
        assert len(response.context["rows"]) == 9
        with django_assert_num_queries(9):
            response = client.get(reverse("quiz:manage_participation", args=[jiangsu_quiz.pk]))
        assert response.context["data"]["total"] == 9


def test_the_rollup_task_rolls_up_past_hours_of_started_quizzes(demo, jiangsu_quiz, national_quiz):
    from quiz import tasks

    finish(jiangsu_quiz, demo, "13900000001", started=at(4, 9, 10))
    finish(national_quiz, demo, "13900000002", started=at(4, 10, 10))
    with time_machine.travel(at(4, 12), tick=False):
        assert tasks.refresh_participation_task() == 2
        assert tasks.refresh_participation_task() == 0
    assert sorted(ParticipationHour.objects.values_list("quiz__slug", "count")) == [
        ("2020-jiangsu-quiz", 1),
        ("2020-national-quiz", 1),
    ]
