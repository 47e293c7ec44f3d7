"""The configured database, cache and task broker are the real ones, and reachable."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection


def test_database_vendor_follows_database_url(db):
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"

    assert connection.vendor == expected


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    # The test database lives in memory (no WAL there); the settings are what a file database gets.
    options = settings.DATABASES["default"]["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL;" in options["init_command"]
    assert "PRAGMA synchronous=NORMAL;" in options["init_command"]


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: the ORM broker and local cache are used"
)
def test_redis_serves_the_cache_and_the_task_broker():
    from django_q.brokers import get_broker

    cache.set("eventweek-test-key", "节能", 30)

    assert cache.get("eventweek-test-key") == "节能"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    broker = get_broker()
    assert broker.ping() is True
    assert type(broker).__name__ == "Redis"


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="REDIS_URL set")
def test_embedded_default_uses_the_orm_broker(db):
    from django_q.brokers import get_broker

    assert type(get_broker()).__name__ == "ORM"
