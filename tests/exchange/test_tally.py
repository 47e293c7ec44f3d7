"""The tally with exact totals: on the exchange page, in the .xlsx, on the reporting dashboard, in the summary draft."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from exchange.services.recording import ProductInput
from reporting.summary.draft.prose import compile_draft
from tests.exchange.conftest import AFTER, record_input, recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_records(ex):
    recorded(ex, ex.jyb)
    recorded(
        ex,
        ex.sthj,
        record_input(
            newspapers_kg=Decimal("186"),
            ink_cartridges=25,
            electronics=6,
            other_name="旧衣物",
            other_count=40,
            products=[ProductInput("马铃薯粉条", Decimal("2460"), "河北省围场县")],
        ),
        phone="13910000102",
    )
    return ex


def read_xlsx(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_the_xlsx_export_holds_each_subtree_and_the_exact_total(two_records, client_for, travel):
    ex = two_records
    travel(AFTER)
    response = client_for(ex.national).get(reverse("exchange:export", args=[ex.activity.pk]))
    sheets = read_xlsx(response.content)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert sheets["汇总"] == [
        ("“云兑换”：回收废旧物品 助力扶贫公益：回收与兑换汇总（国管局节能司）", None, None, None, None, None, None),
        (
            "单位",
            "登记单位数",
            "废旧报纸（千克）",
            "墨盒硒鼓（个）",
            "电子产品（件）",
            "其他物品（件）",
            "兑换扶贫产品（元）",
        ),
        ("教育部", 1, 320.5, 48, 12, 0, 3580.5),
        ("生态环境部", 1, 186, 25, 6, 40, 2460),
        ("合计", 2, 506.5, 73, 18, 40, 6040.5),
    ]
    assert sheets["明细"][2][:8] == (
        "教育部",
        320.5,
        48,
        12,
        None,
        0,
        "威县梨（河北省威县）2000.00元；板栗 1580.50元",
        3580.5,
    )
    assert sheets["明细"][3][:8] == (
        "生态环境部",
        186,
        25,
        6,
        "旧衣物",
        40,
        "马铃薯粉条（河北省围场县）2460.00元",
        2460,
    )


def test_a_department_exports_only_its_own_subtree(two_records, client_for):
    ex = two_records
    response = client_for(ex.sthj).get(reverse("exchange:export", args=[ex.activity.pk]))

    assert read_xlsx(response.content)["汇总"][2:] == [
        ("生态环境部（本单位）", 1, 186, 25, 6, 40, 2460),
        ("合计", 1, 186, 25, 6, 40, 2460),
    ]


def test_the_exchange_page_shows_the_total_row(two_records, client_for):
    page = client_for(two_records.national).get(reverse("exchange:detail", args=[two_records.activity.pk]))

    assert page.context["tally"].total.newspapers_kg == Decimal("506.50")
    assert page.context["tally"].total.products_yuan == Decimal("6040.50")
    assert (
        '<tr data-total><th scope="row">合计</th><td class="num">2</td><td class="num">506.50</td>'
        '<td class="num">73</td><td class="num">18</td><td class="num">40</td><td class="num">6040.50</td></tr>'
    ) in page.content.decode()


def test_the_reporting_dashboard_of_the_national_week_has_the_exchange_block(two_records, client_for, travel):
    ex = two_records
    travel(AFTER)
    page = client_for(ex.national).get(reverse("reporting:dashboard", args=[ex.demo.national.slug]))
    tally = page.context["exchange_tally"]

    assert [(row.label, row.newspapers_kg, row.products_yuan) for row in tally.rows] == [
        ("教育部", Decimal("320.50"), Decimal("3580.50")),
        ("生态环境部", Decimal("186.00"), Decimal("2460.00")),
    ]
    assert "云兑换回收与兑换" in page.content.decode()


def test_the_jiangsu_dashboard_has_no_exchange_block_without_records_below_it(two_records, client_for, travel):
    travel(AFTER)
    page = client_for(two_records.demo.user("jiangsu_admin")).get(
        reverse("reporting:dashboard", args=[two_records.demo.jiangsu.slug])
    )

    assert page.context["exchange_tally"] is None
    assert "云兑换回收与兑换" not in page.content.decode()


def test_the_summary_draft_says_how_much_was_collected_and_exchanged(ex):
    national = ex.demo.org("100000")
    before = compile_draft(ex.demo.national, national, now=AFTER)
    recorded(ex, ex.jyb)
    recorded(
        ex,
        ex.sthj,
        record_input(
            newspapers_kg=Decimal("186"),
            ink_cartridges=0,
            electronics=0,
            products=[ProductInput("粉条", Decimal("2460"), "")],
        ),
        phone="13910000102",
    )
    after = compile_draft(ex.demo.national, national, now=AFTER)
    sentence = (
        "三是“云兑换”献爱心。2个单位参加“云兑换”活动，共回收废旧报纸506.5千克，兑换扶贫产品6040.5元，"
        "另回收墨盒硒鼓48个、电子产品12件，助力打赢脱贫攻坚战。"
    )

    assert sentence in after.body.split("\n")
    assert after.body.replace(sentence + "\n", "") == before.body
    assert "云兑换”献爱心" not in before.body


def test_a_departments_draft_counts_only_its_own_record(ex):
    recorded(ex, ex.jyb)

    body = compile_draft(ex.demo.national, ex.demo.org("100101"), now=AFTER).body

    assert "1个单位参加“云兑换”活动，共回收废旧报纸320.5千克，兑换扶贫产品3580.5元" in body
