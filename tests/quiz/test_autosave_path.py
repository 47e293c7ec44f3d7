"""Autosave, the quiz's most frequent write (about seven per participant at QUIZ_AUTOSAVE_SECONDS=30): a post
carrying the paper page's signed sheet merges the answers in one statement; anything it cannot vouch for falls back to
reading the attempt, with the same outcome and the same wording. And a question whose boxes were all unticked is saved
as unanswered."""

import json
import re

import pytest
import time_machine
from django.urls import reverse

from eventweek.errors import DomainError
from quiz.models import Attempt, Question
from quiz.services.attempts import autosave, submit_attempt
from quiz.services.grading import grade
from quiz.services.sheet import sheet_for
from tests.quiz.conftest import answers, at, start, wrong


def _only(data, questions):
    """The post with the answers to these question ids only (the hidden fields kept)."""
    keep = {f"q_{qid}" for qid in questions}
    for key in [key for key in data if key.startswith("q_") and key not in keep]:
        del data[key]
    return data


def test_an_autosave_with_the_sheet_is_one_statement_that_merges_the_answers(
    demo, jiangsu_quiz, django_assert_num_queries
):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    ids = [item["q"] for item in attempt.paper]
    autosave(attempt.token, _only(answers(attempt), ids[:4]), now=at(4, 10, 1))
    data = _only(answers(attempt, wrong), ids[3:6])
    # On PostgreSQL the one write also turns synchronous_commit off for its own transaction (test_autosave_policy.py).
    with django_assert_num_queries(1) as captured:
        saved = autosave(attempt.token, data, now=at(4, 10, 2))
    assert sum(query["sql"].startswith("UPDATE") for query in captured.captured_queries) == 1
    assert (saved.saved_at, saved.deadline) == (at(4, 10, 2), attempt.deadline)
    attempt.refresh_from_db()
    keys = Question.objects.in_bulk(ids)
    assert attempt.answers == {
        **{str(q): keys[q].answer for q in ids[:3]},
        **{str(q): wrong(keys[q]) for q in ids[3:6]},
    }
    assert (attempt.status, attempt.saved_at) == ("open", at(4, 10, 2))


def test_an_autosave_after_the_time_limit_is_refused_with_the_sheet_too(demo, jiangsu_quiz, settings):
    settings.QUIZ_GRACE_SECONDS = 10
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    autosave(attempt.token, answers(attempt), now=at(4, 10, 10, 10))  # inside the grace
    with pytest.raises(DomainError) as error:
        autosave(attempt.token, answers(attempt, wrong), now=at(4, 10, 10, 11))
    assert str(error.value) == "已超过答题时限，答案未保存。"
    attempt.refresh_from_db()
    assert (grade(attempt, attempt.answers)[0], attempt.saved_at) == (10, at(4, 10, 10, 10))


def test_an_autosave_after_the_submit_is_refused_with_the_sheet_too(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 2))
    with pytest.raises(DomainError) as error:
        autosave(attempt.token, answers(attempt, wrong), now=at(4, 10, 3))
    assert str(error.value) == "答卷已提交，不能再修改答案。"
    attempt.refresh_from_db()
    assert (attempt.score, attempt.saved_at) == (50, None)


def test_an_answer_outside_the_paper_or_a_forged_sheet_saves_nothing(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    other = start(jiangsu_quiz, demo, phone="13900000009", now=at(4, 10))
    outside = next(item["q"] for item in other.paper if item["q"] not in {i["q"] for i in attempt.paper})
    data = answers(attempt)
    data.setlist(f"q_{outside}", ["A"])
    with pytest.raises(DomainError) as error:
        autosave(attempt.token, data, now=at(4, 10, 1))
    assert str(error.value) == f"提交的题目（编号 {outside}）不在您的试卷上，答案未保存。"
    forged = answers(attempt)
    forged["sheet"] = sheet_for(other)  # genuine, but another attempt's: the post's token decides
    autosave(attempt.token, forged, now=at(4, 10, 2))
    with pytest.raises(DomainError) as error:
        autosave(attempt.token, answers(other, token=attempt.token), now=at(4, 10, 3))
    assert "不在您的试卷上" in str(error.value)
    attempt.refresh_from_db()
    other.refresh_from_db()
    assert (len(attempt.answers), attempt.saved_at, other.answers, other.saved_at) == (10, at(4, 10, 2), {}, None)


def test_a_saved_answer_of_an_attempt_is_not_written_through_another_token(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    other = start(jiangsu_quiz, demo, phone="13900000009", now=at(4, 10))
    with pytest.raises(DomainError) as error:
        autosave(other.token, answers(attempt), now=at(4, 10, 1))  # the sheet and token field of another
    assert str(error.value) == "表单中的答卷标识与本答卷不符，请刷新页面后重试。"
    assert Attempt.objects.filter(pk__in=[attempt.pk, other.pk], saved_at__isnull=False).count() == 0


def test_unticking_every_box_of_a_multiple_choice_question_saves_it_as_unanswered(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    multiple = Question.objects.filter(quiz=jiangsu_quiz, kind="multiple").first()
    single = Question.objects.filter(quiz=jiangsu_quiz, kind="single").first()
    attempt.paper = [{"q": q.pk, "o": list(range(len(q.options)))} for q in (single, multiple)]
    attempt.save(update_fields=["paper"])
    with time_machine.travel(at(4, 10, 1), tick=False):
        page = client.get(reverse("quiz:paper", args=[attempt.token])).content.decode()
    # Boxes that are all unticked post nothing, so the page posts an empty value beside them; a radio never unticks.
    assert re.findall(r'<input type="hidden" name="q_(\d+)" value="">', page) == [str(multiple.pk)]

    sheet = sheet_for(attempt)
    url = reverse("quiz:save", args=[attempt.token])
    with time_machine.travel(at(4, 10, 2), tick=False):
        ticked = client.post(url, {"token": attempt.token, "sheet": sheet, f"q_{multiple.pk}": ["", *multiple.answer]})
    with time_machine.travel(at(4, 10, 3), tick=False):
        unticked = client.post(url, {"token": attempt.token, "sheet": sheet, f"q_{multiple.pk}": [""]})
    assert json.loads(ticked.content) == {"ok": True, "saved_at": "10:02:00", "remaining": 480}
    assert json.loads(unticked.content) == {"ok": True, "saved_at": "10:03:00", "remaining": 420}
    attempt.refresh_from_db()
    assert attempt.answers == {str(multiple.pk): ""}

    with time_machine.travel(at(4, 10, 4), tick=False):
        client.post(reverse("quiz:submit", args=[attempt.token]), {"token": attempt.token, "sheet": sheet})
    attempt.refresh_from_db()
    assert (attempt.status, attempt.correct_count, attempt.answers) == (
        "submitted",
        0,
        {str(single.pk): "", str(multiple.pk): ""},
    )


def test_a_late_submit_that_repeats_the_saved_answers_is_not_flagged_as_late(demo, jiangsu_quiz, settings):
    settings.QUIZ_GRACE_SECONDS = 10
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    half = [item["q"] for item in attempt.paper[:5]]
    autosave(attempt.token, _only(answers(attempt), half), now=at(4, 10, 5))
    post = _only(answers(attempt), half)
    for item in attempt.paper[5:]:
        post.setlist(f"q_{item['q']}", [""])  # as the page posts beside boxes left unticked
    graded = submit_attempt(attempt.token, post, now=at(4, 10, 10, 30))
    assert (graded.correct_count, graded.late_answers_ignored) == (5, False)
