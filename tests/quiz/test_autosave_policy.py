"""On PostgreSQL an autosave commits without waiting for the disk (SET LOCAL synchronous_commit = off, in its own
transaction): a database crash may lose the last moment of autosaves, which the phone still holds; the submit stays
durable. Read from the database itself: the setting in force when each statement ran, and after."""

import pytest
from django.db import connection

from quiz.models import Attempt
from quiz.services.attempts import autosave, close_attempt
from tests.quiz.conftest import answers, at, start

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),  # autocommit, as in a request: each transaction is the code's own
]


class Statements:
    """Each statement run through Django as (its first word, the synchronous_commit in force just after it, whether it
    ran in a transaction the code opened)."""

    def __init__(self):
        self.seen = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        # The raw connection, so this look does not count itself; same session, same transaction.
        setting = connection.connection.execute("SHOW synchronous_commit").fetchone()[0]
        self.seen.append((sql.split()[0].upper(), setting, connection.in_atomic_block))
        return result


def _run(call) -> list:
    statements = Statements()
    with connection.execute_wrapper(statements):
        call()
    return statements.seen


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_an_autosave_commits_with_synchronous_commit_off_in_its_own_transaction(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    data = answers(attempt)
    seen = _run(lambda: autosave(attempt.token, data, now=at(4, 10, 1)))
    assert seen == [("SET", "off", True), ("UPDATE", "off", True)]
    assert _setting() == "on"  # SET LOCAL ended with the autosave's transaction
    assert Attempt.objects.get(pk=attempt.pk).saved_at == at(4, 10, 1)


def test_an_autosave_without_the_sheet_reads_and_writes_with_synchronous_commit_off(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    data = answers(attempt, sheet=False)
    seen = _run(lambda: autosave(attempt.token, data, now=at(4, 10, 1)))
    # save_answers's own atomic is a savepoint inside the autosave's transaction: its read and its write go unsynced too
    assert seen == [
        ("SET", "off", True),
        ("SAVEPOINT", "off", True),
        ("SELECT", "off", True),
        ("UPDATE", "off", True),
        ("RELEASE", "off", True),
    ]
    assert _setting() == "on"


def test_the_submit_after_an_autosave_is_durable(demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    data = answers(attempt)
    autosave(attempt.token, data, now=at(4, 10, 1))
    seen = _run(lambda: close_attempt(attempt.token, data, now=at(4, 10, 2)))
    assert seen == [("UPDATE", "on", False)]
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED
