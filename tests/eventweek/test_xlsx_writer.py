"""The one xlsx writer (eventweek.xlsx), read back with openpyxl: text stays text, numbers stay numbers, styled."""

import datetime
import decimal
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from eventweek.xlsx import PERCENT, Column, Styled, XlsxExporter, clean_text, write_workbook
from eventweek.xlsx import Sheet as WriterSheet


def Sheet(*args, heading="", **kwargs):  # noqa: N802
    """A sheet without the title row, so these tests read the header in row 1 (the title row has its own tests)."""
    return WriterSheet(*args, heading=heading, **kwargs)


FORMULA_LIKE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+86 139",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "#N/A",
    "#DIV/0!",
    "=",
]


def _book(*sheets, **kwargs):
    buffer = io.BytesIO()
    write_workbook(sheets, buffer, **kwargs)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_text_that_starts_like_a_formula_is_written_as_exactly_that_text():
    ws = _book(Sheet("表", [("内容", 30)], [[text] for text in FORMULA_LIKE])).active
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in cells] == [(text, "s") for text in FORMULA_LIKE]
    # Excel's quote prefix keeps the cell text when someone edits it in Excel; "#…" needs none.
    assert [cell.quotePrefix for cell in cells] == [True] * 7 + [False, False, True]


def test_styled_text_and_headers_that_start_like_a_formula_are_text_too():
    ws = _book(Sheet("表", [("=A1", 10)], [[Styled("=A2", fill="C6EFCE", bold=True)]])).active
    assert [(ws["A1"].value, ws["A1"].data_type), (ws["A2"].value, ws["A2"].data_type)] == [("=A1", "s"), ("=A2", "s")]
    assert (ws["A2"].fill.start_color.rgb, ws["A2"].font.b) == ("00C6EFCE", True)


def test_control_characters_openpyxl_refuses_become_spaces_and_newline_and_tab_stay():
    text = "讲座\x0b第二行\x00a\x08b\x0cc\x1fd\x7f"
    ws = _book(Sheet("表", [("内容", 30)], [[text], ["一\n二\t三"], [Styled("状态\x01")]])).active
    assert [row[0].value for row in ws.iter_rows(min_row=2)] == ["讲座 第二行 a b c d\x7f", "一\n二\t三", "状态 "]
    assert clean_text("x" * 40000) == "x" * 32767


def test_numbers_dates_and_percents_stay_typed_cells():
    when = datetime.datetime(2020, 7, 4, 10, 1, 35)
    row = [7, 2.5, decimal.Decimal("12.50"), when, datetime.date(2020, 7, 4), True, None, 0.1234, "—"]
    columns = [("数", 6)] * 7 + [Column("参与率", 9, PERCENT), Column("说明", 9, PERCENT)]
    ws = _book(Sheet("表", columns, [row, [Styled(0.5, fill="FFEB9C")] * 8])).active
    cells = list(ws.iter_rows(min_row=2, max_row=2))[0]
    assert [cell.value for cell in cells] == [7, 2.5, 12.5, when, when.replace(hour=0, minute=0, second=0), True, None, 0.1234, "—"]  # fmt: skip
    assert [cell.data_type for cell in cells] == ["n", "n", "n", "d", "d", "b", "n", "n", "s"]
    assert [cell.number_format for cell in cells[7:]] == ["0.0%", "General"]
    assert ws["D2"].number_format == "yyyy-mm-dd h:mm:ss"
    styled = list(ws.iter_rows(min_row=3, max_row=3))[0]
    assert [styled[0].number_format, styled[7].number_format] == ["General", "0.0%"]


def test_every_sheet_has_a_bold_header_its_widths_and_a_frozen_header_row():
    book = _book(
        Sheet("一", [("单位", 28), ("人数", 9)], [["南京", 3]]),
        Sheet("二", [("单位", 16)], [["无锡"]], freeze="B2", header_fill="E7F4EC"),
    )
    first, second = book["一"], book["二"]
    assert [(c.value, c.font.b, c.alignment.horizontal) for c in first[1]] == [("单位", True, "center"), ("人数", True, "center")]  # fmt: skip
    assert [first["A2"].font.b, first.freeze_panes, second.freeze_panes] == [False, "A2", "B2"]
    assert [first.column_dimensions["A"].width, first.column_dimensions["B"].width] == [28, 9]
    assert second["A1"].fill.start_color.rgb == "00E7F4EC"


def test_sheet_titles_excel_refuses_are_cleaned_and_kept_unique():
    rows = [["x"]]
    book = _book(*(Sheet(title, [("列", 8)], rows) for title in ["南京/无锡[1]", "南京/无锡[1]", "a" * 40, "\x0b"]))
    assert book.sheetnames == ["南京_无锡_1_", "南京_无锡_1_(2)", "a" * 31, "Sheet"]


def test_progress_is_reported_every_n_rows_and_the_row_count_returned():
    seen = []
    written = write_workbook(
        [Sheet("表", [("n", 6)], ([n] for n in range(7)))], io.BytesIO(), progress=seen.append, progress_every=3
    )
    assert (written, seen) == (7, [3, 6])


def test_an_exporter_answers_a_download_with_its_filename():
    class Export(XlsxExporter):
        filename = "江苏-活动明细.xlsx"

        def sheets(self):
            yield Sheet("活动明细", [("活动名称", 36)], [["=1+1"]])

    response = Export().response()
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == "attachment; filename=\"export.xlsx\"; filename*=UTF-8''%E6%B1%9F%E8%8B%8F-%E6%B4%BB%E5%8A%A8%E6%98%8E%E7%BB%86.xlsx"  # fmt: skip
    assert load_workbook(io.BytesIO(response.content)).active["A2"].data_type == "s"


def test_no_module_but_the_one_writer_builds_a_workbook():
    root = Path(__file__).resolve().parents[2]
    writer = root / "eventweek" / "xlsx.py"
    builders = sorted(
        str(path.relative_to(root))
        for app in ("eventweek", "reporting", "quiz")
        for path in (root / app).rglob("*.py")
        if path != writer and re.search(r"\bWorkbook\b|WriteOnlyCell", path.read_text(encoding="utf-8"))
    )
    assert builders == []


def test_a_str_subclass_or_a_lazy_translation_is_written_as_text_too():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    rows = [[mark_safe("=1+1"), gettext_lazy("=2+2"), mark_safe("南京")], [Styled(gettext_lazy("状态"))]]
    ws = _book(Sheet("表", [("甲", 8), ("乙", 8), ("丙", 8)], rows)).active
    assert [(c.value, c.data_type) for c in ws[2]] == [("=1+1", "s"), ("=2+2", "s"), ("南京", "s")]
    assert ws["A3"].value == "状态"


def test_a_sheet_has_a_title_row_above_its_header_and_the_frozen_pane_moves_below_it():
    book = _book(
        WriterSheet("明细", [("单位", 16), ("人数", 9)], [["南京", 3]]),
        WriterSheet("情况", [("单位", 16)], [["无锡"]], freeze="B2", heading="2020年江苏省节能宣传周每日报送明细"),
    )
    first, second = book["明细"], book["情况"]
    assert [(ws["A1"].value, ws["A1"].font.b, ws["A1"].font.sz) for ws in (first, second)] == [
        ("明细", True, 14),
        ("2020年江苏省节能宣传周每日报送明细", True, 14),
    ]
    assert [[c.value for c in row] for row in first.iter_rows(min_row=2)] == [["单位", "人数"], ["南京", 3]]
    assert [(ws.freeze_panes, ws.print_title_rows) for ws in (first, second)] == [("A3", "$2:$2"), ("B3", "$2:$2")]


def test_an_empty_heading_leaves_the_header_in_row_one_for_import_templates():
    ws = _book(WriterSheet("模板", [("题型", 8)], [["单选"]], heading="")).active
    assert (ws["A1"].value, ws["A2"].value, ws.freeze_panes, ws.print_title_rows) == ("题型", "单选", "A2", "$1:$1")


def test_every_sheet_prints_landscape_fit_to_one_page_wide_with_the_header_on_each_page():
    ws = _book(WriterSheet("表", [("单位", 16)], [["南京"]])).active
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert (ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_title_rows) == (True, "$2:$2")


def test_aware_datetimes_are_written_as_beijing_time_in_the_columns_format():
    from zoneinfo import ZoneInfo

    utc = datetime.datetime(2020, 7, 5, 17, 16, tzinfo=ZoneInfo("UTC"))
    columns = [Column("报送时间", 19, "yyyy-mm-dd hh:mm"), Column("日期", 12, "yyyy-mm-dd")]
    ws = _book(Sheet("表", columns, [[utc, datetime.date(2020, 7, 6)], [Styled(utc), None]])).active
    cells = [ws["A2"], ws["B2"], ws["A3"]]
    assert [(c.data_type, c.value, c.number_format) for c in cells] == [
        ("d", datetime.datetime(2020, 7, 6, 1, 16), "yyyy-mm-dd hh:mm"),
        ("d", datetime.datetime(2020, 7, 6), "yyyy-mm-dd"),
        ("d", datetime.datetime(2020, 7, 6, 1, 16), "yyyy-mm-dd hh:mm"),
    ]
