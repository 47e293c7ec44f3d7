"""Helpers for the exchange tests: the 2020 national 云兑换 (07-01), two central departments' logins, the clock."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from eventweek.models import LOCAL_TZ, Activity, User
from exchange.services.recording import ProductInput, RecordInput, record_exchange
from exchange.services.registration import RegistrationInput, approve_registration, register_unit

BEFORE = datetime.datetime(2020, 6, 28, 10, 0, tzinfo=LOCAL_TZ)
ON_DAY = datetime.datetime(2020, 7, 1, 15, 0, tzinfo=LOCAL_TZ)
AFTER = datetime.datetime(2020, 7, 2, 0, 0, 1, tzinfo=LOCAL_TZ)


def jpeg(color=(31, 122, 77)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


def upload(name="photo.jpg", data=None):
    return SimpleUploadedFile(name, data if data is not None else jpeg(), content_type="image/jpeg")


def reg_input(phone="138-1000-0101") -> RegistrationInput:
    return RegistrationInput("王老师", phone, "废旧报纸约 300 千克", "河北省威县")


def record_input(**fields) -> RecordInput:
    values = {
        "newspapers_kg": Decimal("320.5"),
        "ink_cartridges": 48,
        "electronics": 12,
        "products": [
            ProductInput("威县梨", Decimal("2000"), "河北省威县"),
            ProductInput("板栗", Decimal("1580.5"), ""),
        ],
    }
    values.update(fields)
    return RecordInput(**values)


@pytest.fixture
def ex(demo):
    """The national exchange, a department admin (教育部), a department reporter (生态环境部), the reviewer."""
    activity = Activity.objects.get(week=demo.national, kind=Activity.Kind.EXCHANGE)
    jyb = User.objects.create(username="jyb_admin", org=demo.org("100101"), role=User.Role.ADMIN)
    sthj = User.objects.create(username="sthj_reporter", org=demo.org("100102"), role=User.Role.REPORTER)
    return SimpleNamespace(activity=activity, jyb=jyb, sthj=sthj, national=demo.user("national_admin"), demo=demo)


def approved(ex, user, phone="13810000101"):
    """Register the user's unit before the day and approve it."""
    registration = register_unit(ex.activity, user.org, user, reg_input(phone), now=BEFORE)
    approve_registration(registration, ex.national, now=BEFORE)
    return registration


def recorded(ex, user, data=None, phone="13810000101"):
    approved(ex, user, phone)
    return record_exchange(ex.activity, user.org, user, data or record_input(), now=ON_DAY)


@pytest.fixture
def travel():
    """travel(datetime) moves the clock there (and keeps it still) for the rest of the test."""
    travellers = []

    def go(moment):
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in reversed(travellers):
        traveller.stop()
