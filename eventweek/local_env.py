"""The developer's local settings file (var/local.env) that make run writes and manage.py and wsgi.py read.

The rule (README: 本机设置文件): the file is read only when the process was given no settings of its own, that is when
neither DEBUG nor SECRET_KEY is in the environment and EVENTWEEK_ENV is not "production". Its lines then fill in
variables the environment lacks (a variable set in the environment always wins). Production sets SECRET_KEY (and
usually DEBUG=0) and so never sees the file; with no file and no variables, settings.py refuses to start as before.
This module imports nothing from Django: manage.py and wsgi.py call it before the settings are read.
"""

import os
import secrets
import sys
from pathlib import Path

LOCAL_ENV_PATH = Path(__file__).resolve().parent.parent / "var" / "local.env"
# Either of these in the environment means the caller configured the process itself: the file stays unread.
EXPLICIT_VARIABLES = ("DEBUG", "SECRET_KEY")


def should_read_local_env(environ=os.environ) -> bool:
    """True when the process has no settings of its own (see the module docstring)."""
    if environ.get("EVENTWEEK_ENV", "").strip().lower() == "production":
        return False
    return not any(name in environ for name in EXPLICIT_VARIABLES)


def read_local_env(path: Path = LOCAL_ENV_PATH, environ=os.environ) -> list[str]:
    """Fill the environment from the local file when the rule allows; returns the names it set."""
    if not should_read_local_env(environ) or not path.is_file():
        return []
    applied = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if name and name not in environ:
            environ[name] = value
            applied.append(name)
    return applied


def write_local_env(path: Path = LOCAL_ENV_PATH) -> bool:
    """Write the file once (DEBUG on, a generated SECRET_KEY); never overwrite it. True when written now."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# 本机开发设置：make run 生成，不纳入版本库。生产环境不读取本文件（见 README：本机设置文件）。\n"
        "DEBUG=1\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    # O_EXCL: two make runs started at once still write one file, never a half-written second one.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else LOCAL_ENV_PATH
    if write_local_env(target):
        print(f"已生成本机设置文件 {target}（DEBUG=1 和随机 SECRET_KEY）。")
