"""Recording on the day: only with an approved registration; bad quantities and product rows refused, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from eventweek.errors import DomainError
from exchange.models import Picture, Product, Record
from exchange.services.recording import ProductInput, record_exchange
from exchange.services.registration import register_unit, return_registration
from reporting.pictures import check_picture
from tests.exchange.conftest import BEFORE, ON_DAY, approved, jpeg, record_input, reg_input, upload

pytestmark = pytest.mark.django_db


def post_record(client, activity, **fields):
    data = {"newspapers_kg": "320.5", "ink_cartridges": "48", "electronics": "12", **fields}
    return client.post(reverse("exchange:record", args=[activity.pk]), data)


def test_an_approved_unit_records_its_day_with_products_and_a_picture(ex, client_for, travel):
    approved(ex, ex.jyb)
    travel(ON_DAY)
    response = post_record(
        client_for(ex.jyb),
        ex.activity,
        other_name="旧衣物",
        other_count="40",
        product_name_0="威县梨",
        product_value_0="2000",
        product_area_0="河北省威县",
        product_name_1="板栗",
        product_value_1="1580.50",
        pictures=[upload()],
        captions=["回收现场"],
    )

    assert response.status_code == 302
    record = Record.objects.get()
    assert (
        record.org.code,
        record.newspapers_kg,
        record.ink_cartridges,
        record.electronics,
        record.other_name,
        record.other_count,
    ) == ("100101", Decimal("320.50"), 48, 12, "旧衣物", 40)
    assert list(record.products.values_list("name", "value_yuan", "area")) == [
        ("威县梨", Decimal("2000.00"), "河北省威县"),
        ("板栗", Decimal("1580.50"), ""),
    ]
    assert list(record.pictures.values_list("caption", "content_type")) == [("回收现场", "image/jpeg")]


def test_a_record_without_a_registration_is_refused(ex, client_for, travel):
    travel(ON_DAY)
    response = post_record(client_for(ex.jyb), ex.activity)

    assert response.context["form"].non_field_errors() == [
        "教育部尚未备案，不能登记兑换情况；请先向国家机关事务管理局公共机构节能管理司备案。"
    ]
    assert not Record.objects.exists()


def test_a_record_with_a_pending_or_returned_registration_is_refused(ex):
    registration = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=BEFORE)
    with pytest.raises(DomainError) as pending:
        record_exchange(ex.activity, ex.jyb.org, ex.jyb, record_input(), now=ON_DAY)
    return_registration(registration, ex.national, "请补充", now=BEFORE)
    with pytest.raises(DomainError) as returned:
        record_exchange(ex.activity, ex.jyb.org, ex.jyb, record_input(), now=ON_DAY)

    assert str(pending.value) == "教育部的备案待审核，审核通过后才能登记兑换情况。"
    assert str(returned.value) == "教育部的备案已退回，审核通过后才能登记兑换情况。"
    assert not Record.objects.exists()


def test_a_record_before_the_exchange_day_is_refused_naming_the_day(ex):
    approved(ex, ex.jyb)

    with pytest.raises(DomainError) as refused:
        record_exchange(ex.activity, ex.jyb.org, ex.jyb, record_input(), now=BEFORE)

    assert str(refused.value) == "云兑换在 7月1日 进行，当天起才能登记兑换情况。"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"newspapers_kg": "-5"}, {"newspapers_kg": ["废旧报纸（千克）不能为负数。"]}),
        ({"newspapers_kg": "100000.01"}, {"newspapers_kg": ["回收量超过 100 吨，请核对。"]}),
        ({"ink_cartridges": "-1"}, {"ink_cartridges": ["墨盒硒鼓（个）不能为负数。"]}),
        ({"other_count": "3"}, {"other_name": ["填写了其他物品数量，请填写其他物品名称。"]}),
        (
            {"newspapers_kg": "", "ink_cartridges": "", "electronics": ""},
            {"newspapers_kg": ["请至少填写一种回收物品的数量。"]},
        ),
        (
            {"product_value_1": "500", "product_area_1": "贵州省"},
            {"__all__": ["兑换产品第 2 行：填写了价值或产地，但没有填写兑换产品。"]},
        ),
        ({"product_name_0": "小米"}, {"__all__": ["兑换产品第 1 行：请填写“小米”的价值（元）。"]}),
    ],
)
def test_bad_quantities_and_product_rows_are_refused_naming_the_field(ex, client_for, travel, fields, errors):
    approved(ex, ex.jyb)
    travel(ON_DAY)
    response = post_record(client_for(ex.jyb), ex.activity, pictures=[upload()], **fields)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert (Record.objects.count(), Picture.objects.count()) == (0, 0)


def test_exactly_100_tonnes_is_accepted(ex):
    approved(ex, ex.jyb)

    record = record_exchange(ex.activity, ex.jyb.org, ex.jyb, record_input(newspapers_kg=Decimal("100000")), now=ON_DAY)

    assert record.newspapers_kg == Decimal("100000")


def test_a_refused_amendment_keeps_the_saved_record_and_writes_no_picture_file(ex, settings):
    approved(ex, ex.jyb)
    record_exchange(ex.activity, ex.jyb.org, ex.jyb, record_input(), now=ON_DAY)
    bad = record_input(
        newspapers_kg=Decimal("1"),
        products=[ProductInput("", Decimal("10"), "")],
        new_pictures=[check_picture(upload("x.jpg", jpeg((200, 0, 0))), "x")],
    )

    with pytest.raises(ValidationError) as refused:
        record_exchange(ex.activity, ex.jyb.org, ex.jyb, bad, now=ON_DAY)

    record = Record.objects.get()
    assert refused.value.message_dict == {"products": ["兑换产品第 1 行：填写了价值或产地，但没有填写兑换产品。"]}
    assert (record.newspapers_kg, Product.objects.count(), Picture.objects.count()) == (Decimal("320.50"), 2, 0)
    exchange_dir = settings.REPORT_PRIVATE_ROOT / "exchange"
    assert not exchange_dir.exists() or list(exchange_dir.iterdir()) == []


def test_more_pictures_than_a_record_holds_are_refused_and_nothing_is_written(ex, settings):
    approved(ex, ex.jyb)
    many = [check_picture(upload(f"{i}.jpg"), "") for i in range(settings.REPORT_MAX_PICTURES + 1)]

    with pytest.raises(ValidationError) as refused:
        record_exchange(ex.activity, ex.jyb.org, ex.jyb, record_input(new_pictures=many), now=ON_DAY)

    assert refused.value.message_dict == {
        "pictures": [f"每份兑换记录最多 {settings.REPORT_MAX_PICTURES} 张图片，请删减后再保存。"]
    }
    assert (Record.objects.count(), Picture.objects.count()) == (0, 0)
    exchange_dir = settings.REPORT_PRIVATE_ROOT / "exchange"
    assert not exchange_dir.exists() or list(exchange_dir.iterdir()) == []
