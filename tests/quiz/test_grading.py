"""Grading is server-side; multiple choice is all or nothing; answers outside the paper are refused."""

import pytest
from django.http import QueryDict

from eventweek.errors import DomainError
from quiz.models import Question
from quiz.services.attempts import save_answers, submit_attempt
from quiz.services.grading import grade
from tests.quiz.conftest import answers, at, only_active, start


@pytest.fixture
def attempt(demo, jiangsu_quiz):
    only_active(jiangsu_quiz, kind="multiple")
    return start(jiangsu_quiz, demo, now=at(4, 10))


def _post(attempt, **fields) -> QueryDict:
    data = QueryDict(mutable=True)
    data["token"] = attempt.token
    for key, values in fields.items():
        data.setlist(key, values)
    return data


def test_multiple_choice_counts_only_the_exact_set(attempt):
    question = Question.objects.get(pk=attempt.paper[0]["q"])
    key = list(question.answer)
    assert grade(attempt, {str(question.pk): "".join(key)})[0] == 1
    assert grade(attempt, {str(question.pk): "".join(reversed(key))})[0] == 1  # order does not matter
    assert grade(attempt, {str(question.pk): "".join(key[:-1])})[0] == 0  # part of the key
    extra = [letter for letter in question.letters if letter not in key]
    if extra:
        assert grade(attempt, {str(question.pk): "".join(key + extra[:1])})[0] == 0  # one too many
    assert grade(attempt, {})[0] == 0


def test_a_paper_with_every_multiple_choice_half_right_scores_zero(attempt):
    graded = submit_attempt(attempt.token, answers(attempt, lambda q: q.answer[:-1]), now=at(4, 10, 3))
    assert (graded.score, graded.correct_count) == (0, 0)
    graded.refresh_from_db()
    assert graded.correct_questions == []
    assert len(graded.answers) == 10


def test_a_full_paper_scores_full_marks_and_records_each_answer(attempt):
    graded = submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 3))
    assert (graded.score, graded.max_score, graded.correct_count) == (50, 50, 10)
    graded.refresh_from_db()
    assert graded.correct_questions == [item["q"] for item in attempt.paper]
    keys = dict(Question.objects.filter(pk__in=graded.correct_questions).values_list("pk", "answer"))
    assert graded.answers == {str(qid): keys[qid] for qid in graded.correct_questions}


def test_an_answer_to_a_question_not_on_the_paper_is_refused(attempt, jiangsu_quiz):
    outside = Question.objects.filter(quiz=jiangsu_quiz).exclude(pk__in=[i["q"] for i in attempt.paper]).first()
    with pytest.raises(DomainError) as error:
        save_answers(attempt.token, _post(attempt, **{f"q_{outside.pk}": ["A"]}), now=at(4, 10, 1))
    assert str(error.value) == f"提交的题目（编号 {outside.pk}）不在您的试卷上，答案未保存。"


def test_an_option_the_question_does_not_have_is_refused(attempt):
    qid = attempt.paper[0]["q"]
    with pytest.raises(DomainError) as error:
        save_answers(attempt.token, _post(attempt, **{f"q_{qid}": ["Z"]}), now=at(4, 10, 1))
    assert str(error.value) == "第 1 题的选项“Z”不存在，答案未保存。"


def test_a_tampered_token_field_is_refused(attempt):
    data = answers(attempt, token="not-the-token")
    with pytest.raises(DomainError) as error:
        submit_attempt(attempt.token, data, now=at(4, 10, 1))
    assert str(error.value) == "表单中的答卷标识与本答卷不符，请刷新页面后重试。"
    attempt.refresh_from_db()
    assert attempt.status == "open"


def test_two_choices_on_a_single_choice_question_are_refused(demo, national_quiz):
    only_active(national_quiz, kind="single")
    attempt = start(national_quiz, demo, now=at(4, 10))
    qid = attempt.paper[2]["q"]
    with pytest.raises(DomainError) as error:
        save_answers(attempt.token, _post(attempt, **{f"q_{qid}": ["A", "B"]}), now=at(4, 10, 1))
    assert str(error.value) == "第 3 题是单选题，只能选一个答案。"


def test_true_false_questions_keep_their_option_order(demo, national_quiz):
    attempt = start(national_quiz, demo, now=at(4, 10))
    kinds = dict(Question.objects.filter(pk__in=[i["q"] for i in attempt.paper]).values_list("pk", "kind"))
    for item in attempt.paper:
        if kinds[item["q"]] == "truefalse":
            assert item["o"] == [0, 1]


def test_paper_follows_the_category_spec(demo, national_quiz):
    national_quiz.paper_spec = {"节水": 4, "活动周": 6}
    national_quiz.save()
    attempt = start(national_quiz, demo, now=at(4, 10))
    categories = list(
        Question.objects.filter(pk__in=[i["q"] for i in attempt.paper]).values_list("category", flat=True)
    )
    assert sorted(categories) == ["活动周"] * 6 + ["节水"] * 4
    assert attempt.max_score == 50


def test_a_category_without_enough_questions_is_refused(demo, national_quiz):
    national_quiz.paper_spec = {"节水": 40}
    national_quiz.save()
    with pytest.raises(DomainError) as error:
        start(national_quiz, demo, now=at(4, 10))
    # The participant is not told the bank's counts (the organizer's settings page and overview are).
    assert str(error.value) == "本次竞答的题目尚未准备好，暂时不能开始答题，请稍后再试或联系主办单位。"


def test_a_corrected_answer_key_is_used_at_once(demo, jiangsu_quiz):
    only_active(jiangsu_quiz, kind="single")
    attempt = start(jiangsu_quiz, demo, phone="13900000009", now=at(4, 10))
    question = Question.objects.get(pk=attempt.paper[0]["q"])
    grade(attempt, {})  # warms this process's cached copy of the keys
    old = question.answer
    question.answer = next(letter for letter in question.letters if letter != old)
    question.save()  # an organizer fixes the key mid-quiz
    attempt.refresh_from_db()
    assert grade(attempt, {str(question.pk): question.answer})[0] == 1
    assert grade(attempt, {str(question.pk): old})[0] == 0
