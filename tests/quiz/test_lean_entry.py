"""A first visit's entry page is held per quiz and filled in with the visitor's own CSRF token: the same bytes as the
page rendered for the visitor, a token that lets the visitor start, and no query once the quiz is held."""

import re

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Channel, ChannelKind
from tests.quiz.conftest import at

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _visit(client, quiz) -> tuple[str, list[str], list[str]]:
    """The page, the queries it ran, and the templates rendered for it."""
    with time_machine.travel(at(4, 10), tick=False), CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("quiz:entry", args=[quiz.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    rendered = [template.name for template in response.templates]
    return response.content.decode(), [query["sql"] for query in captured.captured_queries], rendered


def test_a_first_visit_gets_the_held_page_with_a_token_of_its_own_that_starts_an_attempt(demo, jiangsu_quiz):
    first, _queries, templates = _visit(Client(enforce_csrf_checks=True), jiangsu_quiz)
    assert templates[0] == "quiz/entry.html"
    visitor = Client(enforce_csrf_checks=True)
    page, queries, templates = _visit(visitor, jiangsu_quiz)
    assert (queries, templates) == ([], [])
    # Rendered for this visitor instead (a session cookie may carry messages to show): the same bytes but the token.
    rendered, _queries, _templates = _visit(
        Client(enforce_csrf_checks=True, headers={"Cookie": "sessionid=x"}), jiangsu_quiz
    )
    tokens = [TOKEN.search(html).group(1) for html in (first, page, rendered)]
    assert len(set(tokens)) == 3
    assert TOKEN.sub("", first) == TOKEN.sub("", page) == TOKEN.sub("", rendered)
    assert page.count('name="csrfmiddlewaretoken"') == 1
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = visitor.post(
            reverse("quiz:entry", args=[jiangsu_quiz.slug]),
            {"csrfmiddlewaretoken": tokens[1], "name": "张三", "phone": "13812345678", "org": demo.org("320100").pk},
        )
    assert response.status_code == 302
    assert re.fullmatch(r"/quiz/a/[\w-]+/", response["Location"])


def test_an_sms_channel_added_shows_the_other_device_links_on_the_next_visit(demo, jiangsu_quiz):
    before, _queries, _templates = _visit(Client(), jiangsu_quiz)
    assert reverse("quiz:resume", args=[jiangsu_quiz.slug]) not in before
    Channel.objects.create(
        org=jiangsu_quiz.week.organizer,
        kind=ChannelKind.SMS,
        name="短信网关",
        url="http://127.0.0.1:9/sms",
        secret="KEY-0123456789abcdef",
        config={"sign_name": "节能宣传周"},
    )
    after, _queries, _templates = _visit(Client(), jiangsu_quiz)
    assert f'<a class="btn block" href="{reverse("quiz:resume", args=[jiangsu_quiz.slug])}">继续作答</a>' in after
