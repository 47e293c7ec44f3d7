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

import html
import os
import random
import re
import secrets
import time
import urllib.parse

from locust import FastHttpUser, task

QUIZ = os.environ.get("LOCUST_QUIZ", "drill-quiz")
AUTOSAVE_SECONDS = float(os.environ.get("LOCUST_AUTOSAVE_SECONDS", "30"))
THINK_SCALE = float(os.environ.get("LOCUST_THINK_SCALE", "1"))
PHONE_PREFIX = os.environ.get("LOCUST_PHONE_PREFIX", "19")

# WeChat's in-app browser on Android: the public quiz is reached through official accounts.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
    "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
ACCEPT = {
    "document": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
    "style": "text/css,*/*;q=0.1",
    "script": "*/*",
    "image": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "empty": "*/*",
}
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
TAG = re.compile(r"<(link|script|img|input|option|form|div)\b([^>]*)>", re.I)
ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
# A closed <details> keeps its lazy images from loading (the result page's share card until it is opened).
CLOSED_DETAILS = re.compile(r"<details(?![^>]*\bopen\b)[^>]*>.*?</details>", re.I | re.S)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tags(page: str):
    for match in TAG.finditer(page):
        yield match.group(1).lower(), {key.lower(): html.unescape(value) for key, value in ATTR.findall(match.group(2))}


def subresources(page: str) -> list[tuple[str, str]]:
    """(path, destination) of what a browser fetches for the page: stylesheets, icons, scripts, images (same site)."""
    found = []
    for tag, attrs in tags(CLOSED_DETAILS.sub("", page)):
        rel = attrs.get("rel", "").lower()
        if tag == "link" and rel in ("stylesheet", "icon", "preload", "modulepreload"):
            url, dest = attrs.get("href", ""), "style" if rel == "stylesheet" else "image"
        elif tag == "script":
            url, dest = attrs.get("src", ""), "script"
        elif tag == "img":
            url, dest = attrs.get("src", ""), "image"
        else:
            continue
        if url.startswith("/") and not url.startswith("//") and (url, dest) not in found:
            found.append((url, dest))
    return found


def autosave_schedule(answer_times: list[float], submit_at: float, every: float) -> list[tuple[float, int]]:
    """The paper page's sends (time, answers given by then): every=0, each change after a 300 ms debounce; otherwise at
    once if nothing was sent yet or ≥ every s have passed since the last send, else one send at last + every; a timer
    still pending at 交卷 is dropped (the submit carries every answer). Same rule as scripts/bench_quiz.py."""
    if not every:
        sends = []
        for i, at in enumerate(answer_times):
            nxt = answer_times[i + 1] if i + 1 < len(answer_times) else submit_at
            if at + 0.3 < nxt:
                sends.append((at + 0.3, i + 1))
        return sends
    sends: list[tuple[float, int]] = []
    last = pending = None
    for i, at in enumerate(answer_times):
        if pending is not None and pending <= at:
            sends.append((pending, sum(1 for t in answer_times if t <= pending)))
            last, pending = pending, None
        if last is None or at - last >= every:
            sends.append((at, i + 1))
            last = at
        elif pending is None:
            pending = last + every
    if pending is not None and pending < submit_at:
        sends.append((pending, len(answer_times)))
    return sends


class Paper:
    """The paper page's form: its inputs in document order, the save and submit URLs."""

    def __init__(self, page: str):
        self.inputs: list[dict] = []
        self.questions: dict[str, list[str]] = {}
        self.kinds: dict[str, str] = {}
        self.save_url = self.action = ""
        for tag, attrs in tags(page):
            if tag == "div" and attrs.get("id") == "quiz-bar":
                self.save_url = attrs.get("data-save-url", "")
            elif tag == "form" and attrs.get("id") == "quiz-form":
                self.action = attrs.get("action", "")
            elif tag == "input" and attrs.get("name"):
                self.inputs.append(attrs)
                if attrs.get("type", "").lower() in ("radio", "checkbox"):
                    self.questions.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
                    self.kinds[attrs["name"]] = attrs["type"].lower()

    def fields(self, chosen: dict[str, list[str]]) -> list[tuple[str, str]]:
        """What FormData(form) and the form's submission carry: hidden inputs and the checked boxes, in order."""
        out = []
        for attrs in self.inputs:
            kind = attrs.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if attrs.get("value", "on") in chosen.get(attrs["name"], ()):
                    out.append((attrs["name"], attrs.get("value", "on")))
            elif kind != "submit":
                out.append((attrs["name"], attrs.get("value", "")))
        return out


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
