"""SIGTERM stops `make run` (scripts/run.sh: the django-q2 cluster and gunicorn) within 10 s, also when every process
got it at once as systemd sends it, the case where django-q2 can hang (its issue #346)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def run_env(tmp_path_factory):
    """The environment of `make run` on a migrated SQLite database of its own (ORM broker, no Redis)."""
    data_dir = tmp_path_factory.mktemp("run-sh")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EVENTWEEK_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update({"DEBUG": "1", "DATA_DIR": str(data_dir), "PYTHONDONTWRITEBYTECODE": "1"})
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return env


def _state(pid: int) -> str | None:
    """The process's state letter, or None once it is gone (a zombie counts as gone: it runs nothing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None if state in {"Z", "X"} else state


def _tree(root: int) -> set[int]:
    """root and every process under it."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def _start(env, log):
    port = _free_port()
    process = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        start_new_session=True,  # its own process group, as `make run` under systemd or docker
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # A readiness poll of the real server, bounded: it answers once gunicorn and the cluster are up.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("scripts/run.sh did not answer /healthz within 60 s")
    # The cluster's workers start after the web server answers: wait until its processes are there too.
    deadline = time.monotonic() + 30
    while len(_tree(process.pid)) < 8 and time.monotonic() < deadline:
        time.sleep(0.2)
    return process


def _stop_and_time(process, send) -> tuple[float, list[int]]:
    tree = _tree(process.pid)
    assert len(tree) >= 8, tree  # bash, qcluster and its sentinel, workers, monitor, pusher; gunicorn and workers
    started = time.monotonic()
    send(tree)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    while time.monotonic() - started < 15 and any(_state(pid) for pid in tree):
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    left = [pid for pid in tree if _state(pid)]
    for pid in left:  # leave nothing behind, whatever the outcome
        os.kill(pid, signal.SIGKILL)
    return elapsed, left


def test_sigterm_to_the_process_group_stops_the_cluster_and_the_server_within_10_s(run_env, tmp_path):
    with open(tmp_path / "run.log", "w") as log:
        process = _start(run_env, log)
        elapsed, left = _stop_and_time(process, lambda tree: os.killpg(process.pid, signal.SIGTERM))

    assert left == []
    assert elapsed < 10, elapsed
    assert process.returncode == 0
    assert (tmp_path / "run.log").read_text().rstrip().endswith("已停止。")


def test_sigterm_to_every_process_at_once_still_stops_within_10_s(run_env, tmp_path):
    def terminate_all(tree):
        for pid in tree:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    with open(tmp_path / "run.log", "w") as log:
        process = _start(run_env, log)
        elapsed, left = _stop_and_time(process, terminate_all)

    assert left == []
    assert elapsed < 10, elapsed
    assert process.returncode == 0
