"""make run's var/local.env: read by manage.py and wsgi.py only when the process was given no settings of its own."""

import subprocess
import sys
from pathlib import Path

from eventweek.local_env import read_local_env, write_local_env

ROOT = Path(__file__).resolve().parents[2]


def local_file(tmp_path, text="DEBUG=1\nSECRET_KEY=from-the-file\nALLOWED_HOSTS=file.example.cn\n"):
    path = tmp_path / "local.env"
    path.write_text("# 注释\n" + text, encoding="utf-8")
    return path


def test_the_local_file_is_read_when_no_settings_are_given(tmp_path):
    environ = {"PATH": "/usr/bin"}

    applied = read_local_env(local_file(tmp_path), environ)

    assert applied == ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"]
    assert environ == {
        "PATH": "/usr/bin",
        "DEBUG": "1",
        "SECRET_KEY": "from-the-file",
        "ALLOWED_HOSTS": "file.example.cn",
    }


def test_a_variable_in_the_environment_wins_over_the_same_line_of_the_file(tmp_path):
    environ = {"ALLOWED_HOSTS": "env.example.cn"}

    applied = read_local_env(local_file(tmp_path), environ)

    assert applied == ["DEBUG", "SECRET_KEY"]
    assert environ["ALLOWED_HOSTS"] == "env.example.cn"


def test_debug_or_secret_key_in_the_environment_leaves_the_file_unread(tmp_path):
    for given in ({"SECRET_KEY": "from-env"}, {"DEBUG": "0"}):
        environ = dict(given)

        assert read_local_env(local_file(tmp_path), environ) == []
        assert environ == given


def test_eventweek_env_production_leaves_the_file_unread(tmp_path):
    environ = {"EVENTWEEK_ENV": "production"}

    assert read_local_env(local_file(tmp_path), environ) == []
    assert environ == {"EVENTWEEK_ENV": "production"}


def test_the_file_is_written_once_with_debug_and_a_random_key_and_never_overwritten(tmp_path):
    path = tmp_path / "var" / "local.env"

    assert write_local_env(path) is True
    first = path.read_text(encoding="utf-8")
    assert write_local_env(path) is False

    lines = [line for line in first.splitlines() if not line.startswith("#")]
    assert lines[0] == "DEBUG=1"
    assert lines[1].startswith("SECRET_KEY=") and len(lines[1]) == len("SECRET_KEY=") + 67
    assert path.read_text(encoding="utf-8") == first
    assert path.stat().st_mode & 0o777 == 0o600
    other = tmp_path / "other.env"
    write_local_env(other)
    assert other.read_text(encoding="utf-8") != first


def start_settings(path: Path, env: dict) -> tuple[int, str, str]:
    """Read the file as manage.py does, then import the settings, in a fresh interpreter with exactly `env`."""
    code = (
        "from pathlib import Path; from eventweek.local_env import read_local_env; "
        f"read_local_env(Path({str(path)!r})); import eventweek.settings as s; print(s.DEBUG, s.SECRET_KEY)"
    )
    base = {"PATH": "/usr/bin:/bin", "DATA_DIR": "/tmp/eventweek-local-settings-test"}
    result = subprocess.run([sys.executable, "-c", code], env={**base, **env}, cwd=ROOT, capture_output=True, text=True)
    return result.returncode, result.stdout.strip(), result.stderr


def test_settings_start_with_debug_and_the_files_key_when_the_file_is_present(tmp_path):
    assert start_settings(local_file(tmp_path), {}) == (0, "True from-the-file", "")


def test_an_explicit_secret_key_wins_and_debug_stays_off(tmp_path):
    code, out, _ = start_settings(local_file(tmp_path), {"SECRET_KEY": "k" * 50, "SITE_URL": "https://a.example.cn"})

    assert (code, out) == (0, "False " + "k" * 50)


def test_without_the_file_settings_refuse_to_start_as_before(tmp_path):
    code, _, stderr = start_settings(tmp_path / "absent.env", {"SITE_URL": "https://a.example.cn"})

    assert code == 1
    assert "SECRET_KEY is required when DEBUG is off." in stderr


def test_production_with_the_file_present_still_refuses_to_start_without_a_secret_key(tmp_path):
    code, _, stderr = start_settings(local_file(tmp_path), {"EVENTWEEK_ENV": "production"})

    assert code == 1
    assert "SECRET_KEY is required when DEBUG is off." in stderr
