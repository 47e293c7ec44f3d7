"""The participant's pages (entry, paper, result) are sent gzipped to a phone that accepts it, and plain otherwise."""

import gzip

import time_machine
from django.urls import reverse

from tests.quiz.conftest import at, finish, start


def _get(client, url, encoding=None):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    with time_machine.travel(at(4, 10, 5), tick=False):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response


def test_the_entry_paper_and_result_pages_are_gzipped_for_a_phone_that_accepts_it(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, phone="13900000001", now=at(4, 10))
    done = finish(jiangsu_quiz, demo, "13900000002")
    pages = {
        reverse("quiz:entry", args=[jiangsu_quiz.slug]): "<h2>参赛信息</h2>",
        reverse("quiz:paper", args=[attempt.token]): 'id="quiz-form"',
        reverse("quiz:result", args=[done.token]): '<strong id="score">50</strong>',
    }
    for url, marker in pages.items():
        zipped = _get(client, url, "gzip, deflate, br")
        assert zipped["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped["Vary"]
        text = gzip.decompress(zipped.content).decode()
        assert marker in text
        plain = _get(client, url)
        assert not plain.has_header("Content-Encoding")
        assert marker in plain.content.decode()
        assert len(zipped.content) < len(plain.content) // 2
