"""Real app nodes for the scale-out test: gunicorn and `manage.py qcluster` processes with production settings on this
test's PostgreSQL database and Redis, each in its own process group, and a reader of HTML forms to drive them as a
browser does."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's bin: gunicorn sits beside its python
# django-q2's "Q Cluster … running." once its guard loop (and with it the scheduler's 30 s count) starts, in the
# site's language or in English.
RUNNING = ("正在运行。", " running.")
QUIZ_CACHE_SECONDS = 2  # the nodes' hold of the public quiz (short, so the bank-edit test waits little)
STOP_SECONDS = 5  # after SIGTERM, then SIGKILL: django-q2 can hang on SIGTERM (its issue #346)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The test database, for processes of their own (they see what the test commits)."""
    s = connection.settings_dict
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{quote(s['USER'])}:{quote(s['PASSWORD'] or '')}@{host}:{port}/{quote(s['NAME'])}"


def node_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of every node of one site: production settings (DEBUG off, static files from the manifest) over
    plain HTTP on loopback, the test's database and Redis, a queue of this site's own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EVENTWEEK_"))}
    env.update(
        {
            "EVENTWEEK_ENV": "production",  # never var/local.env
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            # TLS ends at the load balancer; these nodes are reached over plain HTTP.
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            # Its own queue and stats on the shared Redis: nothing left by another run or test is taken.
            "Q_NAME": f"twonodes-{secrets.token_hex(4)}",
            "Q_WORKERS": "1",
            # The cluster says when it runs and what its scheduler queued (django-q2 logs through the root logger).
            "LOG_LEVEL": "INFO",
            "Q_LOG_LEVEL": "INFO",
            "QUIZ_CACHE_SECONDS": str(QUIZ_CACHE_SECONDS),
            # The suite's own starts from 127.0.0.1 share the limit's window in Redis.
            "QUIZ_START_RATE": "100000/10m",
            "DATA_DIR": str(data_dir),
            "MEDIA_ROOT": str(data_dir / "media"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def collect_static(env: dict[str, str]) -> None:
    """What a deployment runs once: the hashed static files and their manifest under DATA_DIR."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )


@dataclass
class Site:
    """Web nodes (their base URLs) and task clusters (their logs), started as process groups."""

    urls: list[str] = field(default_factory=list)
    cluster_logs: list[Path] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    ready: list[float] = field(default_factory=list)  # time.monotonic() when each cluster was seen running

    def _spawn(self, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        with open(log, "w") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def start_node(self, env: dict[str, str], log_dir: Path) -> None:
        """One app node: gunicorn as the README runs it (smaller), and its own task cluster."""
        n, port = len(self.urls), _free_port()
        gunicorn = [str(BIN / "gunicorn"), "eventweek.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        gunicorn += ["--workers", "1", "--worker-class", "gthread", "--threads", "2", "--no-control-socket"]
        self._spawn(gunicorn, env, log_dir / f"gunicorn-{n}.log")
        self.urls.append(f"http://127.0.0.1:{port}")
        self.cluster_logs.append(log_dir / f"qcluster-{n}.log")
        self._spawn([sys.executable, "manage.py", "qcluster"], env, self.cluster_logs[-1])

    def wait_until_ready(self, seconds: float = 60) -> None:
        """Poll each web node's /healthz and each cluster's log, bounded; a process that exits fails at once."""
        deadline = time.monotonic() + seconds
        waiting_web, waiting_clusters = list(self.urls), list(self.cluster_logs)
        self.ready = [0.0] * len(self.cluster_logs)
        while waiting_web or waiting_clusters:
            dead = [p.args for p in self.processes if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                raise AssertionError(f"not ready: {waiting_web + waiting_clusters}; exited: {dead}")
            for url in list(waiting_web):
                try:
                    if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                        waiting_web.remove(url)
                except requests.RequestException:  # refused, or the worker still loading the app
                    pass
            for log in list(waiting_clusters):
                if any(said in log.read_text(errors="replace") for said in RUNNING):
                    self.ready[self.cluster_logs.index(log)] = time.monotonic()
                    waiting_clusters.remove(log)
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM to each leader (qcluster stops its own workers, monitor and pusher; gunicorn its workers), then
        SIGKILL to whatever is left of their process groups after STOP_SECONDS, as scripts/run.sh does."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline and any(_group_left(p) for p in self.processes):
            time.sleep(0.05)
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)


def _group_left(process: subprocess.Popen) -> bool:
    """Whether any process of the leader's group still runs (zombies run nothing)."""
    process.poll()  # reap the leader once it has exited
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _parent, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(group) == process.pid and state not in ("Z", "X"):
            return True
    return False


class _Forms(HTMLParser):
    """Every <form> of a page: its attributes and the fields a browser would post (checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append({"attrs": a, "fields": {}, "selects": {}})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.forms[-1]["fields"][a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            chosen = self.forms[-1]["selects"]
            if "selected" in a or self._select not in chosen:
                chosen[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            fields = self.forms[-1]["fields"]
            fields[self._textarea] += data.removeprefix("\n") if not fields[self._textarea] else data


def form_fields(html: str, **attrs: str) -> dict[str, str]:
    """The fields of the one form whose attributes include attrs (e.g. id="quiz-form"), as a browser would post them."""
    parser = _Forms()
    parser.feed(html)
    found = [f for f in parser.forms if all(f["attrs"].get(k) == v for k, v in attrs.items())]
    assert len(found) == 1, f"{len(found)} forms with {attrs}"
    return {**found[0]["selects"], **found[0]["fields"]}
