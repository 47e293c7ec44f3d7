"""Every exchange view for the unit itself (owner), the organizer above it (same tree), a sibling department and a
province outside the organizer's tree (outsiders): the answer by the org tree, never a sibling's rows."""

import datetime

import pytest
from django.urls import reverse

from eventweek.models import LOCAL_TZ, Activity, User
from tests.exchange.conftest import AFTER, recorded

pytestmark = pytest.mark.django_db

# view → (owner 教育部 admin, organizer 国管局 admin, sibling 生态环境部 reporter)
EXPECTED = {
    "detail": (200, 200, 200),
    "register": (200, 200, 200),
    "registration": (200, 200, 404),
    "approve": (403, 200, 404),
    "return": (403, 200, 404),
    "record": (200, 200, 200),
    "record_detail": (200, 200, 404),
    "picture": (200, 200, 404),
    "export": (200, 200, 200),
}


def urls(ex, record) -> dict[str, str]:
    pk, reg_pk = ex.activity.pk, record.registration_id
    picture = record.pictures.get()
    return {
        "detail": reverse("exchange:detail", args=[pk]),
        "register": reverse("exchange:register", args=[pk]),
        "registration": reverse("exchange:registration", args=[pk, reg_pk]),
        "approve": reverse("exchange:approve", args=[pk, reg_pk]),
        "return": reverse("exchange:return", args=[pk, reg_pk]),
        "record": reverse("exchange:record", args=[pk]),
        "record_detail": reverse("exchange:record_detail", args=[pk, record.pk]),
        "picture": reverse("exchange:picture", args=[pk, picture.pk, "thumb"]),
        "export": reverse("exchange:export", args=[pk]),
    }


@pytest.fixture
def jyb_record(ex):
    from exchange.services.recording import RecordInput
    from reporting.pictures import check_picture
    from tests.exchange.conftest import record_input, upload

    data: RecordInput = record_input(new_pictures=[check_picture(upload(), "现场")])
    return recorded(ex, ex.jyb, data)


@pytest.mark.parametrize("view", list(EXPECTED))
def test_each_view_answers_owner_organizer_and_sibling_by_the_org_tree(ex, jyb_record, client, travel, view):
    travel(AFTER)
    url = urls(ex, jyb_record)[view]
    answers = []
    for user in (ex.jyb, ex.national, ex.sthj):
        client.force_login(user)
        answers.append(client.get(url).status_code)

    assert tuple(answers) == EXPECTED[view]


def test_the_sibling_page_lists_no_other_departments_registration(ex, jyb_record, client_for):
    page = client_for(ex.sthj).get(reverse("exchange:detail", args=[ex.activity.pk]))

    assert list(page.context["registrations"]) == []
    assert page.context["tally"].rows == []


def test_a_province_outside_a_jiangsu_exchange_gets_404_on_every_view(ex, client, demo):
    start = datetime.datetime(2020, 7, 1, tzinfo=LOCAL_TZ)
    jiangsu_exchange = Activity.objects.create(
        week=demo.jiangsu,
        kind=Activity.Kind.EXCHANGE,
        title="江苏省“云兑换”",
        start=start,
        end=start + datetime.timedelta(days=1),
        all_day=True,
    )
    pk = jiangsu_exchange.pk
    outsiders = [demo.user("jiangxi_admin"), ex.jyb]
    answers = {}
    for user in outsiders:
        client.force_login(user)
        for name in ("detail", "register", "record", "export"):
            answers[(user.username, name)] = client.get(reverse(f"exchange:{name}", args=[pk])).status_code
        answers[(user.username, "list")] = pk in [
            a.pk for a in client.get(reverse("exchange:list")).context["activities"]
        ]

    assert set(answers.values()) == {404, False}
    client.force_login(demo.user("nanjing_reporter"))
    assert client.get(reverse("exchange:detail", args=[pk])).status_code == 200


def test_a_user_above_the_organizer_sees_the_tally_but_may_not_register(ex, client, demo):
    start = datetime.datetime(2020, 7, 1, tzinfo=LOCAL_TZ)
    jiangsu_exchange = Activity.objects.create(
        week=demo.jiangsu,
        kind=Activity.Kind.EXCHANGE,
        title="江苏省“云兑换”",
        start=start,
        end=start + datetime.timedelta(days=1),
        all_day=True,
    )
    client.force_login(User.objects.get(username="national_admin"))

    detail = client.get(reverse("exchange:detail", args=[jiangsu_exchange.pk]))
    register = client.get(reverse("exchange:register", args=[jiangsu_exchange.pk]))

    assert detail.status_code == 200
    assert register.status_code == 403
    assert "本单位不在江苏省机关事务管理局组织的云兑换范围内；您可以查看汇总，但不能备案。" in register.content.decode()
