"""The busiest writes go through eventweek.db.execute_hot: planned once per connection on PostgreSQL, no health-check
round trip, and a kept-alive connection that died is reopened and the statement run once more."""

import psycopg
import pytest
from django.db import DataError, connection

from eventweek.db import execute_hot
from eventweek.models import Org

RENAME = f"UPDATE {Org._meta.db_table} SET name = %s WHERE id = %s AND name = %s"


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements and backend restarts are PostgreSQL's; this runs on PostgreSQL in CI")


def test_a_hot_statement_returns_its_row_count_and_is_logged_as_one_query(demo, django_assert_num_queries):
    org = demo.org("320100")
    with django_assert_num_queries(1):
        assert execute_hot(RENAME, ["南京市节能办", org.pk, org.name]) == 1
    assert execute_hot(RENAME, ["再改一次", org.pk, org.name]) == 0  # conditional: the row is no longer as read
    org.refresh_from_db()
    assert org.name == "南京市节能办"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_hot_statement_is_prepared_after_a_few_runs_on_a_connection(demo):
    needs_postgresql()
    org = demo.org("320100")
    for _ in range(6):
        execute_hot(RENAME, [org.name, org.pk, org.name])
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert prepared == [RENAME.replace("%s", "$1", 1).replace("%s", "$2", 1).replace("%s", "$3", 1)]


@pytest.mark.django_db(transaction=True)
def test_a_kept_alive_connection_that_died_is_reopened_and_the_statement_runs_once_more(demo):
    needs_postgresql()
    org = demo.org("320100")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        dead_pid = cursor.fetchone()[0]
    connection.health_check_done = False  # as at the start of the next request on this kept-alive connection
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dead_pid])

    assert execute_hot(RENAME, ["南京市节能办", org.pk, org.name]) == 1

    org.refresh_from_db()
    assert org.name == "南京市节能办"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != dead_pid


@pytest.mark.django_db(transaction=True)
def test_a_statement_that_fails_on_a_live_connection_is_not_run_again(demo):
    needs_postgresql()
    org = demo.org("320100")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with pytest.raises(DataError):
        execute_hot(f"UPDATE {Org._meta.db_table} SET name = name WHERE id = %s AND 1 / %s = 1", [org.pk, 0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == pid  # same connection: it was the statement that failed, not the connection
