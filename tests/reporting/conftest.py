"""Helpers for the reporting tests: real image bytes, a clock in the Jiangsu week, a one-call submission."""

import datetime
import io
import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from eventweek.models import LOCAL_TZ
from reporting.pictures import check_picture
from reporting.services import submission as services

DAY1 = datetime.date(2020, 6, 29)


def at(day: datetime.date, hour: int, minute: int = 0, second: int = 0, microsecond: int = 0) -> datetime.datetime:
    """An aware Asia/Shanghai datetime."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, microsecond, tzinfo=LOCAL_TZ)


def image_bytes(fmt="PNG", size=(64, 48), color=(31, 122, 77), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes("JPEG"), content_type=content_type)


def item(title="节约型机关创建启动会", pictures=(), **fields):
    """An ItemInput with checked pictures (each a (bytes, caption) pair or bytes)."""
    checked = []
    for index, picture in enumerate(pictures):
        data, caption = picture if isinstance(picture, tuple) else (picture, f"图片{index + 1}")
        checked.append(check_picture(upload(f"p{index}.png", data, "image/png"), caption))
    defaults = {"kind": "kickoff", "place": "市行政中心", "mode": "offline", "participants": 120}
    defaults.update(fields)
    return services.ItemInput(title=title, new_pictures=checked, **defaults)


@pytest.fixture
def travel():
    """travel(datetime) moves the clock there (and keeps it still) for the rest of the test."""
    travellers = []

    def go(when):
        traveller = time_machine.travel(when, tick=False)
        traveller.start()
        travellers.append(traveller)
        return when

    yield go
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def submit(demo):
    """submit(org_code, day, user=..., items=[...]) files a report for the Jiangsu week at the current clock."""

    def go(code="320100", day=DAY1, user=None, items=None, narrative="", version=None, token=None, week=None):
        week = week or demo.jiangsu
        org = demo.org(code)
        if user is None:
            user = next(u for u in demo.users.values() if u.org_id == org.pk)
        if version is None:
            from reporting.models import DailyReport

            version = (
                DailyReport.objects.filter(week=week, org=org, day=day).values_list("version", flat=True).first() or 0
            )
        report, _created = services.submit_report(
            week=week,
            org=org,
            day=day,
            user=user,
            token=token or uuid.uuid4(),
            expected_version=version,
            narrative=narrative,
            contact_name="王明",
            contact_phone="025-68780001",
            items=[item()] if items is None else items,
        )
        return report

    return go
