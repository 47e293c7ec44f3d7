"""Who a campaign goes to: a staff list read from .xlsx (姓名, 手机, 单位), validated row by row, or the contacts of an
org subtree. Mobiles are checked later, when the recipients are queued (`campaigns.queue_recipients`), so an invalid
number is skipped and counted rather than refusing the file."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from eventweek.models import Org
from eventweek.xlsx_read import cell_text
from notifications.models import Contact

COLUMNS = ("姓名", "手机", "单位")
MAX_ROWS = 200_000


@dataclass(frozen=True)
class StaffEntry:
    """One person to receive the campaign: the row of the file (0 for a contact), name, mobile as typed, unit id."""

    row: int
    name: str
    mobile: str
    unit_id: int | None


def read_staff_xlsx(upload, org: Org) -> list[StaffEntry]:
    """The rows of a staff list; a ValidationError keyed "file" listing every row error (a unit unknown or outside
    `org`'s subtree, a formula cell) or naming the missing column. Invalid mobiles are left to the queueing."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": _("无法读取该文件，请上传 .xlsx 格式的人员名单。")}) from None
    try:
        rows = workbook.worksheets[0].iter_rows()
        header = next(rows, None)
        names = [cell_text(cell.value) for cell in header] if header else []
        for column in COLUMNS:
            if column not in names:
                raise ValidationError({"file": _("缺少“%(column)s”列。") % {"column": column}})
        index = {column: names.index(column) for column in COLUMNS}
        units = _units_by_name_and_code()
        subtree = set(org.descendants().values_list("pk", flat=True))
        entries, errors = [], []
        for number, cells in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise ValidationError({"file": _("名单太长：最多 %(max)d 行。") % {"max": MAX_ROWS}})
            if any(getattr(cell, "data_type", "") == "f" for cell in cells):
                errors.append(_("第 %(row)d 行：不接受公式，请填写数值。") % {"row": number})
                continue
            values = [cell_text(cell.value) for cell in cells]
            values += [""] * (len(names) - len(values))
            name, mobile, unit = (values[index[c]] for c in COLUMNS)
            if not (name or mobile or unit):
                continue  # an empty row
            unit_id = units.get(unit)
            if not unit:
                errors.append(_("第 %(row)d 行：“单位”为空。") % {"row": number})
            elif unit_id is None:
                errors.append(_("第 %(row)d 行：没有名称或代码为“%(unit)s”的单位。") % {"row": number, "unit": unit})
            elif unit_id not in subtree:
                errors.append(
                    _("第 %(row)d 行：单位“%(unit)s”不在本单位及下级单位范围内。") % {"row": number, "unit": unit}
                )
            else:
                entries.append(StaffEntry(number, name[:50], mobile, unit_id))
    finally:
        workbook.close()
    if errors:
        raise ValidationError({"file": errors})
    if not entries:
        raise ValidationError({"file": _("名单中没有人员。")})
    return entries


def _units_by_name_and_code() -> dict[str, int]:
    units = {}
    for pk, code, name, short_name in Org.objects.values_list("pk", "code", "name", "short_name"):
        for key in (short_name, name, code):  # a code wins over a name that happens to spell it
            if key:
                units[key] = pk
    return units


def subtree_contacts(org: Org) -> list[StaffEntry]:
    """The contacts of `org` and every org below it, as campaign recipients."""
    contacts = Contact.objects.filter(org__in=org.descendants()).order_by("org__path", "pk")
    return [StaffEntry(0, c.name, c.mobile, c.org_id) for c in contacts]
