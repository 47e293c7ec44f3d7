"""Fixtures of the notification tests: a real HTTP gateway on loopback that records requests and answers a script,
DingTalk's signature check as DingTalk does it, and (re-exported) the real SMTP server of the summary tests.

    gw = gateway([500, 500, (200, {"code": 0, "message_id": "m1"})], per=lambda r: r.json["mobile"])
    channel.url = gw.url + "/sms"
    … gw.requests (every request), gw.accepted (those answered 2xx)

A script item is a status (body {"errcode": 0, "errmsg": "ok"}), a (status, json-or-str) pair, "timeout" (no answer
until the test ends), or a callable(request) -> item. The last item repeats once the script runs out. `per` gives
each key (e.g. each recipient) its own copy of the script. `check(request)` may answer instead of the script (a
signature check that refuses).
"""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.summary.conftest import SmtpRecorder, free_port, smtp  # noqa: F401  (the SMTP fixture, reused)

OK = {"errcode": 0, "errmsg": "ok"}


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    status: int = 0

    @property
    def json(self) -> dict:
        return json.loads(self.body or b"{}")


@dataclass
class FakeGateway:
    script: list
    per: object = None
    check: object = None
    requests: list = field(default_factory=list)
    url: str = ""
    positions: dict = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def accepted(self) -> list:
        return [r for r in self.requests if 200 <= r.status < 300]

    def next_item(self, request: RecordedRequest):
        if self.check is not None:
            refused = self.check(request)
            if refused is not None:
                return refused
        with self.lock:
            key = self.per(request) if self.per else None
            position = self.positions.get(key, 0)
            self.positions[key] = position + 1
        item = self.script[min(position, len(self.script) - 1)]
        return item(request) if callable(item) else item


def _handler(gateway: FakeGateway):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            split = urllib.parse.urlsplit(self.path)
            request = RecordedRequest(
                "POST",
                split.path,
                {k: v[0] for k, v in urllib.parse.parse_qs(split.query).items()},
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            item = gateway.next_item(request)
            if item == "timeout":
                request.status = -1
                gateway.requests.append(request)
                gateway.release.wait(5)  # the client has given up long before
                return
            status, body = (item, OK) if isinstance(item, int) else item
            request.status = status
            gateway.requests.append(request)
            raw = (json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def gateway():
    """Start fake gateways on 127.0.0.1 (a free port each): gateway(script, per=None, check=None) -> FakeGateway."""
    started = []

    def start(script=(200,), per=None, check=None) -> FakeGateway:
        fake = FakeGateway(list(script), per, check)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        fake.url = f"http://127.0.0.1:{server.server_address[1]}"
        started.append((fake, server))
        return fake

    yield start
    for fake, server in started:
        fake.release.set()
        server.shutdown()
        server.server_close()


def dingtalk_check(secret: str, keyword: str = ""):
    """A `check` that verifies a request as DingTalk's robot does: in signed mode the timestamp (ms) must be within an
    hour of now and `sign` must equal base64(HMAC-SHA256(secret, "timestamp\\nsecret")), else errcode 310000; in
    keyword mode the text must contain the keyword, else 310000."""

    def check(request: RecordedRequest):
        if keyword:
            payload = request.json
            text = payload.get("text", {}).get("content") or payload.get("markdown", {}).get("text", "")
            if keyword not in text:
                return 200, {"errcode": 310000, "errmsg": "keywords not in content"}
            return None
        timestamp = request.query.get("timestamp", "")
        if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600 * 1000:
            return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
        expected = base64.b64encode(
            hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        ).decode()
        if not hmac.compare_digest(request.query.get("sign", ""), expected):
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return None

    return check
