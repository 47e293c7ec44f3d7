"""The one xlsx reader of the imports: an uploaded template read into (row number, {column: text}) rows.

The reader checks the file by content (empty, not an .xlsx zip, unreadable), reads the header from row 1, refuses every
formula cell naming its row and column, and stops at a row limit. Each refusal is raised as the importer's own error
class with a list of Chinese messages; the importer words only what is its own (the row limit, no rows, and, if its
header rule is not "these columns must all be there", the header check).
"""

import io
import zipfile
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from openpyxl import load_workbook


def cell_text(value) -> str:
    """A cell's value as stripped text; a whole number typed as a number (a code, a mobile) loses its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def missing_columns_check(required: Sequence[str]) -> Callable[[list[str]], list[str]]:
    """The usual header rule: every required column is there, else one message naming the missing ones."""

    def check(header: list[str]) -> list[str]:
        missing = [name for name in required if name not in header]
        if missing:
            return [_("表头缺少“%(cols)s”列，请使用下载的模板。") % {"cols": "”“".join(missing)}]
        return []

    return check


def read_table(
    data,
    columns: Sequence[str],
    *,
    error: Callable[[list[str]], Exception],
    check_header: Callable[[list[str]], list[str]],
    max_rows: int,
    too_many: str,
    no_rows: str,
    sheet_title: str | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """The filled rows of an uploaded .xlsx (bytes or a file) as (row number, {column: text}); `error(messages)` is
    raised for a wrong file, a header `check_header` refuses, formula cells, more than `max_rows` rows (`too_many`)
    or none (`no_rows`)."""
    data = data.read() if hasattr(data, "read") else data
    if not data:
        raise error([_("上传的文件是空的。")])
    try:
        if "xl/workbook.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist():
            raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise error([_("上传的文件不是 Excel（.xlsx）文件，请下载模板填写后再上传。")]) from None
    try:
        # Not data_only: a formula cell must be seen as a formula (with data_only it reads as its cached value, or as
        # empty when no spreadsheet program calculated it), so the row is refused naming it.
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise error([_("无法读取该 Excel 文件，文件可能已损坏。")]) from None
    try:
        sheet = workbook[sheet_title] if sheet_title in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows()
        header = [cell_text(cell.value) for cell in next(rows, ())]
        problems = check_header(header)
        if problems:
            raise error(problems)
        positions = {name: header.index(name) for name in columns if name in header}
        result, formulas = [], []
        for number, row in enumerate(rows, start=2):
            cells = {}
            for name, pos in positions.items():
                cell = row[pos] if pos < len(row) else None
                if cell is not None and cell.data_type == "f":
                    formulas.append(_("第 %(row)d 行“%(col)s”列：是公式，请填写文字。") % {"row": number, "col": name})
                cells[name] = cell_text(getattr(cell, "value", None))
            if any(cells.values()):
                result.append((number, cells))
            if len(result) > max_rows:
                raise error([too_many])
    finally:
        workbook.close()
    if formulas:
        raise error(formulas)
    if not result:
        raise error([no_rows])
    return result
