"""What a phone does on the quiz's pages, shared by the benchmark's journey phase (scripts/bench_quiz.py) and the
Locust file (loadtest/locustfile.py): the headers it sends, which files a page makes it fetch, and the paper page's
autosave timing rule (static/js/quiz.js). No Django, no Locust: both callers import it as it is."""

import html
import re

# WeChat's in-app browser on Android: the public quiz is reached through official accounts.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
    "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
ACCEPT = {
    "document": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7",
    "style": "text/css,*/*;q=0.1",
    "script": "*/*",
    "image": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "empty": "*/*",
}
TAG = re.compile(r"<(link|script|img|input|select|option|form|div)\b([^>]*)>", re.I)
ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
# A closed <details> keeps its lazy images from loading (the result page's share card until it is opened).
CLOSED_DETAILS = re.compile(r"<details(?![^>]*\bopen\b)[^>]*>.*?</details>", re.I | re.S)


def tags(page: str):
    """(tag, attributes) of the tags the phone acts on, in document order."""
    for match in TAG.finditer(page):
        yield match.group(1).lower(), {key.lower(): html.unescape(value) for key, value in ATTR.findall(match.group(2))}


def subresources(page: str) -> list[tuple[str, str]]:
    """(path, destination) of what the browser fetches for a page: stylesheets, icons, scripts, images (same site)."""
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
    """The paper page's timing rule (static/js/quiz.js): the sends (time, answers given by then) while the questions are
    answered at answer_times and the paper is submitted at submit_at. every=0 is the old rule: each change sends after a
    300 ms debounce. Otherwise a change sends at once if nothing was sent yet or ≥ every s have passed since the last
    send started, else one send is scheduled at last + every (one pending timer); leaving the page on submit drops a
    timer still pending (the submit carries every answer)."""
    if not every:
        sends = []
        for i, at in enumerate(answer_times):
            nxt = answer_times[i + 1] if i + 1 < len(answer_times) else submit_at
            if at + 0.3 < nxt:  # a later change within 300 ms restarts the debounce
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
    """The paper page's form as the phone sees it: its inputs in document order, and the save and submit URLs."""

    def __init__(self, page: str):
        self.inputs: list[dict] = []  # each {"type", "name", "value"}
        self.questions: dict[str, list[str]] = {}  # q_<id> → shown values, in page order
        self.kinds: dict[str, str] = {}
        self.save_url = self.action = ""
        self.save_every: int | None = None
        for tag, attrs in tags(page):
            if tag == "div" and attrs.get("id") == "quiz-bar":
                self.save_url = attrs.get("data-save-url", "")
                every = attrs.get("data-save-every")
                self.save_every = int(every) if every and every.isdigit() else None
            elif tag == "form" and attrs.get("id") == "quiz-form":
                self.action = attrs.get("action", "")
            elif tag == "input" and attrs.get("name"):
                self.inputs.append(attrs)
                kind = attrs.get("type", "text").lower()
                if kind in ("radio", "checkbox"):
                    self.questions.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
                    self.kinds[attrs["name"]] = kind

    def fields(self, chosen: dict[str, list[str]]) -> list[tuple[str, str]]:
        """What FormData(form) and a form submission carry: hidden inputs, and checked boxes, in document order."""
        out = []
        for attrs in self.inputs:
            kind = attrs.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if attrs.get("value", "on") in chosen.get(attrs["name"], ()):
                    out.append((attrs["name"], attrs.get("value", "on")))
            elif kind != "submit":
                out.append((attrs["name"], attrs.get("value", "")))
        return out
