"""The xlsx exports read back with openpyxl, cell by cell."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from reporting.exporters import ReportItemsExporter, StatusGridExporter

from .conftest import DAY1, at, image_bytes, item

DAY2 = DAY1 + datetime.timedelta(days=1)


@pytest.fixture
def filed(demo, submit, travel):
    travel(at(DAY1, 15, 20))
    submit(
        "320100",
        items=[
            item("启动会", pictures=[image_bytes(), image_bytes()], description="市级机关启动仪式"),
            item("旧物回收", kind="recycling", recycled_kg="12.50", participants=30),
        ],
    )
    travel(at(DAY1, 16, 45))
    submit("320200", items=[item("讲座", kind="lecture", mode="online", place="腾讯会议")])
    travel(at(DAY2, 9, 0))


def _fill(cell):
    return cell.fill.start_color.rgb[-6:] if cell.fill and cell.fill.fill_type == "solid" else None


def test_the_status_grid_export_has_colours_times_and_rates(demo, filed, client_for):
    response = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:export_grid", args=["2020-jiangsu"]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''"
        + quote("2020年江苏省公共机构节能宣传周-报送情况.xlsx")
    )
    ws = load_workbook(io.BytesIO(response.content))["报送情况"]
    assert ws["A1"].value == "2020年江苏省公共机构节能宣传周每日报送情况"
    rows = list(ws.iter_rows(min_row=2))
    assert [c.value for c in rows[0]] == [
        "单位", "6月29日", "6月30日", "7月1日", "7月2日", "7月3日", "7月4日", "7月5日",
        "按时", "迟报", "缺报", "报送率", "按时报送率", "活动条数", "图片数",
    ]  # fmt: skip
    nanjing, wuxi, xuzhou = rows[1], rows[2], rows[3]
    assert [c.value for c in nanjing[:3]] == ["南京", "按时报送 15:20", "未到截止"]
    assert (_fill(nanjing[1]), _fill(nanjing[2])) == ("C6EFCE", "EDEDED")
    assert [c.value for c in nanjing[8:]] == [1, 0, 0, 1, 1, 2, 2]
    assert nanjing[11].number_format == "0.0%"
    assert [wuxi[1].value, _fill(wuxi[1])] == ["迟报 16:45", "FFEB9C"]
    assert [c.value for c in wuxi[8:]] == [0, 1, 0, 1, 0, 1, 0]
    assert [xuzhou[1].value, _fill(xuzhou[1])] == ["缺报", "FFC7CE"]
    assert [c.value for c in xuzhou[8:13]] == [0, 0, 1, 0, 0]
    rate_row, on_time_row, total_row = rows[14], rows[15], rows[16]
    assert rate_row[0].value == "报送率"
    assert rate_row[1].value == round(2 / 13, 4)
    assert rate_row[2].value == "—"
    assert on_time_row[1].value == round(1 / 13, 4)
    assert [c.value for c in total_row[8:]] == [1, 1, 11, round(2 / 13, 4), round(1 / 13, 4), 3, 2]
    assert len(rows) == 17


def test_the_items_export_lists_every_item_with_its_report(demo, filed):
    ws = load_workbook(io.BytesIO(ReportItemsExporter(demo.jiangsu).to_bytes()))["活动明细"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0] == [
        "单位", "日期", "首次报送时间", "最近报送时间", "状态", "版本", "活动名称", "活动类型", "形式", "地点",
        "参与人数", "回收量（千克）", "图片数", "亮点", "活动内容", "联系人", "联系电话",
    ]  # fmt: skip
    day, at_1520, at_1645 = datetime.datetime(2020, 6, 29), datetime.datetime(2020, 6, 29, 15, 20), datetime.datetime(2020, 6, 29, 16, 45)  # fmt: skip
    assert rows[1:] == [
        ["南京", day, at_1520, at_1520, "按时报送", 1, "启动会", "启动会", "线下",
         "市行政中心", 120, None, 2, None, "市级机关启动仪式", "王明", "025-68780001"],
        ["南京", day, at_1520, at_1520, "按时报送", 1, "旧物回收", "废旧物品回收",
         "线下", "市行政中心", 30, 12.5, 0, None, None, "王明", "025-68780001"],
        ["无锡", day, at_1645, at_1645, "迟报", 1, "讲座", "讲座培训", "线上",
         "腾讯会议", 120, None, 0, None, None, "王明", "025-68780001"],
    ]  # fmt: skip


def test_the_items_export_marks_highlights(demo, filed):
    from reporting.models import ReportItem
    from reporting.services import highlights as services

    services.mark_highlight(ReportItem.objects.get(title="讲座"), user=demo.user("jiangsu_reviewer"))
    ws = load_workbook(io.BytesIO(ReportItemsExporter(demo.jiangsu).to_bytes()))["活动明细"]
    assert [row[13].value for row in ws.iter_rows(min_row=3)] == [None, None, "是"]


def test_the_export_command_writes_both_sheets(demo, filed, tmp_path):
    out = tmp_path / "jiangsu.xlsx"
    call_command("export_reports", "2020-jiangsu", "--out", str(out))
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["报送情况", "活动明细"]
    assert workbook["报送情况"]["B3"].value == "按时报送 15:20"
    assert workbook["活动明细"]["G5"].value == "讲座"


def test_the_export_command_refuses_an_unknown_week(db, tmp_path):
    with pytest.raises(CommandError, match="没有找到活动周“nope”。"):
        call_command("export_reports", "nope", "--out", str(tmp_path / "x.xlsx"))


def test_the_grid_exporter_is_reusable_without_a_request(demo, filed):
    ws = load_workbook(io.BytesIO(StatusGridExporter(demo.jiangsu, orgs=[demo.org("320200")]).to_bytes())).active
    assert [c.value for c in next(ws.iter_rows(min_row=3, max_row=3))][:2] == ["无锡", "迟报 16:45"]


def test_the_national_items_export_has_one_sheet_per_province(demo, filed):
    from reporting.exporters import ChildWeeksItemsExporter

    workbook = load_workbook(io.BytesIO(ChildWeeksItemsExporter(demo.national).to_bytes()))
    assert workbook.sheetnames == ["江苏"]
    assert workbook["江苏"]["A1"].value == "2020年江苏省公共机构节能宣传周每日报送明细"
    assert [row[6].value for row in workbook["江苏"].iter_rows(min_row=3)] == ["启动会", "旧物回收", "讲座"]


FORMULA_TITLE = '=HYPERLINK("http://x","y")'


def _no_formula_cells(workbook) -> list[str]:
    """Every cell of every sheet that holds a formula, as 'sheet!A1' (none is the goal)."""
    return [
        f"{ws.title}!{cell.coordinate}"
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_an_item_titled_like_a_formula_is_exported_as_that_text(demo, filed, client_for):
    from reporting.models import ReportItem

    ReportItem.objects.filter(title="启动会").update(title=FORMULA_TITLE, place="@SUM(A1)")
    response = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:export_items", args=["2020-jiangsu"]))
    workbook = load_workbook(io.BytesIO(response.content))
    title, place = workbook["活动明细"]["G3"], workbook["活动明细"]["J3"]
    assert (title.value, title.data_type, place.value, place.data_type) == (FORMULA_TITLE, "s", "@SUM(A1)", "s")
    assert _no_formula_cells(workbook) == []


def test_a_control_character_in_a_title_does_not_break_the_provinces_items_export(demo, filed, client_for):
    from reporting.models import ReportItem

    ReportItem.objects.filter(title="讲座").update(title="讲座\x0b第二行", place="腾讯\x01会议")
    response = client_for(demo.user("jiangsu_reviewer")).get(reverse("reporting:export_items", args=["2020-jiangsu"]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["活动明细"]
    assert [ws["G5"].value, ws["J5"].value] == ["讲座 第二行", "腾讯 会议"]


def test_no_reporting_export_holds_a_formula_cell(demo, filed):
    from reporting.exporters import ChildWeeksItemsExporter, WeekReportsExporter
    from reporting.models import ReportItem

    ReportItem.objects.filter(title="启动会").update(title=FORMULA_TITLE)
    ReportItem.objects.filter(title="讲座").update(title="=cmd|' /C calc'!A0", place="-2+3")
    for exporter in (
        WeekReportsExporter(demo.jiangsu),
        StatusGridExporter(demo.jiangsu),
        ReportItemsExporter(demo.jiangsu),
        ChildWeeksItemsExporter(demo.national),
    ):
        workbook = load_workbook(io.BytesIO(exporter.to_bytes()))
        assert _no_formula_cells(workbook) == [], exporter
        items = workbook["江苏" if isinstance(exporter, ChildWeeksItemsExporter) else workbook.sheetnames[-1]]
        if items.title != "报送情况":
            assert [row[6].value for row in items.iter_rows(min_row=3)] == [
                FORMULA_TITLE,
                "旧物回收",
                "=cmd|' /C calc'!A0",
            ]


def test_the_reporting_exports_keep_their_header_style_and_frozen_panes(demo, filed):
    ws = load_workbook(io.BytesIO(ReportItemsExporter(demo.jiangsu).to_bytes()))["活动明细"]
    assert (ws.freeze_panes, ws.column_dimensions["G"].width, ws["A2"].font.b, ws["L3"].number_format) == (
        "B3",
        36,
        True,
        "General",
    )


def test_every_reporting_export_has_a_title_row_real_dates_and_print_setup(demo, filed):
    from reporting.exporters import WeekReportsExporter

    workbook = load_workbook(io.BytesIO(WeekReportsExporter(demo.jiangsu).to_bytes()))
    grid, items = workbook["报送情况"], workbook["活动明细"]
    assert [(ws["A1"].value, ws["A1"].font.b, ws["A1"].font.sz) for ws in (grid, items)] == [
        ("2020年江苏省公共机构节能宣传周每日报送情况", True, 14),
        ("2020年江苏省公共机构节能宣传周每日报送明细", True, 14),
    ]
    assert [
        (ws.freeze_panes, ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.fitToWidth,
         ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage)
        for ws in (grid, items)
    ] == [("B3", "$2:$2", "landscape", 1, 0, True)] * 2  # fmt: skip
    day, first, last = items["B3"], items["C3"], items["D3"]
    assert [(c.data_type, c.value, c.number_format) for c in (day, first, last)] == [
        ("d", datetime.datetime(2020, 6, 29), "yyyy-mm-dd"),
        ("d", datetime.datetime(2020, 6, 29, 15, 20), "yyyy-mm-dd hh:mm:ss"),
        ("d", datetime.datetime(2020, 6, 29, 15, 20), "yyyy-mm-dd hh:mm:ss"),
    ]
    text_dates = [c.coordinate for row in items.iter_rows(min_row=3) for c in row if isinstance(c.value, str) and c.value.startswith("2020-")]  # fmt: skip
    assert text_dates == []
