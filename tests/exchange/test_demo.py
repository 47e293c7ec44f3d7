"""The demo loader: the 2020 national exchange with central departments' registrations (approved, returned, pending)
and records, after the core demo data."""

from decimal import Decimal

import pytest

from eventweek import demo as core_demo
from eventweek.models import Org
from exchange import demo
from exchange.models import Picture, Record, Registration

pytestmark = pytest.mark.django_db


def test_the_exchange_demo_loads_registrations_and_records_of_central_departments():
    core_demo.load()

    lines = demo.load()

    assert lines == [
        "2020 年全国“云兑换”（7月1日）：中央国家机关部门备案 5 家（通过 3、退回 1、待审核 1），兑换记录 3 份，"
        "共回收废旧报纸 760.75 千克，兑换扶贫产品 8800.5 元"
    ]
    assert list(Org.objects.filter(level="department").values_list("code", "parent__code")) == [
        ("100101", "100000"),
        ("100102", "100000"),
        ("100103", "100000"),
        ("100104", "100000"),
        ("100105", "100000"),
    ]
    assert list(Registration.objects.values_list("org__code", "status", "contact_phone")) == [
        ("100101", "approved", "13810000101"),
        ("100102", "approved", "13910000102"),
        ("100103", "approved", "13710000103"),
        ("100104", "returned", "13610000104"),
        ("100105", "pending", "13510000105"),
    ]
    assert list(Record.objects.values_list("org__code", "newspapers_kg")) == [
        ("100101", Decimal("320.50")),
        ("100102", Decimal("186.00")),
        ("100103", Decimal("254.25")),
    ]
    assert Picture.objects.count() == 3
    assert (
        Registration.objects.get(org__code="100104").return_reason
        == "预计回收物品和定点扶贫产品未写明，请补充后重新备案。"
    )
