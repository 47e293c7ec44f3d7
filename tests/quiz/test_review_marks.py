"""The review page teaches after grading: under multiple choice a right option left unticked (漏选) looks unlike one
ticked (正确), and a wrong one ticked is 错选."""

import re

import time_machine
from django.http import QueryDict
from django.urls import reverse

from quiz.models import Question
from quiz.services.attempts import submit_attempt
from tests.quiz.conftest import at, shown, start

OPTION = re.compile(r'<li class="([^"]+)">(?:<span class="quiz-mark">([^<]+)</span>)?([A-F])\. ([^<]+)</li>')


def test_a_multiple_choice_review_tells_ticked_missed_and_wrong_options_apart(client, demo, jiangsu_quiz):
    multiple = Question.objects.get(quiz=jiangsu_quiz, text="下列哪些属于日常节水做法？")  # key ABD
    single = Question.objects.get(quiz=jiangsu_quiz, text="2020年全国节能宣传周的主题是什么？")  # key A
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    attempt.paper = [{"q": multiple.pk, "o": [2, 0, 3, 1]}, {"q": single.pk, "o": [1, 0, 2, 3]}]
    attempt.save(update_fields=["paper"])
    post = {"token": attempt.token, f"q_{multiple.pk}": shown(attempt.paper[0], "AC")}
    post[f"q_{single.pk}"] = shown(attempt.paper[1], "B")
    submit_attempt(attempt.token, _query(post), now=at(4, 10, 2))
    with time_machine.travel(at(4, 10, 3), tick=False):
        page = client.get(reverse("quiz:result", args=[attempt.token])).content.decode()
    a, b, c, d = multiple.options
    single_b, single_a, single_c, single_d = (single.options[i] for i in (1, 0, 2, 3))
    assert OPTION.findall(page) == [
        ("quiz-review-opt is-wrong is-chosen", "错选", "A", c),
        ("quiz-review-opt is-hit is-chosen", "正确", "B", a),
        ("quiz-review-opt is-missed", "漏选", "C", d),
        ("quiz-review-opt is-missed", "漏选", "D", b),
        ("quiz-review-opt is-wrong is-chosen", "错选", "A", single_b),
        ("quiz-review-opt is-answer", "正确答案", "B", single_a),
        ("quiz-review-opt", "", "C", single_c),
        ("quiz-review-opt", "", "D", single_d),
    ]
    assert page.count("多选题须选全且不多选才得分：“漏选”是应选而未选的选项。") == 1


def test_an_open_attempt_has_no_review_and_no_marks(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.get(reverse("quiz:result", args=[attempt.token]))
        paper = client.get(reverse("quiz:paper", args=[attempt.token])).content.decode()
    assert (response.status_code, response["Location"]) == (302, reverse("quiz:paper", args=[attempt.token]))
    assert [word in paper for word in ("漏选", "错选", "正确答案", "quiz-mark", "is-hit")] == [False] * 5


def _query(post) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in post.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data
