#!/usr/bin/env python
"""Benchmark of the quiz (make bench-quiz): prints key=value lines from one run.

It never touches the developer's database: with DATABASE_URL=postgres://…/NAME it creates a scratch database
NAME_quizbench_<pid> on the same server (dropped at the end); without DATABASE_URL it uses a SQLite file in a temp dir.
Then it migrates and seeds the scratch database, starts gunicorn (gthread workers, --no-control-socket) on 127.0.0.1
and a free port, and drives it with a small load generator (one asyncio loop in one thread, raw HTTP/1.1 over
keep-alive connections, request bytes built before the clock starts, so it takes little of the CPUs it shares with
the server and the database), loopback only, bounded in time and count:

  floor_rps                      GET /quiz/ping/ (a trivial view on the same server: the framework's floor)
  start_rps                      POST the entry form (name, phone, unit) → 302 to the paper
  submit_rps, submit_p50/95/99_ms POST a 20-question paper with the page's hidden fields (token, signed sheet) → 302
  submit_vs_floor                submit_rps / floor_rps
  floor_cpu_ms, submit_cpu_ms    CPU per request of the server (gunicorn) and the database (PostgreSQL on this machine),
  submit_db_cpu_ms               from /proc: where the ratio goes, whatever the luck of how connections met workers;
  generator_cpu_share            submit_db_cpu_ms is the database's part; the last, what the generator took beside them
  save_rps, save_p95_ms, save_cpu_ms  POST the paper to its autosave URL, again and again, as the page does on every
                                 change (→ 200 JSON); on attempts set aside, after the submits
  errors                         non-2xx/3xx responses and failed connections, all phases
  lost_attempts                  started or submitted attempts the database does not hold (as submitted), or holds twice
  lost_saves                     autosaved attempts whose answers in the database are not the ones posted
  leaderboard_ms, participation_ms  the management pages over BENCH_BIG (1,000,000) attempts (median of 5, in process)
  export_s, bare_openpyxl_s, export_vs_bare, export_peak_mb  the attempts export of BENCH_EXPORT (100,000) attempts
  export_peak_mb_10k             export_peak_mb measured the same way for BENCH_EXPORT_SMALL (10,000) attempts: memory
                                 that does not grow with the row count keeps the two close

The journey and the burst are phones, not request loops: each simulated participant is a browser (WeChat's on Android:
its User-Agent, Accept, Accept-Encoding: gzip, deflate, br, Sec-Fetch-*, Origin and Referer headers, its cookie jar, up
to 6 keep-alive connections, no cache on arrival) going through the same HTTP paths as the page:

  journey_*                      BENCH_JOURNEY (400) participants, BENCH_CLIENTS at a time, each: GET the entry page and
                                 every file it references (stylesheets, icons, scripts, images; in parallel, first
                                 visit), POST start (CSRF cookie and token, a name, a phone of its own, a unit from the
                                 page's select) → 302, GET the paper, the autosaves the page's script sends while the
                                 20 questions are answered, POST 交卷 → 302, GET the result and what it references that
                                 the phone does not hold yet (the share card). The autosaves follow the page's timing
                                 rule (static/js/quiz.js) with N = settings.QUIZ_AUTOSAVE_SECONDS (0, or missing: one
                                 send per answer after the 300 ms debounce): think times seeded uniform 4–16 s per
                                 question and one more before 交卷, on a simulated clock, the requests fired back to
                                 back; each posts FormData(form) (multipart, every answer chosen so far; a
                                 multiple-choice question's boxes are ticked as one change); a timer still pending at
                                 交卷 is dropped (the submit carries every answer).
  journey_autosave_seconds       the N simulated
  journey_cpu_ms                 server + database CPU per participant (the processes as for floor_cpu_ms)
  journey_db_cpu_ms, journey_server_cpu_ms  its two parts
  journey_requests, journey_kb   requests, and response kilobytes on the wire (status line, headers, body), per
                                 participant
  journey_saves                  autosaves per participant
  journey_participants, journey_participants_per_s  participants run, and how many per second the phase got through
  journey_vs_floor               journey_cpu_ms / floor_cpu_ms (the floor of the same run)
  app_nodes_for_peak             430 participants/s × journey_server_cpu_ms ÷ (2 cores × 0.7): two-core app nodes of
                                 this machine at 70% for the national peak
  lost_answers                   answers a participant saw as saved (its last acknowledged autosave) or submitted (302
                                 to the result) that the database does not hold, question by question, after the phase
  journey_lost_attempts          journey attempts missing, or not submitted though the phone was sent to the result
  journey_errors                 unexpected statuses and failed connections in the journey
  journey_generator_cpu_share    the load generator's CPU beside the server's and the database's, in the journey
  burst_p50_ms, burst_p95_ms     BENCH_BURST (5000) participants arriving open-loop, evenly within BENCH_BURST_SECONDS
                                 (60): each GETs the entry page and its files, POSTs start, GETs the paper; from its
                                 first request to the paper received (one that fails or takes over 60 s ranks last:
                                 inf when more than 5% never got their paper)
  burst_errors                   burst participants that did not get their paper
  burst_cpu_ms, burst_generator_cpu_share  server + database CPU per burst participant; the generator's share
  burst_start_lag_p95_ms         how late the generator let participants begin (its event loop behind schedule): near
                                 0 when the generator is not the bottleneck

The burst raises the generator's CPU priority (nice -10, when run as root) so that it is not the bottleneck on a
shared machine; burst_start_lag_p95_ms shows whether it was. The server gets QUIZ_START_RATE=100000000/10m: every
simulated phone comes from 127.0.0.1, and the per-address start limit is there for scripts, not for the bench. The
database's CPU counts the PostgreSQL server's shared processes and the backends of the scratch database, not backends
of other databases on the same server. CPU is sampled every 0.2 s during a phase, so a backend that ends mid-phase
(Django closes connections older than CONN_MAX_AGE) keeps its share.

Knobs (env): BENCH_SECONDS (per load phase, 8), BENCH_WARMUP (seconds of pings before the floor, 2), BENCH_CLIENTS (16),
BENCH_WORKERS (CPU count), BENCH_THREADS (4), BENCH_BIG (1000000), BENCH_EXPORT (100000), BENCH_EXPORT_SMALL (10000),
BENCH_PREFILL (20000 open attempts for the submit phase), BENCH_JOURNEY (400), BENCH_BURST (5000), BENCH_BURST_SECONDS
(60), BENCH_ONLY (comma list of phases, default all: floor, start, submit, save, journey, burst, pages, export; floor
always runs; the keys of phases left out are not printed), e.g. BENCH_ONLY=floor,journey,burst for the participant's
cost alone (about three minutes).
"""

import asyncio
import datetime
import gzip
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadtest.phone import ACCEPT, PHONE_UA, Paper, autosave_schedule, subresources, tags  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
BIG = int(os.environ.get("BENCH_BIG", "1000000"))
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT", "100000"))
EXPORT_ROWS_SMALL = int(os.environ.get("BENCH_EXPORT_SMALL", "10000"))
PREFILL = int(os.environ.get("BENCH_PREFILL", "20000"))
SAVE_ATTEMPTS = 1000  # open attempts set aside for the autosave phase
WARMUP = float(os.environ.get("BENCH_WARMUP", "2"))
MAX_REQUESTS = 200_000  # per phase, whatever the time: the generator is bounded in count as well
JOURNEY = int(os.environ.get("BENCH_JOURNEY", "400"))
BURST = int(os.environ.get("BENCH_BURST", "5000"))
BURST_SECONDS = float(os.environ.get("BENCH_BURST_SECONDS", "60"))
PHASES = ("floor", "start", "submit", "save", "journey", "burst", "pages", "export")
ONLY = {"floor"} | {
    phase.strip() for phase in (os.environ.get("BENCH_ONLY") or ",".join(PHASES)).split(",") if phase.strip()
}  # floor always runs: journey_vs_floor and submit_vs_floor divide by the floor of the same run
if ONLY - set(PHASES):
    raise SystemExit(
        f"BENCH_ONLY: unknown phase(s) {', '.join(sorted(ONLY - set(PHASES)))}; known: {', '.join(PHASES)}"
    )

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


# -- the scratch database ----------------------------------------------------------------------------------------


class Scratch:
    """A throwaway database: a new PostgreSQL database on the configured server, or a SQLite file in a temp dir."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="quizbench-"))
        url = os.environ.get("DATABASE_URL", "")
        self.pg = url.startswith(("postgres://", "postgresql://", "pgsql://"))
        if self.pg:
            parsed = urllib.parse.urlparse(url)
            base = urllib.parse.unquote(parsed.path.lstrip("/")) or "postgres"
            self.name = f"{base}_quizbench_{os.getpid()}"
            self.admin = dict(
                host=parsed.hostname or "localhost",
                port=parsed.port or 5432,
                user=urllib.parse.unquote(parsed.username or ""),
                password=urllib.parse.unquote(parsed.password or ""),
                dbname="postgres",
            )
            self.url = parsed._replace(path="/" + self.name).geturl()
            self._pg_admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.name = str(self.tmp / "bench.sqlite3")
            self.url = f"sqlite:///{self.name}"

    def _pg_admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(**self.admin, autocommit=True) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        if self.pg:
            try:
                self._pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            except Exception as exc:  # the numbers are printed already; say what is left behind
                log(f"could not drop {self.name}: {exc}")
        shutil.rmtree(self.tmp, ignore_errors=True)


def configure(scratch: Scratch) -> dict:
    """Environment for this process and gunicorn: production settings against the scratch database."""
    env = {
        "DATABASE_URL": scratch.url,
        "DJANGO_SETTINGS_MODULE": "eventweek.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATA_DIR": str(scratch.tmp / "data"),
        "MEDIA_ROOT": str(scratch.tmp / "media"),
        "LOG_LEVEL": "WARNING",
        # Every simulated phone comes from 127.0.0.1: the per-address start limit would refuse the bench, not a script.
        "QUIZ_START_RATE": "100000000/10m",
    }
    os.environ.update(env)
    return {**os.environ}


# -- seeding -----------------------------------------------------------------------------------------------------


def seed_live_quiz():
    """Core demo data plus an open 20-question quiz with the demo bank."""
    from django.utils import timezone

    from eventweek import demo as core_demo
    from eventweek.models import Week
    from quiz.models import Quiz
    from quiz.services import setup

    core_demo.load()
    now = timezone.now()
    quiz = Quiz(
        week=Week.objects.get(slug="2020-national"),
        slug="bench-live",
        title="压测竞答",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
        question_count=20,
        time_limit_seconds=3600,
    )
    setup.save_quiz(quiz)
    setup.load_sample_bank(quiz)
    return quiz


def prefill_open_attempts(quiz, count: int) -> None:
    """Open attempts with real drawn papers, so the submit phase never runs out of work to do."""
    from django.utils import timezone

    from eventweek.models import Org
    from quiz.models import Attempt
    from quiz.services import attempts

    org_ids = list(Org.objects.values_list("pk", flat=True))
    now = timezone.now()
    Attempt.objects.bulk_create(
        [
            Attempt(
                quiz=quiz, name="预置", phone=f"17{i:09d}", org_id=org_ids[i % len(org_ids)], paper=attempts.draw_paper(quiz),
                started_at=now, deadline=now + datetime.timedelta(hours=1), max_score=100,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )  # fmt: skip


def bulk_attempts(quiz, count: int, closes: datetime.datetime, hours: int = 32) -> float:
    """Insert `count` submitted attempts fast (COPY on PostgreSQL, executemany on SQLite); returns seconds."""
    from django.db import connection

    from eventweek.models import Org

    org_ids = list(Org.objects.values_list("pk", flat=True))
    opens = closes - datetime.timedelta(hours=hours)
    span = int((closes - opens).total_seconds()) - 700
    rng = random.Random(quiz.pk)
    columns = (
        "quiz_id, token, name, phone, org_id, number, paper, answers, started_at, deadline, status, submitted_at, "
        "auto_submitted, late_answers_ignored, score, max_score, correct_count, duration_ms, correct_questions"
    )
    began = time.perf_counter()

    def rows():
        for i in range(count):
            started = opens + datetime.timedelta(seconds=int(span * (i / count) ** 1.3))
            correct = min(20, int(rng.triangular(8, 21, 18)))
            took = rng.randint(60_000, 590_000)
            yield (
                quiz.pk,
                f"bench{quiz.pk}-{i}-{rng.getrandbits(64):016x}",
                "参赛者",
                str(15000000000 + i),
                rng.choice(org_ids),
                1,
                "[]",
                "{}",
                started,
                started + datetime.timedelta(seconds=600),
                "submitted",
                started + datetime.timedelta(milliseconds=took),
                False,
                False,
                correct * 5,
                100,
                correct,
                took,
                "[]",
            )

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY quiz_attempt ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            cursor.execute("ANALYZE quiz_attempt")
    else:
        adapt = connection.ops.adapt_datetimefield_value  # Django's SQLite text format, so range filters still work
        marks = ", ".join(["%s"] * 19)
        sql = f"INSERT INTO quiz_attempt ({columns}) VALUES ({marks})"
        batch = []
        with connection.cursor() as cursor:
            for row in rows():
                batch.append(row[:8] + (adapt(row[8]), adapt(row[9]), row[10], adapt(row[11])) + row[12:])
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
            cursor.execute("ANALYZE")
    return time.perf_counter() - began


def closed_quiz(slug: str, closes: datetime.datetime):
    from eventweek.models import Week
    from quiz.models import Quiz
    from quiz.services import setup

    quiz = Quiz(
        week=Week.objects.get(slug="2020-national"),
        slug=slug,
        title=f"压测竞答 {slug}",
        opens_at=closes - datetime.timedelta(hours=32),
        closes_at=closes,
        question_count=20,
    )
    return setup.save_quiz(quiz)


# -- the server and the load generator ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "eventweek.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS),
        "--worker-class", "gthread",
        "--threads", str(THREADS),
        "--no-control-socket",
        "--keep-alive", "30",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/quiz/ping/")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start: " + process.stderr.read().decode(errors="replace")[-2000:])


class Client:
    """One keep-alive connection with its cookies, like one phone: raw HTTP/1.1 over asyncio streams, so the load
    generator spends as little of the shared CPUs as it can (requests are bytes built before the clock starts)."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookies: dict[str, str] = {}
        self.cookie_header = b""
        self.csrf = ""
        self.received = 0  # response bytes read on this connection (status line, headers, body as framed)

    async def connect(self) -> None:
        self.close()
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def form_post(self, path: str, data: bytes) -> bytes:
        """A POST of an already encoded form body, as bytes (with this client's cookies as they are now)."""
        return (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
            + self.cookie_header
            + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + str(len(data)).encode()
            + b"\r\n\r\n"
            + data
        )

    def build(self, method: str, path: str, body: dict | list | None = None) -> bytes:
        """The request as bytes (with this client's cookies as they are now); a body makes it a form POST."""
        if body is not None:
            return self.form_post(path, urllib.parse.urlencode(body, doseq=True).encode())
        return f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode() + self.cookie_header + b"\r\n"

    async def send(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        for attempt in range(2):
            try:
                if self.writer is None:
                    await self.connect()
                self.writer.write(raw)
                return await self._response()
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, dict[str, str], bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        self.received += len(head)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        cookies_changed = False
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
                cookies_changed = True
            else:
                headers[name] = value
        if cookies_changed:
            self.cookie_header = ("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()) + "\r\n").encode()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                line = await self.reader.readuntil(b"\r\n")
                size = int(line.split(b";", 1)[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                self.received += len(line) + size + 2
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            body = b"".join(chunks)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
            self.received += len(body)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    async def request(self, method: str, path: str, body: dict | list | None = None) -> tuple[int, dict, bytes]:
        return await self.send(self.build(method, path, body))


class Phase:
    """Run `await work(client, index, n)` on CLIENTS connections (one asyncio loop, one thread) for SECONDS;
    collect statuses and latencies. `work` returns the status, or raises StopIteration when there is no more work."""

    def __init__(self, port: int, work, prepare=None, seconds: float = SECONDS):
        self.port, self.work, self.prepare, self.seconds = port, work, prepare, seconds
        self.latencies: list[float] = []
        self.errors = 0
        self.count = 0
        self.cpu: dict[str, float] = {}

    def run(self) -> float:
        meter = CpuMeter().start()
        elapsed = asyncio.run(self._run())
        self.cpu = meter.stop()
        return elapsed

    def cpu_ms(self, *groups: str) -> float:
        """CPU time of these process groups per request, in ms."""
        return sum(self.cpu.get(group, 0.0) for group in groups) * 1000 / max(self.count, 1)

    async def _run(self) -> float:
        clients = [Client(self.port) for _ in range(CLIENTS)]
        for client in clients:
            await client.connect()
            if self.prepare:
                await self.prepare(client)
        clock = time.perf_counter
        began = clock()
        stop_at = began + self.seconds

        async def loop(client, index):
            n = 0
            while self.count < MAX_REQUESTS:
                start = clock()
                if start >= stop_at:
                    return
                try:
                    status = await self.work(client, index, n)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    status = 599
                except StopIteration:
                    return
                self.latencies.append(clock() - start)
                self.count += 1
                n += 1
                if status >= 400:
                    self.errors += 1

        await asyncio.gather(*(loop(client, index) for index, client in enumerate(clients)))
        elapsed = clock() - began
        for client in clients:
            client.close()
        return elapsed


SERVER_PID = 0  # the gunicorn master, once started
DATABASE_NAME = ""  # the scratch database: PostgreSQL backends of other databases on the same server are not ours
BACKEND_TITLE = re.compile(r"^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])")


def process_cpu() -> dict[int, tuple[str, float]]:
    """CPU seconds (user + system) used so far by each process of the server (gunicorn and its workers), the database
    server (PostgreSQL's, when it runs on this machine) and this load generator: pid → (group, seconds); from /proc, so
    Linux only (elsewhere, empty)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    found: dict[int, tuple[str, float]] = {}
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        if pid == os.getpid():
            found[pid] = ("generator", seconds)
        elif pid == SERVER_PID or int(fields[1]) == SERVER_PID:
            found[pid] = ("server", seconds)
        elif name == "postgres" and not other_database(pid):
            found[pid] = ("database", seconds)
    return found


class CpuMeter:
    """CPU seconds per group (server, database, generator) between start() and stop(). A thread samples /proc every
    0.2 s, so a process that ends in between still counts up to its last sample: a database backend ends whenever
    Django closes a connection older than CONN_MAX_AGE (60 s), and its CPU would otherwise vanish from the sum."""

    def __init__(self):
        self.base: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample_until_done, daemon=True)

    def start(self) -> "CpuMeter":
        self.last = process_cpu()
        self.base = {pid: seconds for pid, (_group, seconds) in self.last.items()}
        self.thread.start()
        return self

    def _sample_until_done(self) -> None:
        while not self.done.wait(0.2):
            self.last.update(process_cpu())

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join()
        self.last.update(process_cpu())
        used = {"server": 0.0, "database": 0.0, "generator": 0.0}
        for pid, (group, seconds) in self.last.items():
            used[group] += seconds - self.base.get(pid, 0.0)
        return used


def other_database(pid: int) -> bool:
    """Whether this PostgreSQL process is a backend connected to another database than the scratch one (another
    developer's tests on the same server); the server's shared processes (WAL writer, checkpointer…) count as ours."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            title = cmdline.read().split(b"\0", 1)[0].decode(errors="replace")
    except OSError:
        return False
    match = BACKEND_TITLE.match(title)
    return bool(match and DATABASE_NAME and match.group(1) != DATABASE_NAME)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


# -- the participant's journey and the burst, as a phone makes them -----------------------------------------------

MAX_CONNECTIONS = 6  # per host, as a phone's browser opens them (HTTP/1.1)
PARTICIPANT_TIMEOUT = 60.0  # seconds for one burst participant before it counts as an error


def decoded(headers: dict, body: bytes) -> str:
    encoding = headers.get("content-encoding", "").lower()
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "deflate":
        body = zlib.decompress(body)
    elif encoding == "br":
        import brotli  # only if the server sends brotli (the phone accepts it)

        body = brotli.decompress(body)
    return body.decode("utf-8")


class Phone:
    """One participant's browser: its cookies, up to six keep-alive connections, the files it already holds, and the
    request headers a phone sends (navigation, subresource, fetch). Counts requests and response bytes on the wire."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.jar: dict[str, str] = {}
        self.connections: list[Client] = []
        self.held: set[str] = set()
        self.requests = 0
        self.received = 0

    def close(self) -> None:
        for connection in self.connections:
            connection.close()

    def raw(self, method, path, dest, referer="", body=b"", content_type="", navigate=True) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: keep-alive"]
        if method == "POST":
            lines += [f"Content-Length: {len(body)}"]
            if navigate:
                lines += ["Cache-Control: max-age=0"]
            lines += [f"Origin: {self.origin}", f"Content-Type: {content_type}"]
        if dest == "document":
            lines += ["Upgrade-Insecure-Requests: 1"]
        lines += [f"User-Agent: {PHONE_UA}", f"Accept: {ACCEPT[dest]}", "X-Requested-With: com.tencent.mm"]
        site = "same-origin" if referer else "none"
        if dest == "document":
            lines += [
                f"Sec-Fetch-Site: {site}",
                "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-User: ?1",
                "Sec-Fetch-Dest: document",
            ]
        else:
            mode = "cors" if dest == "empty" else "no-cors"
            lines += [f"Sec-Fetch-Site: {site}", f"Sec-Fetch-Mode: {mode}", f"Sec-Fetch-Dest: {dest}"]
        if referer:
            lines += [f"Referer: {self.origin}{referer}"]
        lines += ["Accept-Encoding: gzip, deflate, br", "Accept-Language: zh-CN,zh;q=0.9,en-US;q=0.8,en;q=0.7"]
        if self.jar:
            lines += ["Cookie: " + "; ".join(f"{k}={v}" for k, v in self.jar.items())]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def connection(self, index: int) -> Client:
        while len(self.connections) <= index:
            client = Client(self.port)
            client.cookies = self.jar  # one cookie jar for the phone, whichever connection a response came on
            self.connections.append(client)
        return self.connections[index]

    async def send(self, raw: bytes, index: int = 0) -> tuple[int, dict, bytes]:
        client = self.connection(index)
        before = client.received
        response = await client.send(raw)
        self.requests += 1
        self.received += client.received - before
        return response

    async def page(self, method, path, referer="", body=b"", content_type="") -> tuple[int, dict, str]:
        """A navigation: the document, then (on 200) its subresources the phone does not hold yet, in parallel on up
        to MAX_CONNECTIONS connections. Returns the status, headers and the decoded HTML (empty unless 200)."""
        status, headers, raw_body = await self.send(self.raw(method, path, "document", referer, body, content_type))
        if status != 200:
            return status, headers, ""
        html = decoded(headers, raw_body)
        wanted = [(url, dest) for url, dest in subresources(html) if url not in self.held]
        self.held.update(url for url, _dest in wanted)
        failed = 0

        async def lane(index):
            nonlocal failed
            for url, dest in wanted[index::MAX_CONNECTIONS]:
                if (await self.send(self.raw("GET", url, dest, path), index))[0] != 200:
                    failed += 1

        await asyncio.gather(*(lane(index) for index in range(min(MAX_CONNECTIONS, len(wanted)))))
        if failed:
            return 599, headers, html
        return status, headers, html

    async def form_post(self, path, fields: list[tuple[str, str]], referer) -> tuple[int, dict]:
        """A form submission (application/x-www-form-urlencoded, the fields in document order)."""
        body = urllib.parse.urlencode(fields).encode()
        raw = self.raw("POST", path, "document", referer, body, "application/x-www-form-urlencoded")
        status, headers, _body = await self.send(raw)
        return status, headers

    async def fetch_form_data(self, path, fields: list[tuple[str, str]], referer) -> tuple[int, bytes]:
        """fetch(url, {method: "POST", body: new FormData(form)}): multipart/form-data with a WebKit boundary."""
        boundary = "----WebKitFormBoundary" + secrets.token_urlsafe(12)[:16]
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields
        ]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        raw = self.raw("POST", path, "empty", referer, body, f"multipart/form-data; boundary={boundary}", False)
        status, _headers, response = await self.send(raw)
        return status, response


async def journey_one(port: int, entry: str, number: int, every: float) -> dict:
    """One participant's whole visit, as a phone makes it; returns what it saw (for lost_answers) and what it cost."""
    rng = random.Random(number)
    phone = Phone(port)
    seen = {"token": "", "acked": {}, "submitted": {}, "saves": 0, "errors": 0}
    try:
        status, _headers, html = await phone.page("GET", entry)
        if status != 200:
            seen["errors"] += 1
            return seen
        csrf = CSRF_INPUT.search(html).group(1)
        orgs = [attrs["value"] for tag, attrs in tags(html) if tag == "option" and attrs.get("value")]
        fields = [
            ("csrfmiddlewaretoken", csrf),
            ("name", "压测"),
            ("phone", f"18{number:09d}"),
            ("org", rng.choice(orgs)),
        ]
        status, headers = await phone.form_post(entry, fields, entry)
        if status != 302:
            seen["errors"] += 1
            return seen
        paper_path = headers["location"]
        seen["token"] = paper_path.rstrip("/").rsplit("/", 1)[-1]
        status, _headers, html = await phone.page("GET", paper_path, entry)  # the redirect keeps the POST's referrer
        if status != 200:
            seen["errors"] += 1
            return seen
        paper = Paper(html)
        if paper.save_every is not None and paper.save_every != every:
            log(f"the page says data-save-every={paper.save_every}, settings say {every:g}: simulating {every:g}")
        names = list(paper.questions)
        chosen: dict[str, list[str]] = {}
        picks = []
        for name in names:
            values = paper.questions[name]
            if paper.kinds[name] == "checkbox":
                picks.append(sorted(rng.sample(values, rng.randint(1, len(values))), key=values.index))
            else:
                picks.append([rng.choice(values)])
        clock, answer_times = 0.0, []
        for _name in names:
            clock += rng.uniform(4, 16)
            answer_times.append(clock)
        submit_at = clock + rng.uniform(4, 16)  # a last look over the sheet, 交卷, the confirmation
        for _at, given in autosave_schedule(answer_times, submit_at, every):
            chosen = {name: picks[i] for i, name in enumerate(names[:given])}
            status, body = await phone.fetch_form_data(paper.save_url, paper.fields(chosen), paper_path)
            seen["saves"] += 1
            if status == 200 and body.startswith(b'{"ok": true'):
                seen["acked"] = dict(chosen)
            else:
                seen["errors"] += 1
        chosen = {name: picks[i] for i, name in enumerate(names)}
        status, headers = await phone.form_post(paper.action, paper.fields(chosen), paper_path)
        if status != 302 or not headers.get("location", "").endswith("/result/"):
            seen["errors"] += 1
            return seen
        seen["submitted"] = chosen
        status, _headers, _html = await phone.page("GET", headers["location"], paper_path)
        if status != 200:
            seen["errors"] += 1
        return seen
    except (OSError, asyncio.IncompleteReadError, ValueError, AttributeError, KeyError, IndexError):
        seen["errors"] += 1
        return seen
    finally:
        phone.close()
        seen["requests"], seen["received"] = phone.requests, phone.received


def run_journey(port: int, slug: str) -> dict:
    """BENCH_JOURNEY participants, BENCH_CLIENTS at a time, each through journey_one; CPU over the phase."""
    from django.conf import settings

    every = float(getattr(settings, "QUIZ_AUTOSAVE_SECONDS", 0) or 0)
    entry = f"/quiz/{slug}/"
    numbers = iter(range(JOURNEY))
    seen: list[dict] = []

    async def lane():
        for number in numbers:
            seen.append(await journey_one(port, entry, number, every))

    async def run():
        await asyncio.gather(*(lane() for _ in range(CLIENTS)))

    meter = CpuMeter().start()
    began = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - began
    used = meter.stop()
    people = max(len(seen), 1)
    server_ms, db_ms = used.get("server", 0) * 1000 / people, used.get("database", 0) * 1000 / people
    lost, missing = lost_answers(seen)
    return {
        "journey_autosave_seconds": every,
        "journey_participants": len(seen),
        "journey_cpu_ms": server_ms + db_ms,
        "journey_db_cpu_ms": db_ms,
        "journey_server_cpu_ms": server_ms,
        "journey_requests": sum(s["requests"] for s in seen) / people,
        "journey_kb": sum(s["received"] for s in seen) / 1024 / people,
        "journey_saves": sum(s["saves"] for s in seen) / people,
        "journey_participants_per_s": len(seen) / elapsed,
        "journey_errors": sum(s["errors"] for s in seen),
        "journey_generator_cpu_share": used.get("generator", 0)
        / max(used.get("server", 0) + used.get("database", 0), 1e-9),
        "app_nodes_for_peak": 430 * server_ms / 1000 / (2 * 0.7),
        "lost_answers": lost,
        "journey_lost_attempts": missing,
        "journey_s": elapsed,
    }


def lost_answers(seen: list[dict]) -> tuple[int, int]:
    """Answers the participants saw as saved (their last acknowledged autosave) or submitted (302 to the result) that
    the database does not hold, question by question (shown letters mapped to the bank's through the stored paper);
    and attempts missing, or not submitted though the phone was sent to the result."""
    from quiz.models import LETTERS, Attempt

    held = {
        token: (answers, status, paper)
        for token, answers, status, paper in Attempt.objects.filter(
            token__in=[s["token"] for s in seen if s["token"]]
        ).values_list("token", "answers", "status", "paper")
    }
    lost = missing = 0
    for s in seen:
        expected = s["submitted"] or s["acked"]
        if not s["token"]:
            continue
        if s["token"] not in held:
            missing += 1
            lost += len(expected)
            continue
        answers, status, paper = held[s["token"]]
        if s["submitted"] and status != "submitted":
            missing += 1
        shown = {str(item["q"]): item["o"] for item in paper}
        for name, values in expected.items():
            qid = name[2:]
            bank = "".join(sorted(LETTERS[shown[qid][LETTERS.index(v)]] for v in values if v))
            if answers.get(qid) != bank:
                lost += 1
    return lost, missing


async def burst_one(port: int, entry: str, number: int, at: float, orgs: list[str], lags: list[float]) -> float | None:
    """One participant of the burst: at its time, the entry page with its files, start, the paper; seconds from the
    first request to the paper received (None on any error or after PARTICIPANT_TIMEOUT). Appends to lags how late
    the generator let it begin."""
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    phone = Phone(port)
    began = time.perf_counter()
    lags.append(began - at)
    try:
        async with asyncio.timeout(PARTICIPANT_TIMEOUT):
            status, _headers, html = await phone.page("GET", entry)
            if status != 200:
                return None
            csrf = CSRF_INPUT.search(html).group(1)
            fields = [("csrfmiddlewaretoken", csrf), ("name", "压测"), ("phone", f"16{number:09d}"),
                      ("org", orgs[number % len(orgs)])]  # fmt: skip
            status, headers = await phone.form_post(entry, fields, entry)
            if status != 302:
                return None
            status, _headers, _html = await phone.page("GET", headers["location"], entry)
            return time.perf_counter() - began if status == 200 else None
    except (OSError, asyncio.IncompleteReadError, ValueError, AttributeError, KeyError, TimeoutError):
        return None
    finally:
        phone.close()


def run_burst(port: int, slug: str, orgs: list[int]) -> dict:
    """BENCH_BURST participants arriving open-loop, evenly within BENCH_BURST_SECONDS."""
    entry = f"/quiz/{slug}/"
    gap = BURST_SECONDS / max(BURST, 1)
    org_values = [str(pk) for pk in orgs]
    lags: list[float] = []

    async def run():
        start = time.perf_counter() + 0.5
        participants = (burst_one(port, entry, n, start + n * gap, org_values, lags) for n in range(BURST))
        return await asyncio.gather(*participants)

    # The generator goes first for the CPUs (as a separate load machine would): its event loop late by seconds would
    # be counted as the server's latency. The server started before this, at the usual priority.
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -10)
    except (OSError, AttributeError):
        log("could not raise the generator's priority (needs root): burst_start_lag_p95_ms tells whether it lagged")
    meter = CpuMeter().start()
    began = time.perf_counter()
    latencies = asyncio.run(run())
    elapsed = time.perf_counter() - began
    used = meter.stop()
    ok = [t for t in latencies if t is not None]
    failed = len(latencies) - len(ok)
    ranked = ok + [float("inf")] * failed  # a participant who never got the paper is slower than any who did
    return {
        "burst_p50_ms": percentile(ranked, 50) * 1000,
        "burst_p95_ms": percentile(ranked, 95) * 1000,
        "burst_errors": failed,
        "burst_cpu_ms": (used.get("server", 0) + used.get("database", 0)) * 1000 / max(len(latencies), 1),
        "burst_generator_cpu_share": used.get("generator", 0)
        / max(used.get("server", 0) + used.get("database", 0), 1e-9),
        "burst_start_lag_p95_ms": percentile(lags, 95) * 1000,
        "burst_s": elapsed,
    }


def run_load(port: int, slug: str, org_ids: list[int]) -> dict:
    from quiz.models import Attempt

    results: dict = {}

    # Floor: the trivial view, after a warm-up, so every worker has loaded the app before the clock starts (a
    # worker still importing Django would halve the floor, and flatter the ratio).
    async def ping(client, index, n):
        return (await client.send(client.ping))[0]

    async def prepare_ping(client):
        client.ping = client.build("GET", "/quiz/ping/")

    Phase(port, ping, prepare_ping, seconds=WARMUP).run()
    floor = Phase(port, ping, prepare_ping)
    elapsed = floor.run()
    results["floor_rps"] = floor.count / elapsed
    results["floor_cpu_ms"] = floor.cpu_ms("server", "database")
    errors = floor.errors

    # Starts: each client fetches the entry page once (CSRF cookie and token), then signs up new phones.
    entry = f"/quiz/{slug}/"
    tokens: dict[str, str] = {}  # token → phone
    submitted: list[str] = []

    async def prepare(client):
        status, _headers, body = await client.request("GET", entry)
        client.csrf = CSRF_INPUT.search(body.decode()).group(1)

    async def start(client, index, n):
        phone = f"13{index:03d}{n:06d}"
        status, headers, _body = await client.request(
            "POST",
            entry,
            {"csrfmiddlewaretoken": client.csrf, "name": "压测", "phone": phone, "org": org_ids[n % len(org_ids)]},
        )
        if status == 302:
            tokens[headers["location"].rstrip("/").rsplit("/", 1)[-1]] = phone
        return status

    if "start" in ONLY:
        starts = Phase(port, start, prepare)
        elapsed = starts.run()
        results["start_rps"] = starts.count / elapsed
        errors += starts.errors
        log(f"{len(tokens)} attempts started")
    if "submit" in ONLY or "save" in ONLY:
        errors += submit_and_save(port, slug, prepare, results, submitted)
    if "journey" in ONLY:
        log(f"journey: {JOURNEY} participants, {CLIENTS} at a time")
        results.update(run_journey(port, slug))
        results["journey_vs_floor"] = results["journey_cpu_ms"] / max(results["floor_cpu_ms"], 1e-9)
        log(f"journey took {results['journey_s']:.1f}s")
    if "burst" in ONLY:
        log(f"burst: {BURST} participants within {BURST_SECONDS:g}s")
        results.update(run_burst(port, slug, org_ids))
        log(f"burst took {results['burst_s']:.1f}s")
    results["errors"] = errors

    # Lost: a started attempt missing or held twice, a submitted one not held as submitted.
    held = Attempt.objects.filter(quiz__slug=slug)
    held_tokens = set(held.values_list("token", flat=True))
    missing_started = sum(1 for token in tokens if token not in held_tokens)
    results["attempts_started"], results["attempts_submitted"] = len(tokens), len(submitted)
    submitted_held = set(held.filter(token__in=submitted, status="submitted").values_list("token", flat=True))
    missing_submitted = len(set(submitted) - submitted_held)
    phones = list(held.values_list("phone", flat=True))
    duplicates = len(phones) - len(set(phones))
    results["lost_attempts"] = missing_started + missing_submitted + duplicates
    return results


def submit_and_save(port: int, slug: str, prepare, results: dict, submitted: list[str]) -> int:
    """The submit and autosave phases (on the open attempts: the prefilled ones and those the start phase made);
    fills results, appends the submitted tokens; returns the errors."""
    from quiz.models import LETTERS, Attempt

    errors = 0

    # Submits: the started attempts and the prefilled ones, answered at random (the paper as the page shows it).
    # The bodies are encoded before the clock starts; each client adds its own cookies and CSRF token.
    # The hidden fields are the ones the paper page carries (the token, the signed sheet, and an empty value beside
    # each multiple-choice question's boxes).
    from quiz.models import Question
    from quiz.services import sheet

    open_attempts = {a.token: a for a in Attempt.objects.filter(quiz__slug=slug, status="open").select_related("quiz")}
    queue = list(open_attempts)
    random.Random(1).shuffle(queue)
    # Autosaves go to attempts of their own, after the submits (so the submit phase measures what it always did).
    saving = queue[:SAVE_ATTEMPTS]
    del queue[:SAVE_ATTEMPTS]
    multiple = set(Question.objects.filter(quiz__slug=slug, kind=Question.Kind.MULTIPLE).values_list("pk", flat=True))
    rng = random.Random(2)
    answered = {
        # A random option as the page posts it: the letter it is shown under (the same draws as picking from item["o"]).
        token: [(f"q_{item['q']}", "ABCDEF"[rng.randrange(len(item["o"]))]) for item in attempt.paper]
        for token, attempt in open_attempts.items()
    }
    bodies = {
        token: urllib.parse.urlencode(
            [("token", token), ("sheet", sheet.sheet_for(attempt))]
            + [(f"q_{item['q']}", "") for item in attempt.paper if item["q"] in multiple]
            + answered[token]
        )
        for token, attempt in open_attempts.items()
    }

    async def submit(client, index, n):
        if not queue:
            raise StopIteration
        token = queue.pop()
        data = f"csrfmiddlewaretoken={client.csrf}&{bodies[token]}".encode()
        status, headers, _body = await client.send(client.form_post(f"/quiz/a/{token}/submit/", data))
        if status == 302 and headers.get("location", "").endswith("/result/"):
            submitted.append(token)
        return status

    if "submit" in ONLY:
        submits = Phase(port, submit, prepare)
        elapsed = submits.run()
        results["submit_rps"] = submits.count / elapsed
        for p in (50, 95, 99):
            results[f"submit_p{p}_ms"] = percentile(submits.latencies, p) * 1000
        results["submit_vs_floor"] = results["submit_rps"] / results["floor_rps"] if results["floor_rps"] else 0
        results["submit_cpu_ms"] = submits.cpu_ms("server", "database")
        results["submit_db_cpu_ms"] = submits.cpu_ms("database")
        results["generator_cpu_share"] = submits.cpu_ms("generator") / max(submits.cpu_ms("server", "database"), 1e-9)
        errors += submits.errors
        log(f"{len(submitted)} attempts submitted, {len(queue)} left unsubmitted")

    # Autosaves: each client saves one paper again and again, as quiz.js posts it on every change (→ 200 JSON).
    saved: set[str] = set()

    async def save(client, index, n):
        token = saving[(index + n * CLIENTS) % len(saving)]
        data = f"csrfmiddlewaretoken={client.csrf}&{bodies[token]}".encode()  # the whole form, as quiz.js posts it
        status, _headers, body = await client.send(client.form_post(f"/quiz/a/{token}/save/", data))
        if status == 200 and body.startswith(b'{"ok": true'):
            saved.add(token)
        return status

    if "save" in ONLY:
        saves = Phase(port, save, prepare)
        elapsed = saves.run() if saving else 1.0
        results["save_rps"] = saves.count / elapsed
        results["save_p95_ms"] = percentile(saves.latencies, 95) * 1000
        results["save_cpu_ms"] = saves.cpu_ms("server", "database")
        errors += saves.errors
        # A save answered ok must hold the posted answers: the shown letters, as the bank's through the paper (the
        # options are shuffled per attempt).
        held_answers = dict(Attempt.objects.filter(token__in=saved).values_list("token", "answers"))

        def as_bank(token):
            options = {f"q_{item['q']}": item["o"] for item in open_attempts[token].paper}
            return {key[2:]: LETTERS[options[key][LETTERS.index(value)]] for key, value in answered[token]}

        results["lost_saves"] = sum(1 for token in saved if held_answers.get(token) != as_bank(token))
    return errors


# -- pages and exports over many attempts -------------------------------------------------------------------------


def time_pages(quiz) -> dict:
    from django.test import Client as DjangoClient

    from eventweek.models import User
    from quiz.services import participation

    began = time.perf_counter()
    participation.refresh_participation(quiz)  # what the first view (or the periodic task) does once
    rollup = time.perf_counter() - began
    client = DjangoClient()
    client.force_login(User.objects.get(username="national_admin"))
    out = {"participation_rollup_s": rollup}
    for key, name in (("leaderboard_ms", "leaderboard"), ("participation_ms", "participation")):
        url = f"/quiz/manage/{quiz.pk}/{name}/"
        assert client.get(url).status_code == 200  # warm
        samples = []
        for _ in range(5):
            began = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        out[key] = statistics.median(samples)
    return out


def time_export(quiz) -> dict:
    from openpyxl import Workbook

    from quiz import exporters
    from quiz.models import ExportJob

    job = ExportJob.objects.create(quiz=quiz, kind=ExportJob.Kind.ATTEMPTS)
    began = time.perf_counter()
    exporters.run_export(job.pk)
    export_s = time.perf_counter() - began
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == EXPORT_ROWS, (job.status, job.rows_done)

    # The same rows, already in memory, written by bare openpyxl (write-only): the floor for the export.
    exporter = exporters.AttemptsExporter(quiz)
    rows = list(exporter.rows())
    path = Path(os.environ["MEDIA_ROOT"]) / "bare.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)  # the exports themselves are written to the private root
    began = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(exporter.title)
    sheet.append(exporter.header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    bare_s = time.perf_counter() - began
    del rows

    # Peak Python memory of a second export run (tracemalloc slows it, so it is not the timed run).
    job = ExportJob.objects.create(quiz=quiz, kind=ExportJob.Kind.ATTEMPTS)
    tracemalloc.start()
    exporters.run_export(job.pk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "export_s": export_s,
        "bare_openpyxl_s": bare_s,
        "export_vs_bare": export_s / bare_s if bare_s else 0,
        "export_peak_mb": peak / 1024 / 1024,
    }


def export_peak_small(quiz) -> dict:
    """export_peak_mb as time_export measures it (an untraced run first, then a run under tracemalloc), for the
    smaller export: compared with export_peak_mb it shows whether memory grows with the row count."""
    from quiz import exporters
    from quiz.models import ExportJob

    job = ExportJob.objects.create(quiz=quiz, kind=ExportJob.Kind.ATTEMPTS)
    exporters.run_export(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == EXPORT_ROWS_SMALL, (job.status, job.rows_done)
    job = ExportJob.objects.create(quiz=quiz, kind=ExportJob.Kind.ATTEMPTS)
    tracemalloc.start()
    exporters.run_export(job.pk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"export_peak_mb_10k": peak / 1024 / 1024}


def main() -> None:
    scratch = Scratch()
    server = None
    try:
        env = configure(scratch)
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from eventweek.models import Org

        log(f"scratch database {scratch.name}")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        quiz = seed_live_quiz()
        if "submit" in ONLY or "save" in ONLY:
            prefill_open_attempts(quiz, PREFILL)
        org_ids = list(Org.objects.values_list("pk", flat=True))
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_gunicorn(env, port)
        global SERVER_PID, DATABASE_NAME
        SERVER_PID = server.pid
        DATABASE_NAME = scratch.name if scratch.pg else ""
        log(
            f"gunicorn on 127.0.0.1:{port}, {WORKERS} workers × {THREADS} threads; {CLIENTS} clients, {SECONDS:g}s per phase"
        )
        results = run_load(port, quiz.slug, org_ids)
        server.terminate()
        server.wait(timeout=30)
        server = None

        closes = timezone.now() - datetime.timedelta(hours=2)
        if "pages" in ONLY:
            big = closed_quiz("bench-big", closes)
            seconds = bulk_attempts(big, BIG, closes)
            log(f"{BIG} attempts inserted in {seconds:.1f}s")
            results.update(time_pages(big))
        if "export" in ONLY:
            export = closed_quiz("bench-export", closes)
            bulk_attempts(export, EXPORT_ROWS, closes)
            results.update(time_export(export))
            small = closed_quiz("bench-export-small", closes)
            bulk_attempts(small, EXPORT_ROWS_SMALL, closes)
            results.update(export_peak_small(small))

        for key in (
            "attempts_started", "attempts_submitted", "floor_rps", "start_rps", "submit_rps", "submit_p50_ms", "submit_p95_ms", "submit_p99_ms",
            "submit_vs_floor", "floor_cpu_ms", "submit_cpu_ms", "submit_db_cpu_ms", "generator_cpu_share",
            "save_rps", "save_p95_ms", "save_cpu_ms", "errors", "lost_attempts", "lost_saves", "leaderboard_ms", "participation_ms",
            "participation_rollup_s", "export_s", "bare_openpyxl_s", "export_vs_bare", "export_peak_mb",
            "export_peak_mb_10k",
            "journey_autosave_seconds", "journey_participants", "journey_cpu_ms", "journey_db_cpu_ms",
            "journey_server_cpu_ms", "journey_requests", "journey_kb", "journey_saves", "journey_participants_per_s",
            "journey_vs_floor", "app_nodes_for_peak", "lost_answers", "journey_lost_attempts", "journey_errors",
            "journey_generator_cpu_share", "burst_p50_ms", "burst_p95_ms", "burst_errors", "burst_cpu_ms",
            "burst_generator_cpu_share", "burst_start_lag_p95_ms",
        ):  # fmt: skip
            if key not in results:  # a phase left out by BENCH_ONLY
                continue
            value = results[key]
            print(f"{key}={value}" if isinstance(value, int) else f"{key}={value:.2f}", flush=True)
    finally:
        if server is not None:
            server.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        scratch.drop()


if __name__ == "__main__":
    main()
