"""Quiz settings the bank cannot satisfy are refused at save, with the counts, for the organizer who owns the bank;
a participant who meets a bank changed since then is never shown its counts."""

import time_machine
from django.forms.models import model_to_dict
from django.urls import reverse

from quiz.models import Attempt, Question, Quiz
from quiz.services.bank_cache import bump_bank_version
from quiz.services.setup import save_quiz
from tests.quiz.conftest import at

OWNER = "jiangsu_admin"


def _settings(quiz, **changes):
    """The settings form as the organizer posts it, with changes."""
    data = {
        key: value
        for key, value in model_to_dict(quiz).items()
        if key not in ("paper_spec", "week", "id") and value is not None
    }
    data.update(activity=quiz.activity_id, opens_at="", closes_at="", paper_spec_text="", prize_min_score="")
    for flag in ("shuffle_questions", "shuffle_options"):
        data[flag] = "on" if data[flag] else ""
    data.update(changes)
    return data


def test_a_category_spec_larger_than_the_bank_is_refused_with_its_count(client_for, demo, jiangsu_quiz):
    before = Quiz.objects.values().get(pk=jiangsu_quiz.pk)
    client = client_for(demo.user(OWNER))
    url = reverse("quiz:manage_settings", args=[jiangsu_quiz.pk])
    response = client.post(url, _settings(jiangsu_quiz, paper_spec_text="节能:500\n节水:3\n低碳:2"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>按分类抽题</strong>：分类“节能”要抽 500 道，题库中该分类只有 16 道启用题目。" in page
    assert "<strong>按分类抽题</strong>：分类“低碳”要抽 2 道，题库中该分类只有 0 道启用题目。" in page
    assert "分类“节水”" not in page
    assert Quiz.objects.values().get(pk=jiangsu_quiz.pk) == before


def test_a_question_count_larger_than_the_bank_is_refused_with_its_count(client_for, demo, jiangsu_quiz):
    Question.objects.filter(quiz=jiangsu_quiz, category="节能").update(active=False)  # 72 of 88 stay active
    client = client_for(demo.user(OWNER))
    url = reverse("quiz:manage_settings", args=[jiangsu_quiz.pk])
    page = client.post(url, _settings(jiangsu_quiz, question_count=73)).content.decode()
    assert "<strong>每卷题数</strong>：每卷 73 道题，题库中只有 72 道启用题目，请先导入题目或减少题数。" in page
    assert Quiz.objects.get(pk=jiangsu_quiz.pk).question_count == 10
    assert client.post(url, _settings(jiangsu_quiz, question_count=72)).status_code == 302
    assert Quiz.objects.get(pk=jiangsu_quiz.pk).question_count == 72


def test_a_spec_the_bank_can_fill_saves(client_for, demo, jiangsu_quiz):
    client = client_for(demo.user(OWNER))
    url = reverse("quiz:manage_settings", args=[jiangsu_quiz.pk])
    assert client.post(url, _settings(jiangsu_quiz, paper_spec_text="节能:16\n节水:12")).status_code == 302
    assert Quiz.objects.get(pk=jiangsu_quiz.pk).paper_spec == {"节能": 16, "节水": 12}


def test_a_participant_never_sees_the_bank_counts_when_the_bank_shrank_after_saving(
    client, client_for, demo, jiangsu_quiz
):
    jiangsu_quiz.paper_spec = {"节能": 16}
    save_quiz(jiangsu_quiz)
    Question.objects.filter(quiz=jiangsu_quiz, category="节能", sort_order__gte=8).update(active=False)
    bump_bank_version(jiangsu_quiz.pk)
    with time_machine.travel(at(4, 10), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[jiangsu_quiz.slug]),
            {"name": "张三", "phone": "13812345678", "org": demo.org("320100").pk},
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "本次竞答的题目尚未准备好，暂时不能开始答题，请稍后再试或联系主办单位。" in page
    assert ("启用题目" in page, "8 道" in page, "分类" in page) == (False, False, False)
    assert Attempt.objects.count() == 0
    overview = client_for(demo.user(OWNER)).get(reverse("quiz:manage_quiz", args=[jiangsu_quiz.pk])).content.decode()
    assert "<li>分类“节能”要抽 16 道，题库中该分类只有 8 道启用题目。</li>" in overview
