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


def run_settings(env, code="import eventweek.settings as s; print(s.SITE_URL)"):
    """Import the settings in a fresh interpreter with exactly these variables; return (exit code, stderr)."""
    import subprocess
    import sys
    from pathlib import Path

    base = {"PATH": "/usr/bin:/bin", "DATA_DIR": "/tmp/eventweek-settings-test"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout.strip(), result.stderr


def test_production_without_site_url_refuses_to_start():
    code, _, stderr = run_settings({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "jieneng.example.cn"})

    assert code == 1
    assert "SITE_URL (the public address" in stderr


def test_production_without_secret_key_refuses_to_start():
    code, _, stderr = run_settings({"SITE_URL": "https://jieneng.example.cn"})

    assert code == 1
    assert "SECRET_KEY is required when DEBUG is off." in stderr


def test_site_url_without_scheme_is_refused():
    code, _, stderr = run_settings({"DEBUG": "1", "SITE_URL": "jieneng.example.cn"})

    assert code == 1
    assert "must start with http:// or https://" in stderr


def test_development_site_url_follows_the_port():
    code, stdout, _ = run_settings({"DEBUG": "1", "PORT": "8123"})

    assert (code, stdout) == (0, "http://127.0.0.1:8123")


def test_prepared_statements_for_the_hot_writes_can_be_turned_off_in_the_database_url():
    assert parse_database_url("postgres://u@h/db")["OPTIONS"]["prepare_threshold"] == 5
    assert parse_database_url("postgres://u@h/db?prepare_threshold=none")["OPTIONS"]["prepare_threshold"] is None
    assert parse_database_url("postgres://u@h/db?prepare_threshold=2")["OPTIONS"]["prepare_threshold"] == 2
    with pytest.raises(ImproperlyConfigured, match="prepare_threshold='many'"):
        parse_database_url("postgres://u@h/db?prepare_threshold=many")


@pytest.mark.parametrize("port", ["abc", "99999", "0", "-1"])
def test_database_url_with_a_bad_port_is_a_configuration_error_that_hides_the_password(port):
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_database_url(f"postgres://eventweek:s3cret@10.0.0.5:{port}/eventweek")

    assert str(raised.value) == (
        f"DATABASE_URL 'postgres://eventweek:***@10.0.0.5:{port}/eventweek': the port must be a number from 1 to 65535."
    )


def test_database_url_without_a_port_leaves_it_to_the_driver():
    assert parse_database_url("postgres://u@10.0.0.5/db")["PORT"] == ""
    assert parse_database_url("postgres://u@10.0.0.5:6432/db")["PORT"] == "6432"


def test_settings_with_a_bad_database_port_refuse_to_load_with_one_clear_line():
    code, _, stderr = run_settings(
        {"DEBUG": "1", "DATABASE_URL": "postgres://u@h:abc/db"},
    )

    assert code == 1
    assert stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DATABASE_URL 'postgres://u@h:abc/db': "
        "the port must be a number from 1 to 65535."
    )
    assert "int()" not in stderr and "ValueError" not in stderr


TUNING = (
    "QUIZ_GRACE_SECONDS QUIZ_CACHE_SECONDS SUMMARY_REMINDER_HOURS OUTBOX_LEASE_MINUTES QUIZ_EXPORT_LEASE_SECONDS "
    "QUIZ_EXPORT_MAX_ATTEMPTS REPORT_MAX_PICTURE_BYTES REPORT_MAX_PICTURES REPORT_MAX_PICTURE_PIXELS SERVE_MEDIA "
    "QUIZ_EXPORT_ROOT REPORT_PRIVATE_ROOT"
).split()


def print_settings(names):
    return "import eventweek.settings as s; print(" + ", ".join(f"s.{name}" for name in names) + ")"


def test_every_setting_the_code_reads_is_declared_with_its_default():
    code, stdout, stderr = run_settings({"DEBUG": "1"}, print_settings(TUNING))

    assert (code, stdout) == (
        0,
        "10 5 24 10 300 3 10485760 20 40000000 False None /tmp/eventweek-settings-test/private-media",
    ), stderr


def test_tuning_settings_and_paths_are_read_from_the_environment():
    env = {
        "DEBUG": "1",
        "QUIZ_GRACE_SECONDS": "0",
        "QUIZ_CACHE_SECONDS": "0",
        "SUMMARY_REMINDER_HOURS": "48",
        "OUTBOX_LEASE_MINUTES": "3",
        "QUIZ_EXPORT_LEASE_SECONDS": "60",
        "QUIZ_EXPORT_MAX_ATTEMPTS": "5",
        "REPORT_MAX_PICTURE_BYTES": "1000",
        "REPORT_MAX_PICTURES": "2",
        "REPORT_MAX_PICTURE_PIXELS": "1000000",
        "SERVE_MEDIA": "1",
        "QUIZ_EXPORT_ROOT": "/srv/exports",
        "REPORT_PRIVATE_ROOT": "/srv/private",
    }
    code, stdout, stderr = run_settings(env, print_settings(TUNING))

    assert (code, stdout) == (0, "0 0 48 3 60 5 1000 2 1000000 True /srv/exports /srv/private"), stderr


@pytest.mark.parametrize(
    ("name", "value", "minimum"),
    [("QUIZ_GRACE_SECONDS", "-1", 0), ("REPORT_MAX_PICTURES", "0", 1), ("QUIZ_EXPORT_MAX_ATTEMPTS", "0", 1)],
)
def test_a_setting_below_its_minimum_refuses_to_load_with_one_clear_line(name, value, minimum):
    code, _, stderr = run_settings({"DEBUG": "1", name: value})

    assert code == 1
    assert stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {name}='{value}' must be {minimum} or more."
    )


def test_database_url_without_a_database_name_fails_loudly_without_the_password():
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_database_url("postgres://eventweek:s3cret@10.0.0.5:5432/")

    assert str(raised.value) == "DATABASE_URL 'postgres://eventweek:***@10.0.0.5:5432/' names no database."


def test_database_url_that_does_not_parse_fails_loudly_without_the_password():
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_database_url("postgres://eventweek:s3cret@[::1/eventweek")

    assert str(raised.value) == (
        "DATABASE_URL 'postgres://eventweek:***@[::1/eventweek' is not a valid URL "
        "(quote special characters in the password)."
    )


def test_sqlite_database_url_without_a_file_fails_loudly():
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_database_url("sqlite://")

    assert str(raised.value) == "DATABASE_URL 'sqlite://' names no file."


def test_database_url_may_name_a_unix_socket_directory_and_pass_driver_options_as_text():
    config = parse_database_url("postgres://u:p%40ss@%2Fvar%2Frun%2Fpostgresql/db?sslmode=require&connect_timeout=5")

    assert (config["HOST"], config["PORT"], config["PASSWORD"], config["OPTIONS"]) == (
        "/var/run/postgresql",
        "",
        "p@ss",
        {"sslmode": "require", "connect_timeout": "5", "prepare_threshold": 5},
    )
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)
