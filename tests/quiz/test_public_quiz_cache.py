"""The public quiz is read once per few seconds per process: every participant's entry page and start need the same
row. A change made in this process is seen at once; one made elsewhere (another worker, or a queryset update, which
sends no signal) within QUIZ_CACHE_SECONDS."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eventweek.models import Org, Week
from quiz.models import Attempt, Question
from tests.quiz.conftest import DURING, only_active


def _status_and_quiz_reads(client, url):
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum('FROM "quiz_quiz"' in query["sql"] for query in queries.captured_queries)


def test_the_entry_page_reads_the_quiz_once_within_the_cache_seconds(client, demo, jiangsu_quiz, settings):
    settings.QUIZ_CACHE_SECONDS = 5
    url = reverse("quiz:entry", args=[jiangsu_quiz.slug])
    with time_machine.travel(DURING, tick=False) as traveller:
        assert _status_and_quiz_reads(client, url) == (200, 1)
        assert _status_and_quiz_reads(client, url) == (200, 0)
        traveller.shift(datetime.timedelta(seconds=6))
        assert _status_and_quiz_reads(client, url) == (200, 1)


def test_a_week_unpublished_in_this_process_hides_its_quiz_at_once(client, demo, jiangsu_quiz):
    url = reverse("quiz:entry", args=[jiangsu_quiz.slug])
    with time_machine.travel(DURING, tick=False):
        assert client.get(url).status_code == 200
        demo.jiangsu.published_at = None
        demo.jiangsu.save()
        assert client.get(url).status_code == 404


def test_a_change_made_elsewhere_is_seen_within_the_cache_seconds(client, demo, jiangsu_quiz, settings):
    settings.QUIZ_CACHE_SECONDS = 5
    url = reverse("quiz:entry", args=[jiangsu_quiz.slug])
    with time_machine.travel(DURING, tick=False) as traveller:
        assert client.get(url).status_code == 200
        Week.objects.filter(pk=demo.jiangsu.pk).update(published_at=None)  # as another worker's write looks here
        assert client.get(url).status_code == 200
        traveller.shift(datetime.timedelta(seconds=6))
        assert client.get(url).status_code == 404


def test_a_start_after_a_bank_change_draws_from_the_new_bank(client, demo, jiangsu_quiz):
    url = reverse("quiz:entry", args=[jiangsu_quiz.slug])
    unit = demo.org("320100").pk
    with time_machine.travel(DURING, tick=False):
        client.post(url, {"name": "张三", "phone": "13812345678", "org": unit})  # holds the quiz and its bank
        only_active(jiangsu_quiz, kind="single")
        client.post(url, {"name": "李四", "phone": "13812345679", "org": unit})
    paper = Attempt.objects.get(phone="13812345679").paper
    kinds = set(Question.objects.filter(pk__in=[item["q"] for item in paper]).values_list("kind", flat=True))
    assert (len(paper), kinds) == (10, {"single"})


def test_a_unit_added_here_can_be_picked_at_once(client, demo, jiangsu_quiz):
    url = reverse("quiz:entry", args=[jiangsu_quiz.slug])
    with time_machine.travel(DURING, tick=False):
        assert client.get(url).status_code == 200  # holds the units of the organizer's subtree
        unit = Org.objects.create(
            code="320199", name="南京市新设机关", level=Org.Level.INSTITUTION, parent=demo.org("320100")
        )
        response = client.post(url, {"name": "张三", "phone": "13812345678", "org": unit.pk})
    assert response.status_code == 302
    assert Attempt.objects.get().org == unit
