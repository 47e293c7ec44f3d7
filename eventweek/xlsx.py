"""The one xlsx writer: every .xlsx the system writes goes through `write_workbook` (openpyxl write-only mode).

An export is a small `XlsxExporter` subclass whose `sheets()` yields `Sheet`s: a title, columns (header, width,
number format) and rows of plain values or `Styled(value, fill=..., bold=..., number_format=...)` cells. Rows stream
straight into the file, so memory stays flat whatever the row count. The writer:

- writes every `str` as a string cell (an inline string), never as a formula or an error value, whatever its first
  character. Text starting with `=`, `+`, `-`, `@` or a tab also carries Excel's quote prefix, so editing the cell in
  Excel keeps it text instead of turning it into a live formula;
- replaces each control character openpyxl refuses (`ILLEGAL_CHARACTERS_RE`: U+0000–U+0008, U+000B, U+000C,
  U+000E–U+001F; newline and tab are kept) by a space, instead of failing the whole export. A space because Word
  pastes U+000B for a manual line break: a space keeps the words apart, where U+FFFD would print a box in a document
  an office sends on. Text is cut to Excel's 32,767 characters, as openpyxl does;
- keeps numbers, dates and times as typed cells; a column's `number_format` (e.g. `PERCENT`, `DATE`) applies to its
  numbers, dates and times;
- writes an aware datetime as the local wall-clock time (Excel has no time zones), so dates and times stay typed
  cells with a number format, never text;
- styles every sheet alike: a title row above the header (`Sheet.heading`, the sheet's title unless given; "" for
  none, as the import templates need their header in row 1), a bold, centred header row, the columns' widths, the
  header row frozen (`Sheet.freeze`, counted from the header) and printed on every page, landscape, fit to width.
"""

import datetime
import decimal
import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm:ss"
MAX_TEXT = 32767  # Excel's limit for one cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t")
# One search per string decides whether it needs the careful path: a control character openpyxl refuses, a first
# character Excel reads as a formula, or a "#" (openpyxl turns "#N/A" and the other error names into error cells).
_SPECIAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|^[=+\-@\t#]").search
_NUMBERS = (int, float, decimal.Decimal)
# Values a column's number_format applies to: numbers, dates and times.
_FORMATTED = frozenset({*_NUMBERS, datetime.datetime, datetime.date, datetime.time})
# Types openpyxl writes as they are (typed cells); any other type takes the careful path (a str subclass, a lazy
# translation: text; anything else is left to openpyxl).
_PLAIN = frozenset({*_NUMBERS, bool, type(None), datetime.datetime, datetime.date, datetime.time, datetime.timedelta})

BOLD = Font(bold=True)
HEADING_FONT = Font(bold=True, size=14)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


class Column(NamedTuple):
    header: str
    width: float = 12
    number_format: str | None = None


@dataclass
class Styled:
    value: object
    fill: str | None = None
    bold: bool = False
    number_format: str | None = None


@dataclass
class Sheet:
    """One worksheet: columns are Column or (header, width[, number_format]) tuples; rows any iterable of rows."""

    title: str
    columns: Sequence
    rows: Iterable[Sequence]
    freeze: str | None = "A2"  # counted as if the header were row 1: the title row above moves it down
    header_fill: str | None = None
    validations: Sequence = field(default_factory=tuple)  # openpyxl DataValidation objects, ranges already added
    heading: str | None = None  # the title row above the header; None: the sheet's title, "": no title row


def clean_text(text: str) -> str:
    """The text as a cell can hold it: refused control characters replaced by a space, cut to 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub(" ", text[:MAX_TEXT])


@functools.cache
def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _cell(ws, value, *, fill: str | None = None, bold: bool = False, number_format: str | None = None):
    """A cell whose type is decided here: str is always a string cell (cleaned), anything else as openpyxl types it."""
    cell = WriteOnlyCell(ws)
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = timezone.make_naive(value)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"  # after the assignment, which would have made "=…" a formula and "#N/A" an error
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    if fill:
        cell.fill = _fill(fill)
    if bold:
        cell.font = BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def _styled(ws, value: Styled, column_format: str | None):
    """A Styled value's cell; the column's number format applies to a number the value does not format itself."""
    number_format = value.number_format
    if number_format is None and value.value.__class__ in _FORMATTED:
        number_format = column_format
    return _cell(ws, value.value, fill=value.fill, bold=value.bold, number_format=number_format)


def _prepare(ws, row: Sequence, formats: list | None):
    """The row as ws.append takes it: plain values stay (openpyxl's own fast path), the few that need care become
    cells. Most rows come back unchanged, without a copy."""
    if formats is None:
        # The common case first, in as few steps per value as possible: plain strings and numbers pass untouched.
        for value in row:
            kind = value.__class__
            if kind is str:
                if _SPECIAL(value) is not None:
                    break
            elif kind not in _PLAIN or (kind is datetime.datetime and value.tzinfo is not None):
                break
        else:
            return row
    cells = None
    for index, value in enumerate(row):
        kind = value.__class__
        column_format = formats[index] if formats is not None and index < len(formats) else None
        if kind is str:
            if _SPECIAL(value) is None:
                continue
            cell = _cell(ws, value)
        elif kind is datetime.datetime and value.tzinfo is not None:
            # openpyxl refuses aware datetimes: the local wall-clock time
            cell = _cell(ws, value, number_format=column_format)
        elif kind in _PLAIN:
            if column_format is None or kind not in _FORMATTED:
                continue
            cell = _cell(ws, value, number_format=column_format)
        elif kind is Styled:
            cell = _styled(ws, value, column_format)
        elif isinstance(value, (str, Promise)):
            cell = _cell(ws, value)
        else:
            continue
        if cells is None:
            cells = list(row)
        cells[index] = cell
    return row if cells is None else cells


def sheet_title(title: str, taken: set[str]) -> str:
    """A title Excel accepts: no \\ / * ? : [ ] or control characters, at most 31 characters, unique in the book."""
    base = clean_text(INVALID_TITLE_REGEX.sub("_", title)).strip()[:31] or "Sheet"
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _start_sheet(workbook: Workbook, sheet: Sheet, taken: set[str]):
    ws = workbook.create_sheet(title=sheet_title(sheet.title, taken))
    columns = [Column(*column) for column in sheet.columns]
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    heading = sheet.title if sheet.heading is None else sheet.heading
    header_row = 2 if heading else 1
    if sheet.freeze:
        column, row = coordinate_from_string(sheet.freeze)
        ws.freeze_panes = f"{column}{row + header_row - 1}"
    # Printed as an office files it: landscape, all columns on one page's width, the header on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    for validation in sheet.validations:
        ws.data_validations.append(validation)
    if heading:
        title = _cell(ws, heading)
        title.font = HEADING_FONT
        ws.append([title])
    header = [_cell(ws, column.header, fill=sheet.header_fill, bold=True) for column in columns]
    for cell in header:
        cell.alignment = HEADER_ALIGNMENT
    ws.append(header)
    return ws, columns


def write_workbook(
    sheets: Iterable[Sheet],
    target,
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
) -> int:
    """Stream the sheets into an xlsx at a path or a binary file object; returns the number of data rows written."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    written = 0
    for sheet in sheets:
        ws, columns = _start_sheet(workbook, sheet, taken)
        formats = [column.number_format for column in columns]
        formats = formats if any(formats) else None
        append = ws.append
        for row in sheet.rows:
            append(_prepare(ws, row, formats))
            written += 1
            if progress is not None and written % progress_every == 0:
                progress(written)
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")  # a workbook needs one sheet to open
    workbook.save(target)
    return written


class XlsxExporter:
    """Base class of every export: subclasses set filename and implement sheets()."""

    filename = "export.xlsx"

    def sheets(self) -> Iterator[Sheet]:
        raise NotImplementedError

    def write(self, target, *, progress: Callable[[int], None] | None = None, progress_every: int = 5000) -> int:
        """Write the workbook to a path or a binary file object; returns the number of data rows."""
        return write_workbook(self.sheets(), target, progress=progress, progress_every=progress_every)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()

    def response(self) -> HttpResponse:
        response = HttpResponse(self.to_bytes(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(self.filename)
        return response


def content_disposition(filename: str, fallback_stem: str = "export") -> str:
    """An attachment header for a Chinese file name: an ASCII fallback (`fallback_stem` with the file's own
    extension, for browsers that ignore filename*), then the RFC 5987 filename*. Every download goes through it."""
    stem, dot, suffix = filename.rpartition(".")
    fallback = f"{fallback_stem}.{suffix.lower()}" if dot and suffix.isascii() else fallback_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
