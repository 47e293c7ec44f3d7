"""The Locust file (loadtest/locustfile.py) makes the participant's visit through the paths of quiz/urls.py and sends
autosaves by the paper page's rule (loadtest/phone.py, which the benchmark's journey phase uses too)."""

import importlib.util
import random
import sys
from pathlib import Path

import time_machine
from django.urls import resolve

from quiz.models import Attempt
from tests.quiz.conftest import DURING

ROOT = Path(__file__).resolve().parent.parent.parent


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def locustfile(monkeypatch):
    # Importing locust monkey-patches the whole process for gevent unless told not to; the tests need none of it.
    monkeypatch.setenv("LOCUST_SKIP_MONKEY_PATCH", "1")
    return sys.modules.get("h1_locustfile") or load("h1_locustfile", ROOT / "loadtest" / "locustfile.py")


def test_the_autosave_rule_sends_at_once_then_at_most_every_n_seconds_and_drops_a_timer_pending_at_submit(monkeypatch):
    schedule = locustfile(monkeypatch).autosave_schedule
    times = [5.0, 10.0, 40.0, 45.0, 50.0, 100.0, 105.0]
    assert schedule(times, 110.0, 30) == [(5.0, 1), (35.0, 2), (65.0, 5), (100.0, 6)]
    assert schedule(times, 140.0, 30) == [(5.0, 1), (35.0, 2), (65.0, 5), (100.0, 6), (130.0, 7)]
    assert schedule(times[:3], 40.2, 0) == [(5.3, 1), (10.3, 2)]
    assert schedule([5.0, 35.0, 36.0], 90.0, 30) == [(5.0, 1), (35.0, 2), (65.0, 3)]  # 30 s after the last: at once


def test_a_visit_goes_through_the_quiz_views_and_the_attempt_holds_what_it_submitted(monkeypatch, client, jiangsu_quiz):
    module = locustfile(monkeypatch)
    calls = []

    def send(kind, method, path, headers, body):
        extra = {"HTTP_" + key.upper().replace("-", "_"): value for key, value in headers.items()}
        extra.pop("HTTP_ACCEPT_ENCODING")  # the test client does not decompress
        if method == "GET":
            response = client.get(path, **extra)
        else:
            response = client.generic("POST", path, body, content_type=extra.pop("HTTP_CONTENT_TYPE"), **extra)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        calls.append((kind, path, response.status_code))
        return response.status_code, {k.lower(): v for k, v in response.items()}, content.decode(errors="replace")

    monkeypatch.setattr(module, "THINK_SCALE", 0)
    visit = module.Visit(send, lambda seconds: None, "http://testserver", random.Random(3), every=30)
    with time_machine.travel(DURING, tick=False):
        visit.run(jiangsu_quiz.slug, "13912345678")

    views = [(kind, resolve(path.split("?")[0]).url_name, status) for kind, path, status in calls if kind != "static"]
    assert views == [
        ("entry", "entry", 200),
        ("start", "entry", 302),
        ("paper", "paper", 200),
        *[("save", "save", 200)] * visit.saves,
        ("submit", "submit", 302),
        ("result", "result", 200),
    ]  # the share card waits in a closed <details> until the participant opens it
    assert 2 <= visit.saves <= 5  # ten questions, 4–16 s apart, at most one send every 30 s
    statics = [path for kind, path, status in calls if kind == "static"]
    assert len(statics) == len(set(statics)) and all(path.startswith("/static/") for path in statics)
    attempt = Attempt.objects.get(phone="13912345678")
    assert (attempt.status, len(attempt.answers), all(attempt.answers.values())) == ("submitted", 10, True)
    # Each request is counted in Locust under the pattern of the view it reaches.
    names = {kind: resolve(name.split(" ")[0].replace("[slug]", "x").replace("[token]", "t")).url_name
             for kind, name in module.NAMES.items() if kind != "static"}  # fmt: skip
    assert names == {
        "entry": "entry", "start": "entry", "paper": "paper", "save": "save", "submit": "submit", "result": "result",
        "share_card": "share_card",
    }  # fmt: skip
