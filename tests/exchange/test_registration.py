"""Registration (备案): before the exchange day, the organizer approves (after a confirm page) or returns it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from eventweek.errors import DomainError
from exchange.models import Registration
from exchange.services.registration import approve_registration, register_unit, return_registration
from tests.exchange.conftest import AFTER, BEFORE, ON_DAY, reg_input

pytestmark = pytest.mark.django_db


def test_a_unit_registers_through_the_form_with_its_mobile_normalised(ex, client_for, travel):
    travel(BEFORE)
    client = client_for(ex.jyb)
    response = client.post(
        reverse("exchange:register", args=[ex.activity.pk]),
        {
            "contact_name": "王老师",
            "contact_phone": "+86 138-1000-0101",
            "expected_items": "废旧报纸约 300 千克、墨盒 50 个",
            "poverty_area": "河北省威县的梨",
        },
    )

    assert response.status_code == 302
    row = Registration.objects.get()
    assert (row.org.code, row.contact_phone, row.status, row.expected_items, row.submitted_by) == (
        "100101",
        "13810000101",
        "pending",
        "废旧报纸约 300 千克、墨盒 50 个",
        ex.jyb,
    )


def test_a_registration_with_a_bad_mobile_names_the_field(ex, client_for, travel):
    travel(BEFORE)
    response = client_for(ex.jyb).post(
        reverse("exchange:register", args=[ex.activity.pk]),
        {"contact_name": "王老师", "contact_phone": "1234", "expected_items": "报纸", "poverty_area": "威县"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"contact_phone": ["手机号应为 11 位数字、以 1 开头，例如 13812345678。"]}
    assert not Registration.objects.exists()


def test_a_registration_on_the_exchange_day_is_still_accepted(ex):
    registration = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=ON_DAY)

    assert registration.status == "pending"


def test_a_registration_after_the_exchange_day_is_refused_naming_the_date(ex, client_for, travel):
    with pytest.raises(DomainError) as refused:
        register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=AFTER)
    travel(AFTER)
    response = client_for(ex.jyb).post(
        reverse("exchange:register", args=[ex.activity.pk]),
        {"contact_name": "王老师", "contact_phone": "13810000101", "expected_items": "报纸", "poverty_area": "威县"},
    )

    assert str(refused.value) == "备案截止于 7月1日（云兑换当天），已不能备案。"
    assert response.context["form"].non_field_errors() == ["备案截止于 7月1日（云兑换当天），已不能备案。"]
    assert not Registration.objects.exists()


def test_approving_asks_first_then_approves_once_with_an_audit_entry(ex, client_for, travel):
    travel(BEFORE)
    registration = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=BEFORE)
    client = client_for(ex.national)
    url = reverse("exchange:approve", args=[ex.activity.pk, registration.pk])

    confirm = client.get(url)
    registration.refresh_from_db()
    status_after_get = registration.status
    client.post(url)
    again = client.post(url, follow=True)
    registration.refresh_from_db()

    assert "确定通过教育部的云兑换备案吗？" in confirm.content.decode()
    assert status_after_get == "pending"
    assert (registration.status, registration.decided_by) == ("approved", ex.national)
    assert [str(m) for m in again.context["messages"]] == ["已通过教育部的备案。", "该备案当前为“已通过”，不能再审核。"]
    assert list(AuditEntry.objects.values_list("action", "org__code", "after")) == [
        ("exchange.approve", "100101", {"status": "approved"})
    ]


def test_returning_needs_a_reason_and_the_unit_sees_it_and_may_register_again(ex, client_for, travel):
    travel(BEFORE)
    registration = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=BEFORE)
    client = client_for(ex.national)
    url = reverse("exchange:return", args=[ex.activity.pk, registration.pk])

    empty = client.post(url, {"reason": "  "})
    client.post(url, {"reason": "请写明预计回收数量"})
    registration.refresh_from_db()
    page = client_for(ex.jyb).get(reverse("exchange:detail", args=[ex.activity.pk]))
    again = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=BEFORE)

    assert empty.context["form"].errors == {"reason": ["这个字段是必填项。"]}
    assert (registration.status, registration.return_reason) == ("returned", "请写明预计回收数量")
    assert "退回原因：请写明预计回收数量" in page.content.decode()
    assert (again.pk, again.status) == (registration.pk, "pending")
    assert list(AuditEntry.objects.values_list("action", "after")) == [
        ("exchange.return", {"status": "returned", "reason": "请写明预计回收数量"})
    ]


def test_the_return_service_refuses_an_empty_reason_naming_the_field(ex):
    registration = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=BEFORE)

    with pytest.raises(ValidationError) as refused:
        return_registration(registration, ex.national, "")

    assert refused.value.message_dict == {"reason": ["请填写退回原因。"]}


def test_an_approved_registration_cannot_be_changed_by_its_unit(ex):
    registration = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=BEFORE)
    approve_registration(registration, ex.national, now=BEFORE)

    with pytest.raises(DomainError) as refused:
        register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input("13900000000"), now=BEFORE)

    assert str(refused.value) == "备案已通过，不能再修改；如需变更请联系国家机关事务管理局公共机构节能管理司。"


def test_a_department_admin_may_see_its_registration_but_not_approve_it(ex, client_for, travel):
    travel(BEFORE)
    registration = register_unit(ex.activity, ex.jyb.org, ex.jyb, reg_input(), now=BEFORE)

    response = client_for(ex.jyb).post(reverse("exchange:approve", args=[ex.activity.pk, registration.pk]))
    registration.refresh_from_db()

    assert response.status_code == 403
    assert "备案由国家机关事务管理局公共机构节能管理司的管理员或审核员审核；您可以查看，但不能审核。" in (
        response.content.decode()
    )
    assert registration.status == "pending"
