"""Settings helpers that read the environment and fail loudly on values they cannot use."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    """Return the variable, or the default; raise if it is required and missing."""
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    """Parse a boolean variable; anything but the usual spellings is an error."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Parse an integer variable; one below the minimum is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} must be {minimum} or more.")
    return number


def env_path(name: str, default: Path | str | None) -> Path | None:
    """A filesystem path from the variable, or the default (None when the code derives it)."""
    value = env_str(name)
    if value is None:
        return None if default is None else Path(default)
    return Path(value)


def env_list(name: str, default: list[str]) -> list[str]:
    """Parse a comma-separated list."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


_PERIODS = {"s": 1, "m": 60, "h": 3600}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """Parse a rate such as 600/10m (count per period in s, m or h) into (count, seconds)."""
    value = os.environ.get(name) or default
    count, _, period = value.strip().partition("/")
    unit = period[-1:].lower()
    amount = period[:-1] or "1"
    if not (count.isdigit() and amount.isdigit() and unit in _PERIODS and int(count) > 0 and int(amount) > 0):
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate such as 600/10m (count/period in s, m or h).")
    return int(count), int(amount) * _PERIODS[unit]


_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}


def _masked(url: str) -> str:
    """The URL with its password replaced, for error messages (by pattern: the URL may not even parse)."""
    return re.sub(r"^([^:/]+://[^:@/]*:)[^@]*@", r"\1***@", url)


def _check_port(url: str) -> None:
    """A port that is not 1-65535 is a configuration error (dj-database-url would take port 0 for none)."""
    try:
        port = urlsplit(url).port
    except ValueError:
        port = 0
    if port == 0:
        raise ImproperlyConfigured(f"DATABASE_URL {_masked(url)!r}: the port must be a number from 1 to 65535.")


def parse_database_url(url: str) -> dict:
    """Turn postgres://user:pass@host:port/name or sqlite:///path into a Django DATABASES entry (dj-database-url
    parses; this refuses what it would quietly accept: another scheme, port 0, no name, an in-memory SQLite)."""
    invalid = f"DATABASE_URL {_masked(url)!r} is not a valid URL (quote special characters in the password)."
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        raise ImproperlyConfigured(invalid) from None
    if scheme not in _SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {scheme!r} is not supported (use postgres://… or sqlite:///…)."
        )
    _check_port(url)
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError:
        raise ImproperlyConfigured(invalid) from None
    if scheme == "sqlite":
        if config["NAME"] in {"", ":memory:"}:
            raise ImproperlyConfigured(f"DATABASE_URL {_masked(url)!r} names no file.")
        return sqlite_database(config["NAME"])
    if not config["NAME"]:
        raise ImproperlyConfigured(f"DATABASE_URL {_masked(url)!r} names no database.")
    # dj-database-url turns digits into ints and keeps every value of a repeated option: the last one wins, as text.
    options = {
        key: str(value[-1] if isinstance(value, list) else value) for key, value in config.pop("OPTIONS", {}).items()
    }
    options["prepare_threshold"] = _prepare_threshold(options.get("prepare_threshold", "5"))
    return {**config, "PORT": str(config["PORT"]), "OPTIONS": options}


def _prepare_threshold(value: str) -> int | None:
    """psycopg prepares a statement sent with server-side binding after this many runs on a connection. Only the
    busiest writes (eventweek.db.execute_hot) are sent that way; every other query binds on the client and is never
    prepared. "none" turns it off, for a transaction-mode PgBouncer older than 1.21."""
    if value.lower() in {"", "none", "off"}:
        return None
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"DATABASE_URL prepare_threshold={value!r} is not a number or 'none'.") from None


def sqlite_database(name) -> dict:
    """SQLite tuned for a web server and a task cluster writing at once."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(name),
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            ),
        },
        "TEST": {"NAME": None},
    }
