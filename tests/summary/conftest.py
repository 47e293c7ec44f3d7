"""Fixtures of the summary tests: a few daily reports with a highlight, a real SMTP server on loopback."""

import datetime
import socket
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from django.core.files.base import ContentFile

from eventweek.models import LOCAL_TZ
from reporting.models.reports import DailyReport, Highlight, ItemKind, ReportItem, ReportPicture
from reporting.summary.demo import picture_bytes


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LOCAL_TZ)


def _report(week, org, day, submitted_at, items):
    report = DailyReport.objects.create(
        week=week, org=org, day=day, version=1, first_submitted_at=submitted_at, submitted_at=submitted_at
    )
    created = []
    for position, (title, kind, people, kg, description) in enumerate(items):
        created.append(
            ReportItem.objects.create(
                report=report,
                position=position,
                title=title,
                kind=kind,
                participants=people,
                recycled_kg=kg,
                description=description,
            )
        )
    report.item_count = len(items)
    report.participants = sum(i[2] or 0 for i in items)
    report.recycled_kg = sum((i[3] or Decimal(0) for i in items), Decimal(0))
    report.save()
    return report, created


@pytest.fixture
def reports(demo):
    """南京 reports 6/29 on time (2 items) and 6/30 late (1 item); 无锡 6/29 on time; 南京's kick-off is a highlight.

    Totals: 4 items, 1,000 participants, 85.5 kg recycled; of 13 cities × 7 days, 2 on time, 1 late, 88 missing.
    """
    week = demo.jiangsu
    nanjing, wuxi = demo.org("320100"), demo.org("320200")
    _, (kickoff, _recycle) = _report(
        week,
        nanjing,
        datetime.date(2020, 6, 29),
        local(2020, 6, 29, 15, 30),
        [
            ("节约型机关创建启动会", ItemKind.KICKOFF, 300, None, "召开节约型机关创建启动会，发布节能倡议书。"),
            ("废旧物品回收献爱心", ItemKind.RECYCLING, 120, Decimal("85.5"), "集中回收废旧报纸和硒鼓墨盒。"),
        ],
    )
    _report(
        week,
        nanjing,
        datetime.date(2020, 6, 30),
        local(2020, 6, 30, 17, 5),
        [("节能知识讲座", ItemKind.LECTURE, 380, None, "邀请专家线上讲解节能节水常识。")],
    )
    _report(
        week,
        wuxi,
        datetime.date(2020, 6, 29),
        local(2020, 6, 29, 11, 0),
        [("“十三五”节能成果展", ItemKind.EXHIBITION, 200, None, "线上线下同步展出节能成果。")],
    )
    picture = ReportPicture(
        report=kickoff.report, item=kickoff, caption="南京市节约型机关创建启动会现场", content_type="image/jpeg"
    )
    picture.image.save("kickoff.jpg", ContentFile(picture_bytes("kickoff", 1)), save=False)
    picture.thumbnail.name = picture.image.name
    picture.save()
    highlight = Highlight.objects.create(week=week, item=kickoff, day=kickoff.report.day, comment="参与面广。")
    highlight.pictures.set([picture])
    return demo


class SmtpRecorder:
    """An aiosmtpd handler that keeps every message it accepts; it can refuse the first N deliveries."""

    def __init__(self, refuse_first: int = 0):
        self.refuse_first = refuse_first
        self.refused = 0
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Start a real SMTP server on 127.0.0.1 and point Django's SMTP backend at it: smtp(refuse_first=1)."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(refuse_first: int = 0) -> SmtpRecorder:
        handler = SmtpRecorder(refuse_first)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        return handler

    yield start
    for controller in controllers:
        controller.stop()
