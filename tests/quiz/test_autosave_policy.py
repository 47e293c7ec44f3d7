"""On PostgreSQL an autosave commits without waiting for the disk: its one statement turns synchronous_commit off for
its own transaction (set_config in the statement, so it stays one prepared statement in autocommit). A database crash
may lose the last moment of autosaves, which the phone still holds; the submit stays durable. Read from the database
itself: the setting in force after each statement, inside a transaction the test holds open."""

import pytest
from django.db import connection, transaction

from quiz.models import Attempt
from quiz.services.attempts import autosave, close_attempt
from tests.quiz.conftest import answers, at, start

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),  # autocommit, as in a request: each transaction is the code's own
]


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def _statements(call) -> list[str]:
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call()
    return seen


def test_an_autosave_is_one_statement_that_turns_synchronous_commit_off_for_its_own_transaction(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    data = answers(attempt)
    seen = _statements(lambda: autosave(attempt.token, data, now=at(4, 10, 1)))
    assert len(seen) == 1 and seen[0].startswith("UPDATE quiz_attempt")
    assert "set_config('synchronous_commit', 'off', true)" in seen[0]
    assert _setting() == "on"  # the statement's transaction ended with it
    # The same statement inside a transaction held open: the setting is off until that transaction ends.
    with transaction.atomic():
        autosave(attempt.token, data, now=at(4, 10, 2))
        assert _setting() == "off"
    assert _setting() == "on"
    assert Attempt.objects.get(pk=attempt.pk).saved_at == at(4, 10, 2)


def test_the_submit_after_an_autosave_is_durable(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    data = answers(attempt)
    autosave(attempt.token, data, now=at(4, 10, 1))
    seen = _statements(lambda: close_attempt(attempt.token, data, now=at(4, 10, 2)))
    assert len(seen) == 1 and "synchronous_commit" not in seen[0]
    with transaction.atomic():
        close_attempt(attempt.token, data, now=at(4, 10, 3))  # already submitted: the same statement, no row
        assert _setting() == "on"
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED
