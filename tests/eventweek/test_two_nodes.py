"""Scale-out, proven (README: 单机不够用时): two app nodes, each a gunicorn with its own task cluster, on one
PostgreSQL and one Redis. An attempt moves between the nodes, a bank edit on one node grades right on the other, and a
schedule runs once, not once per cluster.

The nodes are real processes with production settings on this test's database (the test commits what they read), so
the test runs only on PostgreSQL with Redis (CI's second pass) and is skipped on SQLite.
"""

import datetime
import time

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule, Task

from eventweek.models import LOCAL_TZ, User, Week
from quiz.models import Attempt, Question, Quiz
from quiz.services.attempts import save_answers, shown_values, start_attempt
from quiz.services.setup import load_sample_bank, save_quiz
from reporting.models import ReportNotice
from reporting.services.reminders import SCHEDULES as REPORTING_SCHEDULES

from .nodes import QUIZ_CACHE_SECONDS, Site, collect_static, form_fields, node_env

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="two app nodes share PostgreSQL and Redis: set DATABASE_URL=postgres://… and REDIS_URL=redis://…",
    ),
    # The nodes see only what is committed: transactional from the test's start.
    pytest.mark.django_db(transaction=True),
]

SWEEP = next(name for name, func in REPORTING_SCHEDULES.items() if func.endswith("sweep_missing_task"))
ADMIN_PASSWORD = "Jieneng-2-nodes!"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """A site's DATA_DIR after `collectstatic`, once for the module (what every node of a deployment shares)."""
    data_dir = tmp_path_factory.mktemp("two-nodes-data")
    collect_static(node_env(data_dir))
    return data_dir


@pytest.fixture
def two_nodes(deployed, tmp_path):
    """start() parks every schedule (nothing runs unless a test makes it due), starts node A and node B, and waits
    until both serve /healthz and both clusters run; they are stopped after the test, before its database is
    flushed."""
    site = Site()

    def start() -> Site:
        Schedule.objects.update(next_run=timezone.now() + datetime.timedelta(days=1))
        env = node_env(deployed)
        site.start_node(env, tmp_path)
        site.start_node(env, tmp_path)
        site.wait_until_ready()
        return site

    yield start
    site.stop()


@pytest.fixture
def quiz(demo) -> Quiz:
    """An open national quiz of 20 questions from the demo bank, 5 points each, 10 minutes per attempt."""
    now = timezone.now()
    quiz = Quiz(
        week=demo.national,
        slug="two-nodes",
        title="双节点竞答",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
        question_count=20,
        points_per_question=5,
        time_limit_seconds=600,
    )
    save_quiz(quiz)
    load_sample_bank(quiz)
    quiz.refresh_from_db()
    return quiz


def start_on(node: str, quiz: Quiz, phone: str, org) -> tuple[requests.Session, Attempt]:
    """A phone opens the entry page on a node and starts there (the form with its CSRF token): its cookies and the
    attempt."""
    phone_browser = requests.Session()
    entry = phone_browser.get(node + reverse("quiz:entry", args=[quiz.slug]), timeout=10)
    assert entry.status_code == 200
    fields = form_fields(entry.text, **{"class": "quiz-start"})
    fields.update(name="李四", phone=phone, org=str(org.pk))
    started = phone_browser.post(entry.url, data=fields, allow_redirects=False, timeout=10)
    assert started.status_code == 302, started.text[:300]
    attempt = Attempt.objects.get(quiz=quiz, phone=phone)
    assert started.headers["Location"] == reverse("quiz:paper", args=[attempt.token])
    return phone_browser, attempt


def paper_on(node: str, phone_browser: requests.Session, attempt: Attempt) -> dict[str, str]:
    """The paper page's hidden fields (the token, the signed sheet) as served by a node."""
    paper = phone_browser.get(node + reverse("quiz:paper", args=[attempt.token]), timeout=10)
    assert paper.status_code == 200
    return {k: v for k, v in form_fields(paper.text, id="quiz-form").items() if not k.startswith("q_")}


def posted(hidden: dict[str, str], attempt: Attempt, letters: dict[int, str]) -> list[tuple[str, str]]:
    """What the paper posts for {question id: the bank's letters}: the letters each option is shown under."""
    items = {item["q"]: item for item in attempt.paper}
    data = list(hidden.items())
    for qid, chosen in letters.items():
        data += [(f"q_{qid}", value) for value in shown_values(items[qid], chosen)]
    return data


def wrong(question: Question) -> str:
    """A wrong answer: an option outside the key, or (when every option is right) only part of the key."""
    outside = [letter for letter in question.letters if letter not in question.answer]
    return outside[0] if outside else question.answer[:1]


def submit_on(node: str, phone_browser, hidden, attempt, chosen):
    """交卷 on the node, as the paper's form posts it; the response unfollowed."""
    url = node + reverse("quiz:submit", args=[attempt.token])
    return phone_browser.post(url, data=posted(hidden, attempt, chosen), allow_redirects=False, timeout=10)


def test_an_attempt_started_on_node_a_is_autosaved_and_submitted_on_node_b(two_nodes, quiz, demo):
    a, b = two_nodes().urls
    phone_browser, attempt = start_on(a, quiz, "13900001111", demo.org("320100"))
    hidden = paper_on(b, phone_browser, attempt)
    questions = Question.objects.in_bulk([item["q"] for item in attempt.paper])
    order = [item["q"] for item in attempt.paper]
    # Odd numbers on the paper answered right, even ones wrong.
    chosen = {qid: questions[qid].answer if n % 2 else wrong(questions[qid]) for n, qid in enumerate(order, start=1)}

    first_three = {qid: chosen[qid] for qid in order[:3]}
    saved = phone_browser.post(
        b + reverse("quiz:save", args=[attempt.token]), data=posted(hidden, attempt, first_three), timeout=10
    )

    assert saved.status_code == 200
    body = saved.json()
    assert (body["ok"], 540 <= body["remaining"] <= 600) == (True, True)
    attempt.refresh_from_db()
    assert attempt.answers == {str(qid): letters for qid, letters in first_three.items()}
    assert attempt.status == Attempt.Status.OPEN

    submitted = submit_on(b, phone_browser, hidden, attempt, chosen)

    assert submitted.status_code == 302
    assert submitted.headers["Location"] == reverse("quiz:result", args=[attempt.token])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.answers == {str(qid): letters for qid, letters in chosen.items()}
    assert (attempt.correct_count, attempt.score, attempt.max_score) == (10, 50, 100)
    assert attempt.correct_questions == order[0::2]
    assert attempt.auto_submitted is False


def test_a_bank_edit_made_on_node_a_is_graded_on_node_b_after_quiz_cache_seconds(two_nodes, quiz, demo):
    admin = User.objects.create(username="two_nodes_super", is_superuser=True, is_staff=True)
    admin.password = _pbkdf2(ADMIN_PASSWORD)  # the nodes' hasher, not the tests' fast one
    admin.save(update_fields=["password"])
    a, b = two_nodes().urls
    # Node B holds the quiz and its bank as they stand before the edit: its entry page, its start, its paper.
    phone_browser, attempt = start_on(b, quiz, "13900002222", demo.org("320200"))
    hidden = paper_on(b, phone_browser, attempt)
    questions = Question.objects.in_bulk([item["q"] for item in attempt.paper])
    edited = next(q for q in questions.values() if q.kind == Question.Kind.SINGLE)
    old_answer, new_answer, old_version = edited.answer, wrong(edited), quiz.bank_version

    office = requests.Session()
    login = office.get(a + reverse("login"), timeout=10)
    credentials = {**form_fields(login.text, method="post"), "username": admin.username, "password": ADMIN_PASSWORD}
    assert office.post(login.url, data=credentials, allow_redirects=False, timeout=10).status_code == 302
    change = office.get(a + reverse("admin:quiz_question_change", args=[edited.pk]), timeout=10)
    assert change.status_code == 200
    fields = {**form_fields(change.text, id="question_form"), "answer": new_answer, "_save": "保存"}
    saved = office.post(change.url, data=fields, allow_redirects=False, timeout=10)

    assert (saved.status_code, saved.headers.get("Location")) == (302, reverse("admin:quiz_question_changelist"))
    edited.refresh_from_db()
    quiz.refresh_from_db()
    assert (edited.answer, edited.options) == (new_answer, questions[edited.pk].options)
    assert quiz.bank_version != old_version
    # Node B's own clock: what it holds of the quiz is kept at most QUIZ_CACHE_SECONDS.
    time.sleep(QUIZ_CACHE_SECONDS + 1)
    chosen = {qid: new_answer if qid == edited.pk else q.answer for qid, q in questions.items()}

    submitted = submit_on(b, phone_browser, hidden, attempt, chosen)

    assert submitted.status_code == 302
    attempt.refresh_from_db()
    assert attempt.answers[str(edited.pk)] == new_answer != old_answer
    assert (attempt.correct_count, attempt.score) == (20, 100)
    assert edited.pk in attempt.correct_questions


def test_the_quiz_close_task_and_the_16_00_sweep_run_once_with_two_clusters(two_nodes, quiz, demo):
    today = timezone.localdate(timezone.now(), LOCAL_TZ)
    # The Jiangsu week ended yesterday: three days past their 16:00 cutoff, its 13 cities filed nothing.
    Week.objects.filter(pk=demo.jiangsu.pk).update(
        start_date=today - datetime.timedelta(days=3), end_date=today - datetime.timedelta(days=1)
    )
    # An attempt whose time ran out 20 minutes ago, with five right and three wrong answers saved.
    now = timezone.now()
    expired = start_attempt(quiz, name="王五", phone="13900003333", org=demo.org("320300"), now=now - _minutes(30))
    questions = Question.objects.in_bulk([item["q"] for item in expired.paper])
    saved = QueryDict(mutable=True)
    saved["token"] = expired.token
    for n, item in enumerate(expired.paper[:8]):
        question = questions[item["q"]]
        saved.setlist(f"q_{question.pk}", shown_values(item, question.answer if n < 5 else wrong(question)))
    save_answers(expired.token, saved, now=now - _minutes(29))
    close = f"quiz:close:{quiz.pk}"
    site = two_nodes()
    # Due now for both clusters, whose schedulers first look about 30 s after they started.
    due_at = timezone.now()
    assert Schedule.objects.filter(name__in=[close, SWEEP]).update(next_run=due_at) == 2
    ran = Task.objects.filter(group__in=[close, SWEEP])

    # Both clusters' schedulers have looked once since (django-q2 calls it every 30 s of its guard loop), and the
    # tasks queued have run.
    looked = max(site.ready) + 36
    _wait_until(lambda: time.monotonic() > looked and set(ran.values_list("group", flat=True)) == {close, SWEEP}, 75)

    assert [process.poll() for process in site.processes] == [None] * 4  # both nodes, both clusters still up
    # The runs for this due time: the sweep (every minute) is due again 60 s later.
    runs = {
        name: list(ran.filter(group=name, started__lt=due_at + _minutes(1)).values_list("func", "success", "result"))
        for name in (close, SWEEP)
    }
    assert runs == {
        close: [("quiz.tasks.close_quiz_task", True, 1)],
        SWEEP: [("reporting.tasks.sweep_missing_task", True, 39)],
    }
    assert not Schedule.objects.filter(name=close).exists()
    expired.refresh_from_db()
    assert (expired.status, expired.auto_submitted, expired.correct_count, expired.score) == ("submitted", True, 5, 25)
    missing = ReportNotice.objects.filter(week=demo.jiangsu, kind=ReportNotice.Kind.MISSING)
    assert missing.count() == 39
    assert sorted(set(missing.values_list("day", flat=True))) == [today - _days(3), today - _days(2), today - _days(1)]


def _minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _wait_until(ready, seconds: float) -> None:
    """Poll the outside processes' progress, bounded."""
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


def _pbkdf2(password: str) -> str:
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt())
