import pytest
from django.core.exceptions import ImproperlyConfigured

from eventweek.env import env_bool, parse_database_url


def test_database_url_postgres_is_parsed_into_django_settings():
    config = parse_database_url("postgres://postgres:s%40cret@127.0.0.1:5432/eventweek")

    assert (config["ENGINE"], config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "django.db.backends.postgresql",
        "eventweek",
        "postgres",
        "s@cret",
        "127.0.0.1",
        "5432",
    )


def test_database_url_sqlite_uses_wal_and_immediate_transactions():
    config = parse_database_url("sqlite:///var/x.sqlite3")

    assert config["NAME"] == "var/x.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_with_unknown_scheme_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        parse_database_url("mysql://root@localhost/x")


def test_bool_variable_with_a_typo_fails_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")
