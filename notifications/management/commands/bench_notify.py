"""python manage.py bench_notify: queue and send a public-interest SMS campaign to 100,000 recipients (1% of them
listed twice, 0.5% invalid) through a loopback SMS gateway (a process of its own) that counts what it accepts by mobile; prints key=value
lines (queue_s, queue_s_10k, sent_per_s against rate=, duplicates_sent, lost).

Everything lives in a scratch database (a temporary SQLite file, or the test database on PostgreSQL), never the real
one. The 100,000 sends at the default 200 a second take about 500 s: `--recipients` and `--rate` shorten a run.
"""

import json
import multiprocessing
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings


class LoopbackGateway:
    """An SMS gateway on 127.0.0.1 in a process of its own (a thread per request, as http.server does) that accepts
    every message and counts it by mobile; GET /counts answers the counts. Its own process, as a real gateway is
    elsewhere: its parsing does not compete with the sender for this process's interpreter lock."""

    def __init__(self):
        context = multiprocessing.get_context("fork")
        ports = context.Queue()
        self.process = context.Process(target=_serve_gateway, args=(ports,), daemon=True)
        self.process.start()
        self.base = f"http://127.0.0.1:{ports.get(timeout=30)}"
        self.url = f"{self.base}/sms"

    def counts(self) -> Counter:
        with urllib.request.urlopen(f"{self.base}/counts", timeout=30) as response:
            return Counter(json.loads(response.read()))

    def close(self):
        self.process.terminate()
        self.process.join(10)


def _serve_gateway(ports) -> None:
    accepted = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            with lock:
                accepted[payload["mobile"]] += 1
                number = len(accepted)
            self._answer({"code": 0, "message_id": f"m{number}"})

        def do_GET(self):
            with lock:
                self._answer(dict(accepted))

        def _answer(self, data):
            raw = json.dumps(data).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ports.put(server.server_address[1])
    server.serve_forever()


def entries_for(count: int, start: int = 0):
    """`count` distinct mobiles, plus 1% of them again and 0.5% invalid numbers, in one list."""
    from notifications.services.campaign_import import StaffEntry

    entries = [StaffEntry(n + 2, f"职工{n}", f"139{start + n:08d}", None) for n in range(count)]
    entries += [StaffEntry(0, "重复", f"139{start + n:08d}", None) for n in range(0, count, 100)]
    entries += [StaffEntry(0, "无效", f"12{n:09d}", None) for n in range(0, count, 200)]
    return entries


class Command(BaseCommand):
    help = "公益短信排队与发送的基准测试（在临时数据库中运行，发往本机回环短信网关）。"

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=100_000, help="接收人数（不含重复和无效号码）")
        parser.add_argument("--rate", type=int, default=None, help="每秒发送条数，默认 SMS_CAMPAIGN_RATE")

    def handle(self, *args, recipients, rate, **options):
        from django.conf import settings

        rate = rate or settings.SMS_CAMPAIGN_RATE
        old_name = connection.settings_dict["NAME"]
        scratch = tempfile.mkdtemp(prefix="bench-notify-")
        if connection.vendor == "sqlite":
            # A file, as in production: every recorded send is a commit to disk, not to memory.
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(scratch) / "bench.sqlite3")
        with override_settings(SMS_CAMPAIGN_RATE=rate, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                self._run(recipients, rate)
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def _run(self, recipients, rate):
        from django_q.conf import Conf

        from eventweek import demo
        from notifications.models import Campaign, Channel, ChannelKind
        from notifications.services.campaigns import create_campaign, send_now, tally

        Conf.SYNC = True  # the runner runs here, in this process, slice after slice
        orgs = demo.load_orgs()
        demo.load_users(orgs)
        province = orgs["320000"]
        admin = demo.User.objects.get(username="jiangsu_admin")
        gateway = LoopbackGateway()
        try:
            Channel.objects.create(
                org=province, kind=ChannelKind.SMS, name="短信网关", url=gateway.url, secret="bench-key-0123456789",
                config={"sign_name": "节能宣传周", "max_chars": 500},
            )  # fmt: skip
            message = "节能降碳，绿色发展。请随手关灯、合理设置空调温度（夏季不低于26℃）。回复TD退订"

            entries = entries_for(10_000, start=50_000_000)
            t0 = time.perf_counter()
            create_campaign(admin, province, "基准 1 万", message, entries, "bench")
            queue_s_10k = time.perf_counter() - t0

            entries = entries_for(recipients)
            t0 = time.perf_counter()
            campaign = create_campaign(admin, province, "基准", message, entries, "bench")
            queue_s = time.perf_counter() - t0
            self.stdout.write(f"recipients={recipients}")
            self.stdout.write(f"queue_s={queue_s:.2f}")
            self.stdout.write(f"queue_s_10k={queue_s_10k:.2f}")
            self.stdout.flush()

            t0 = time.perf_counter()
            send_now(campaign, admin)  # autocommit: the runner starts at once, inline
            send_s = time.perf_counter() - t0
            campaign = Campaign.objects.get(pk=campaign.pk)
            result = tally(campaign)
            accepted = gateway.counts()
            ours = {f"139{n:08d}" for n in range(recipients)}
            duplicates_sent = sum(count - 1 for mobile, count in accepted.items() if mobile in ours and count > 1)
            lost = len(ours - set(accepted)) + (recipients - result["sent"])
            self.stdout.write(f"rate={rate}")
            self.stdout.write(f"send_s={send_s:.1f}")
            self.stdout.write(f"sent={result['sent']}")
            self.stdout.write(f"sent_per_s={result['sent'] / send_s:.1f}")
            self.stdout.write(f"sent_per_s_vs_rate={result['sent'] / send_s / rate:.3f}")
            self.stdout.write(
                f"tally_failed={result['failed']} invalid={result['invalid']} duplicates={result['duplicates']}"
                f" opted_out={result['opted_out']} status={result['status']}"
            )
            self.stdout.write(f"duplicates_sent={duplicates_sent}")
            self.stdout.write(f"lost={lost}")
        finally:
            gateway.close()
