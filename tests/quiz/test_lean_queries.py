"""A participant's pages read only their own attempt from the database: the quiz comes from the per-process hold
(quiz.services.public.get_attempt_quiz), which a save of the quiz in this process forgets at once."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.quiz.conftest import at, finish, start


def _queries(client, url) -> list[str]:
    with time_machine.travel(at(4, 10, 5), tick=False), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_paper_page_of_a_held_quiz_reads_the_attempt_alone(client, demo, jiangsu_quiz):
    first = start(jiangsu_quiz, demo, phone="13900000001", now=at(4, 10))
    second = start(jiangsu_quiz, demo, phone="13900000002", now=at(4, 10))
    _queries(client, reverse("quiz:paper", args=[first.token]))  # holds the quiz and its bank
    queries = _queries(client, reverse("quiz:paper", args=[second.token]))
    assert len(queries) == 1
    assert '"quiz_attempt"' in queries[0] and '"quiz_quiz"' not in queries[0]


def test_the_result_page_reads_the_attempt_and_its_rank_and_shows_a_saved_title_at_once(client, demo, jiangsu_quiz):
    attempt = finish(jiangsu_quiz, demo, "13900000001")
    url = reverse("quiz:result", args=[attempt.token])
    _queries(client, url)
    queries = _queries(client, url)
    assert len(queries) == 2  # the attempt with its unit, then the rank among the submitted
    assert not any('"quiz_quiz"' in sql for sql in queries)
    jiangsu_quiz.title = "改名后的竞答"
    jiangsu_quiz.save()
    with time_machine.travel(at(4, 10, 6), tick=False):
        page = client.get(url).content.decode()
    assert '<h1 class="quiz-page-title">改名后的竞答 · 成绩</h1>' in page
