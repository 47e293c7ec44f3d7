"""Background exports never hang: a job whose worker died is run again or marked failed, within minutes.

The first tests kill a real `manage.py qcluster` in the middle of an export. The cluster is a process of its own, so it
needs a database both can open: on PostgreSQL the test database itself (committed writes); on SQLite, whose test
database lives in this process's memory, a file made for the test.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from eventweek import demo as demo_module
from quiz import exporters, tasks
from quiz.models import Attempt, ExportJob
from quiz.services.setup import ensure_schedules

from .conftest import DURING, make_quiz

ROOT = Path(__file__).resolve().parents[2]
ROWS = 40_000  # eight progress writes: the cluster is killed after the first and well before the last
LEASE = datetime.timedelta(seconds=exporters.DEFAULT_EXPORT_LEASE_SECONDS)
STOPPED = "导出中断：后台任务已停止（已尝试 %s 次），请重新导出。"


# On PostgreSQL the cluster reads what this test commits: the test is transactional from its start. A transactional_db
# asked for from inside a fixture comes too late (pytest-django has by then wrapped the test in TestCase's transaction,
# which the cluster never sees), and unmarked the test database is not even created when these tests run alone.
committed_for_the_cluster = (
    pytest.mark.django_db(transaction=True) if connection.vendor == "postgresql" else pytest.mark.usefixtures()
)


@pytest.fixture
def shared_database(request, tmp_path, django_db_blocker):
    """A DATABASE_URL for another process naming the database this test uses."""
    request.getfixturevalue("django_db_setup")  # never the configured (development) database
    if connection.vendor == "postgresql":
        assert connection.get_autocommit(), "mark the test @committed_for_the_cluster: the cluster sees commits only"
        s = connection.settings_dict
        yield (
            f"postgres://{quote(s['USER'])}:{quote(s['PASSWORD'])}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
            f"{quote(s['NAME'])}"
        )
        return
    path = tmp_path / "shared.sqlite3"
    with django_db_blocker.unblock():
        memory, name = connection.connection, connection.settings_dict["NAME"]
        connection.connection = None  # the in-memory test database is kept (open) for the tests after this one
        connection.settings_dict["NAME"] = str(path)
        try:
            call_command("migrate", verbosity=0, interactive=False)
            yield f"sqlite:///{path}"
        finally:
            connection.close()
            connection.settings_dict["NAME"] = name
            connection.connection = memory


@pytest.fixture
def big_quiz(shared_database):
    """The Jiangsu quiz with ROWS submitted attempts."""
    orgs = demo_module.load_orgs()
    demo_module.load_users(orgs)
    weeks = demo_module.load_weeks(orgs)
    quiz = make_quiz(weeks["2020-jiangsu"], question_count=10)
    nanjing = orgs["320100"]
    Attempt.objects.bulk_create(
        (
            Attempt(
                quiz=quiz, name=f"参与者{n}", phone=f"139{n:08d}", org=nanjing, started_at=DURING,
                deadline=DURING + datetime.timedelta(minutes=30), status=Attempt.Status.SUBMITTED,
                submitted_at=DURING + datetime.timedelta(seconds=60 + n % 600), score=n % 101, max_score=100,
                correct_count=n % 11, duration_ms=60_000 + n % 600_000,
            )
            for n in range(ROWS)
        ),
        batch_size=2000,
    )  # fmt: skip
    return quiz


def _cluster_env(database_url: str, settings) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EVENTWEEK_"))}
    env.update(
        {
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "REPORT_PRIVATE_ROOT": str(settings.REPORT_PRIVATE_ROOT),
            "DATA_DIR": str(Path(settings.REPORT_PRIVATE_ROOT).parent / "data"),
            "Q_WORKERS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def _export_killed_mid_way(quiz, database_url, settings, tmp_path) -> ExportJob:
    """Queue the attempts export, let a real cluster write its first rows, then SIGKILL the whole cluster."""
    job, cluster = _export_interrupted(quiz, database_url, settings, tmp_path, signal.SIGKILL)
    cluster.wait(timeout=30)
    return job


def _export_interrupted(quiz, database_url, settings, tmp_path, sig) -> tuple[ExportJob, subprocess.Popen]:
    """Queue the attempts export, let a real cluster write its first rows, then send sig to the whole cluster."""
    from django_q.conf import Conf

    user = demo_module.User.objects.get(username="jiangsu_admin")
    Conf.SYNC = False  # queued for the real cluster (the tests' default runs tasks inline)
    job = exporters.start_export(quiz, ExportJob.Kind.ATTEMPTS, user=user)
    Conf.SYNC = True
    with open(tmp_path / "qcluster.log", "w") as log:
        cluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=_cluster_env(database_url, settings),
            start_new_session=True,  # its own process group: the signal reaches sentinel, workers, monitor and pusher
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90  # a bounded poll of the real process's progress
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.rows_done > 0 or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
                break
            time.sleep(0.02)
    finally:
        if sig == signal.SIGSTOP and database_url.startswith("sqlite:"):
            _stop_outside_a_write(cluster, database_url.removeprefix("sqlite:///"))
        else:
            os.killpg(cluster.pid, sig)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.file) == (ExportJob.Status.RUNNING, 1, ""), tmp_path / "qcluster.log"
    assert 0 < job.rows_done < ROWS
    return job, cluster


def _stop_outside_a_write(cluster, path: str) -> None:
    """SIGSTOP the cluster, but not while one of its processes holds SQLite's write lock (the broker takes it for a
    moment at every poll): stopped there, it would lock this test out of the database for as long as it is stopped."""
    for _attempt in range(50):
        os.killpg(cluster.pid, signal.SIGSTOP)
        probe = sqlite3.connect(path, timeout=0.2)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return
        except sqlite3.OperationalError:
            os.killpg(cluster.pid, signal.SIGCONT)
        finally:
            probe.close()
    pytest.fail("the cluster held the database's write lock at every try")


def _files():
    return sorted(path.name for path in Path(exporters.export_storage().location).glob("*.xlsx"))


@committed_for_the_cluster
def test_an_export_whose_cluster_was_killed_is_run_again_to_done_after_the_lease(
    big_quiz, shared_database, settings, tmp_path
):
    job = _export_killed_mid_way(big_quiz, shared_database, settings, tmp_path)
    killed_at = job.heartbeat_at

    assert tasks.recover_exports_task() == {"requeued": 0, "failed": 0}  # a fresh heartbeat: still its worker's
    with time_machine.travel(killed_at + LEASE + datetime.timedelta(seconds=1), tick=False):
        assert tasks.recover_exports_task() == {"requeued": 1, "failed": 0}  # and, inline here, run again

    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done, job.rows_total, job.error) == ("done", 2, ROWS, ROWS, "")
    assert _files() == [job.file]
    rows = list(load_workbook(exporters.export_path(job), read_only=True).active.iter_rows(min_row=2, values_only=True))
    assert (len(rows), rows[1][:3], rows[-1][0]) == (ROWS + 1, (1, "参与者100", "13900000100"), ROWS)


@committed_for_the_cluster
def test_an_export_whose_cluster_was_killed_on_its_last_attempt_is_failed_with_a_message(
    big_quiz, shared_database, settings, tmp_path
):
    settings.QUIZ_EXPORT_MAX_ATTEMPTS = 1
    job = _export_killed_mid_way(big_quiz, shared_database, settings, tmp_path)

    with time_machine.travel(job.heartbeat_at + LEASE + datetime.timedelta(seconds=1), tick=False):
        assert tasks.recover_exports_task() == {"requeued": 0, "failed": 1}
        now = timezone.now()

    job.refresh_from_db()
    assert (job.status, job.get_status_display(), job.error) == ("failed", "失败", STOPPED % 1)
    assert job.finished_at == now
    assert _files() == []


@committed_for_the_cluster
def test_a_stalled_original_that_wakes_after_its_job_was_run_again_writes_nothing(
    big_quiz, shared_database, settings, tmp_path
):
    from django_q.models import Task

    job, cluster = _export_interrupted(big_quiz, shared_database, settings, tmp_path, signal.SIGSTOP)
    try:
        with time_machine.travel(job.heartbeat_at + LEASE + datetime.timedelta(seconds=1), tick=False):
            assert tasks.recover_exports_task() == {"requeued": 1, "failed": 0}  # run again here, to done
        job.refresh_from_db()
        done = (job.status, job.attempts, job.rows_done, job.file)
        assert done[:3] == ("done", 2, ROWS)

        os.killpg(cluster.pid, signal.SIGCONT)  # the original wakes up mid-export
        deadline = time.monotonic() + 90  # until the cluster has recorded how its run ended
        while time.monotonic() < deadline and not Task.objects.filter(result=False).exists():
            time.sleep(0.05)
    finally:
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait(timeout=30)

    assert list(
        Task.objects.filter(name=f"quiz-export-{job.pk}").order_by("started").values_list("result", flat=True)
    ) == [False, True]  # the original (started first) stood down; the run again wrote the file
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done, job.file) == done
    assert _files() == [job.file]


# -- the lease and the claim, in this process ---------------------------------------------------------------------


@pytest.fixture
def job(demo):
    quiz = make_quiz(demo.jiangsu, question_count=10)
    return exporters.start_export(quiz, ExportJob.Kind.PARTICIPATION, user=demo.user("jiangsu_admin"))


def _stale_running(job, attempts):
    """The job as a worker that died mid-export leaves it."""
    at = timezone.now() - LEASE - datetime.timedelta(seconds=1)
    ExportJob.objects.filter(pk=job.pk).update(status="running", attempts=attempts, heartbeat_at=at, rows_done=5000)


def test_a_running_export_within_its_lease_is_left_alone(job):
    ExportJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())

    assert exporters.recover_stale_exports() == {"requeued": 0, "failed": 0}

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)


def test_a_stale_export_below_the_attempt_limit_is_run_again(job, django_capture_on_commit_callbacks):
    _stale_running(job, attempts=2)

    with django_capture_on_commit_callbacks(execute=True):
        assert exporters.recover_stale_exports() == {"requeued": 1, "failed": 0}

    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 3, "")
    assert _files() == [job.file]


def test_a_stale_export_at_the_attempt_limit_is_failed_and_its_page_says_so(job, client_for, demo):
    _stale_running(job, attempts=3)

    assert exporters.recover_stale_exports() == {"requeued": 0, "failed": 1}

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", STOPPED % 3)
    page = client_for(demo.user("jiangsu_admin")).get(f"/quiz/manage/{job.quiz_id}/exports/{job.pk}/")
    assert STOPPED % 3 in page.content.decode()


def test_a_queued_export_whose_task_was_lost_is_queued_again(job, django_capture_on_commit_callbacks):
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - LEASE - datetime.timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert exporters.recover_stale_exports() == {"requeued": 1, "failed": 0}

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 1)


def test_the_export_sweep_is_scheduled_every_minute_once(db):
    from django_q.models import Schedule

    ensure_schedules()
    ensure_schedules()

    assert list(Schedule.objects.filter(name="quiz:export-sweep").values_list("func", "schedule_type", "minutes")) == [
        ("quiz.tasks.recover_exports_task", "I", 1)
    ]
