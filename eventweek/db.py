"""Database plumbing for the busiest writes (the quiz's submit): one statement, planned once per connection."""

from django.db import DatabaseError, connection


def execute_hot(sql: str, params: list) -> int:
    """Run one write statement of a hot path outside any transaction and return its row count.

    On PostgreSQL the statement goes with server-side binding, which psycopg prepares after a few runs on a connection,
    so the server plans it once per connection instead of on every request (about half its cost there). It skips
    Django's per-request health check (a SELECT 1 round trip before the request's first query): a kept-alive
    connection that turns out dead is closed and the statement run once more on a new one. Only for statements that
    are harmless to run twice, such as an UPDATE that holds only while the row is still as read. Elsewhere, a plain
    cursor. Queries are logged (and counted by tests) as any other.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount
    fresh = connection.connection is None
    if not fresh:
        connection.health_check_done = True
    try:
        return _execute_bound(sql, params)
    except DatabaseError:
        if fresh or connection.is_usable():
            raise  # the statement failed, not the connection
        connection.close()
        return _execute_bound(sql, params)


def _execute_bound(sql: str, params: list) -> int:
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
