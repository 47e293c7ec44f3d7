"""A quiz can only be taken once its week is published: before that its public page is a 404."""

import time_machine
from django.urls import reverse

from eventweek.models import Week
from quiz.models import Attempt
from tests.quiz.conftest import DURING


def _unpublish(week):
    Week.objects.filter(pk=week.pk).update(published_at=None)


def test_the_entry_page_of_an_unpublished_week_is_a_404_and_starts_nothing(client, demo, jiangsu_quiz):
    _unpublish(demo.jiangsu)
    url = reverse("quiz:entry", args=[jiangsu_quiz.slug])
    with time_machine.travel(DURING, tick=False):
        assert client.get(url).status_code == 404
        response = client.post(url, {"name": "张三", "phone": "13812345678", "org": demo.org("320100").pk})
    assert response.status_code == 404
    assert Attempt.objects.count() == 0


def test_the_entry_page_of_a_published_week_starts_an_attempt(client, demo, jiangsu_quiz):
    url = reverse("quiz:entry", args=[jiangsu_quiz.slug])
    with time_machine.travel(DURING, tick=False):
        response = client.post(url, {"name": "张三", "phone": "13812345678", "org": demo.org("320100").pk})
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("quiz:paper", args=[attempt.token])
