"""The demo data gains the 2020 quizzes with finished attempts and a recorded draw."""

from quiz import demo as quiz_demo
from quiz.models import Attempt, PrizeDraw, Question, Quiz
from quiz.services.draw import verify_draw
from quiz.services.participation import participation_by_org
from quiz.services.setup import sample_bank


def test_the_demo_loads_quizzes_attempts_and_a_reproducible_draw(demo):
    quiz_demo.load()
    national = Quiz.objects.get(slug="2020-national-quiz")
    jiangsu = Quiz.objects.get(slug="2020-jiangsu-quiz")
    assert national.activity == jiangsu.activity
    assert Question.objects.filter(quiz=national).count() == 88
    assert Attempt.objects.filter(quiz=national, status="submitted").count() == 80
    assert Attempt.objects.filter(quiz=jiangsu, status="submitted").count() == 50
    assert not Attempt.objects.filter(quiz=jiangsu).exclude(org__path__startswith="/100000/320000/").exists()
    draw = PrizeDraw.objects.get(quiz=national)
    assert len(draw.winners) == 10
    assert verify_draw(draw)
    rows = participation_by_org(demo.jiangsu, [demo.org("320000")])
    assert (
        rows[0]["count"] == 50 + Attempt.objects.filter(quiz=national, org__path__startswith="/100000/320000/").count()
    )


def test_the_fixture_bank_is_complete_and_consistent():
    bank = sample_bank()
    assert len(bank) >= 80
    assert {q["category"] for q in bank} == {"节能", "节水", "垃圾分类", "反食品浪费", "绿色出行", "政策法规", "活动周"}
    for q in bank:
        assert q["explanation"], q["text"]
        assert set(q["answer"]) <= set("ABCDEF"[: len(q["options"])]), q["text"]
