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

Knobs (env): BENCH_SECONDS (per load phase, 8), BENCH_WARMUP (seconds of pings before the floor, 2), BENCH_CLIENTS (16),
BENCH_WORKERS (CPU count), BENCH_THREADS (4), BENCH_BIG (1000000), BENCH_EXPORT (100000), BENCH_EXPORT_SMALL (10000),
BENCH_PREFILL (20000 open attempts for the submit phase).
"""

import asyncio
import datetime
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
import time
import tracemalloc
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
                size = int((await self.reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            body = b"".join(chunks)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
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
        before = cpu_seconds()
        elapsed = asyncio.run(self._run())
        after = cpu_seconds()
        self.cpu = {group: after[group] - before.get(group, 0.0) for group in after}
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


def cpu_seconds() -> dict[str, float]:
    """CPU seconds (user + system) used so far by the server (gunicorn and its workers), the database server's
    processes (PostgreSQL's, when it runs on this machine), and this load generator; from /proc, so Linux only
    (elsewhere, empty)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used: dict[str, float] = {"server": 0.0, "database": 0.0, "generator": 0.0}
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
            used["generator"] += seconds
        elif pid == SERVER_PID or int(fields[1]) == SERVER_PID:
            used["server"] += seconds
        elif name == "postgres":
            used["database"] += seconds
    return used


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


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

    starts = Phase(port, start, prepare)
    elapsed = starts.run()
    results["start_rps"] = starts.count / elapsed
    errors += starts.errors
    log(f"{len(tokens)} attempts started")

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
    submitted: list[str] = []

    async def submit(client, index, n):
        if not queue:
            raise StopIteration
        token = queue.pop()
        data = f"csrfmiddlewaretoken={client.csrf}&{bodies[token]}".encode()
        status, headers, _body = await client.send(client.form_post(f"/quiz/a/{token}/submit/", data))
        if status == 302 and headers.get("location", "").endswith("/result/"):
            submitted.append(token)
        return status

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

    # Autosaves: each client saves one paper again and again, as quiz.js posts it on every change (→ 200 JSON).
    saved: set[str] = set()

    async def save(client, index, n):
        token = saving[(index + n * CLIENTS) % len(saving)]
        data = f"csrfmiddlewaretoken={client.csrf}&{bodies[token]}".encode()  # the whole form, as quiz.js posts it
        status, _headers, body = await client.send(client.form_post(f"/quiz/a/{token}/save/", data))
        if status == 200 and body.startswith(b'{"ok": true'):
            saved.add(token)
        return status

    saves = Phase(port, save, prepare)
    elapsed = saves.run() if saving else 1.0
    results["save_rps"] = saves.count / elapsed
    results["save_p95_ms"] = percentile(saves.latencies, 95) * 1000
    results["save_cpu_ms"] = saves.cpu_ms("server", "database")
    errors += saves.errors
    results["errors"] = errors
    # A save answered ok must hold the posted answers.
    held_answers = dict(Attempt.objects.filter(token__in=saved).values_list("token", "answers"))
    results["lost_saves"] = sum(
        1 for token in saved if held_answers.get(token) != {key[2:]: value for key, value in answered[token]}
    )

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
    log(f"{len(submitted)} attempts submitted, {len(queue)} left unsubmitted")
    return results


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
        prefill_open_attempts(quiz, PREFILL)
        org_ids = list(Org.objects.values_list("pk", flat=True))
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_gunicorn(env, port)
        global SERVER_PID
        SERVER_PID = server.pid
        log(
            f"gunicorn on 127.0.0.1:{port}, {WORKERS} workers × {THREADS} threads; {CLIENTS} clients, {SECONDS:g}s per phase"
        )
        results = run_load(port, quiz.slug, org_ids)
        server.terminate()
        server.wait(timeout=30)
        server = None

        closes = timezone.now() - datetime.timedelta(hours=2)
        big = closed_quiz("bench-big", closes)
        seconds = bulk_attempts(big, BIG, closes)
        log(f"{BIG} attempts inserted in {seconds:.1f}s")
        results.update(time_pages(big))
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
        ):  # fmt: skip
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
