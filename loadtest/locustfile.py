"""Locust: the quiz participant's whole visit, as a phone makes it, against a staging site (development only).

Each Locust user is one phone after another. A visit: the entry page and the files it references (first visit, no
cache), 开始答题 (a random phone number), the paper, the autosaves the page's script sends while 20 questions are answered
(the page's rule: at most one send every LOCUST_AUTOSAVE_SECONDS, the same rule and think times as the
journey phase of scripts/bench_quiz.py), 交卷 and the result (its share card waits in a closed <details>
until the participant opens it, so a visit does not fetch it). Then the next phone.

Run it from a machine other than the app nodes, against a staging copy (never production: it creates attempts):

    .venv/bin/pip install -r requirements-dev.txt
    LOCUST_QUIZ=drill-quiz LOCUST_THINK_SCALE=0.05 .venv/bin/locust -f loadtest/locustfile.py \\
        --host https://staging.example.cn --headless -u 200 -r 20 -t 10m --csv var/locust

Staging needs an open quiz (LOCUST_QUIZ, its slug) and QUIZ_START_RATE raised for the load generator's address (all
the users start from it: by default the site refuses a 601st start per address in 10 minutes).

Environment: LOCUST_QUIZ (drill-quiz), LOCUST_AUTOSAVE_SECONDS (30: what the site's QUIZ_AUTOSAVE_SECONDS says; 0 =
one save per answer), LOCUST_THINK_SCALE (1: real think times, 4–16 s per question, about 3.5 minutes a visit; 0.05
makes a visit about 11 s; the requests a visit sends do not change with it, only how long they are apart),
LOCUST_PHONE_PREFIX (19: phones are the prefix and 9 random digits).

Reading it against app_nodes_for_peak (make bench-quiz): the row "VISIT whole visit" counts finished participants; its
requests/s is participants per second. Raise -u until the app nodes' CPU stands near 70% (watch them, not Locust) with
the median response times still flat; then one node carries P = that rate ÷ the number of app nodes, and the national
peak (430 participants/s) needs 430 ÷ P nodes of that kind. On the machine that ran the benchmark, that is what
app_nodes_for_peak predicts from CPU alone (430 × journey_server_cpu_ms ÷ (2 cores × 0.7)); a staging count much above
it means the time goes elsewhere (the proxy, TLS, the network, the database). Locust's "Fail" column must stay 0.
"""

import os
import random
import re
import secrets
import sys
import time
import urllib.parse
from pathlib import Path

from locust import FastHttpUser, task

# Run as `locust -f loadtest/locustfile.py` from the checkout: the project's root on the path for loadtest.phone.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest.phone import ACCEPT, PHONE_UA, Paper, autosave_schedule, subresources, tags  # noqa: E402

QUIZ = os.environ.get("LOCUST_QUIZ", "drill-quiz")
AUTOSAVE_SECONDS = float(os.environ.get("LOCUST_AUTOSAVE_SECONDS", "30"))
THINK_SCALE = float(os.environ.get("LOCUST_THINK_SCALE", "1"))
PHONE_PREFIX = os.environ.get("LOCUST_PHONE_PREFIX", "19")

# The name each request is counted under in Locust's statistics, by the view of quiz/urls.py it reaches.
NAMES = {
    "entry": "/quiz/[slug]/",
    "static": "/static/[file]",
    "start": "/quiz/[slug]/ (start)",
    "paper": "/quiz/a/[token]/",
    "save": "/quiz/a/[token]/save/",
    "submit": "/quiz/a/[token]/submit/",
    "result": "/quiz/a/[token]/result/",
    "share_card": "/quiz/a/[token]/card.png",
}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def path_of(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Visit:
    """One participant's visit, driven through send(kind, method, path, headers, body) → (status, headers, text) and
    sleep(seconds): Locust's client below, Django's test client in tests/test_locustfile.py."""

    def __init__(self, send, sleep, origin: str, rng: random.Random, every: float = AUTOSAVE_SECONDS):
        self.send, self.sleep, self.origin, self.rng, self.every = send, sleep, origin, rng, every
        self.held: set[str] = set()
        self.saves = 0

    def headers(self, dest: str, referer: str = "", content_type: str = "") -> dict:
        out = {"User-Agent": PHONE_UA, "Accept": ACCEPT[dest], "Accept-Language": "zh-CN,zh;q=0.9"}
        out["Accept-Encoding"] = "gzip, deflate, br"
        site = "same-origin" if referer else "none"
        mode = "navigate" if dest == "document" else "cors" if dest == "empty" else "no-cors"
        out.update({"Sec-Fetch-Site": site, "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest})
        if referer:
            out["Referer"] = self.origin + referer
        if content_type:
            out.update({"Origin": self.origin, "Content-Type": content_type})
        return out

    def page(self, kind: str, path: str, referer: str = "") -> str:
        """A navigation: the document, then the files it references that the phone does not hold yet."""
        status, _headers, text = self.send(kind, "GET", path, self.headers("document", referer), None)
        if status != 200:
            raise VisitFailed(f"{kind} {status}")
        for url, dest in subresources(text):
            if url not in self.held:
                self.held.add(url)
                sub = "static" if url.startswith("/static/") else "share_card"
                self.send(sub, "GET", url, self.headers(dest, path), None)
        return text

    def post_form(self, kind, path, fields, referer):
        body = urllib.parse.urlencode(fields)
        headers = self.headers("document", referer, "application/x-www-form-urlencoded")
        status, response_headers, _text = self.send(kind, "POST", path, headers, body)
        if status != 302:
            raise VisitFailed(f"{kind} {status}")
        return path_of(response_headers["location"])

    def run(self, quiz: str, phone: str) -> None:
        entry = f"/quiz/{quiz}/"
        text = self.page("entry", entry)
        orgs = [attrs["value"] for tag, attrs in tags(text) if tag == "option" and attrs.get("value")]
        fields = [("csrfmiddlewaretoken", CSRF_INPUT.search(text).group(1)), ("name", "压测"), ("phone", phone)]
        paper_path = self.post_form("start", entry, fields + [("org", self.rng.choice(orgs))], entry)
        paper = Paper(self.page("paper", paper_path, entry))
        names = list(paper.questions)
        picks = []
        for name in names:
            values = paper.questions[name]
            if paper.kinds[name] == "checkbox":
                picks.append(sorted(self.rng.sample(values, self.rng.randint(1, len(values))), key=values.index))
            else:
                picks.append([self.rng.choice(values)])
        clock, answer_times = 0.0, []
        for _name in names:
            clock += self.rng.uniform(4, 16)
            answer_times.append(clock)
        submit_at = clock + self.rng.uniform(4, 16)
        now = 0.0
        for at, given in autosave_schedule(answer_times, submit_at, self.every):
            self.sleep((at - now) * THINK_SCALE)
            now = at
            chosen = {name: picks[i] for i, name in enumerate(names[:given])}
            boundary = "----WebKitFormBoundary" + secrets.token_urlsafe(12)[:16]
            body = (
                "".join(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
                    for key, value in paper.fields(chosen)
                )
                + f"--{boundary}--\r\n"
            )
            headers = self.headers("empty", paper_path, f"multipart/form-data; boundary={boundary}")
            self.send("save", "POST", paper.save_url, headers, body.encode())
            self.saves += 1
        self.sleep((submit_at - now) * THINK_SCALE)
        chosen = {name: picks[i] for i, name in enumerate(names)}
        result = self.post_form("submit", paper.action, paper.fields(chosen), paper_path)
        self.page("result", result, paper_path)


class VisitFailed(Exception):
    pass


class Participant(FastHttpUser):
    """One phone after another, each making the whole visit (Visit) with a fresh cookie jar and an empty cache."""

    def on_start(self):
        self.rng = random.Random()

    def send(self, kind, method, path, headers, body):
        with self.client.request(
            method, path, name=NAMES[kind], headers=headers, data=body, allow_redirects=False, catch_response=True
        ) as response:
            ok = response.status_code in (200, 302) and not (kind == "save" and b'"ok": true' not in response.content)
            if ok:
                response.success()
            else:
                response.failure(f"{kind}: {response.status_code}")
            return response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.text or ""

    @task
    def visit(self):
        self.client.cookiejar.clear()
        phone = PHONE_PREFIX + "".join(self.rng.choice("0123456789") for _ in range(9))
        began = time.perf_counter()
        error = None
        try:
            Visit(self.send, time.sleep, self.host.rstrip("/"), self.rng).run(QUIZ, phone)
        except (VisitFailed, AttributeError, KeyError, IndexError) as exc:
            error = exc
        self.environment.events.request.fire(
            request_type="VISIT", name="whole visit", response_time=(time.perf_counter() - began) * 1000,
            response_length=0, exception=error, context={},
        )  # fmt: skip
