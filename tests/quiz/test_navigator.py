"""The paper guides: an answer sheet (答题卡) of numbered links to each question, answered or not; never stored, so
the back button after 交卷 lands on the result; the 交卷 button asks before handing in unanswered questions."""

import re

import time_machine
from django.urls import reverse

from quiz.services.attempts import save_answers, submit_attempt
from tests.quiz.conftest import answers, at, start


def _nav_items(html: str) -> list[tuple[str, str, str, str]]:
    """(href, classes, number, state) of each answer-sheet link, in order."""
    return re.findall(
        r'<a href="(#q\d+)" class="quiz-nav-item([^"]*)" data-for="q\d+">(\d+)<span class="quiz-nav-state">(.+?)</span></a>',
        html,
    )


def test_the_answer_sheet_links_every_question_and_marks_the_saved_answers(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    first_two = {f"q_{item['q']}" for item in attempt.paper[:2]} | {"token", "sheet"}
    data = answers(attempt)
    for key in [k for k in data if k not in first_two]:
        del data[key]
    save_answers(attempt.token, data, now=at(4, 10, 1))
    with time_machine.travel(at(4, 10, 2), tick=False):
        html = client.get(reverse("quiz:paper", args=[attempt.token])).content.decode()
    items = _nav_items(html)
    assert [(href, number) for href, _c, number, _s in items] == [(f"#q{n}", str(n)) for n in range(1, 11)]
    assert [(c, s) for _h, c, _n, s in items] == [(" is-answered", "已答")] * 2 + [("", "未答")] * 8
    assert all(f'<fieldset class="quiz-q card" id="q{n}">' in html for n in range(1, 11))  # the anchors exist
    assert '<p class="small muted" id="quiz-progress">已答 2 / 10 题</p>' in html
    assert '<nav class="quiz-nav card" id="quiz-nav" aria-label="答题卡">' in html


def test_the_submit_button_asks_before_handing_in_unanswered_questions(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 1), tick=False):
        html = client.get(reverse("quiz:paper", args=[attempt.token])).content.decode()
    assert (
        '<button type="submit" class="btn primary block" id="quiz-submit" data-confirm="还有 {n} 题未答，确认交卷？" '
        'data-confirm-unanswered="fieldset.quiz-q" data-confirm-ok="确认交卷">交卷</button>'
    ) in html


def test_the_paper_is_never_stored_by_the_browser(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.get(reverse("quiz:paper", args=[attempt.token]))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"} <= directives


def test_the_paper_of_a_submitted_attempt_redirects_to_its_result(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 2))
    with time_machine.travel(at(4, 10, 3), tick=False):
        response = client.get(reverse("quiz:paper", args=[attempt.token]))
    assert response.status_code == 302
    assert response["Location"] == f"/quiz/a/{attempt.token}/result/"
    assert "no-store" in response["Cache-Control"]
