"""Import attachment 1's list of demonstration units from an .xlsx: each row names an org of the admin's subtree (by
code or name) and its title (称号), which becomes the org's category. Every row is checked first, then all orgs are
changed in one transaction, or none. Each refusal names its row and column in Chinese.

The list's 级别 column (国家级／省级) is read past: Org has no field for a title's level, so only the title is kept."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError
from eventweek.models import Org
from eventweek.xlsx import Column, Sheet, XlsxExporter
from eventweek.xlsx_read import read_table

CODE, NAME, TITLE, LEVEL = "单位代码", "单位名称", "称号", "级别"
COLUMNS = (CODE, NAME, TITLE, LEVEL)
MAX_ROWS = 2000
# The list's short titles, and each category's full label, both accepted.
CATEGORY_BY_TITLE = {
    "示范单位": Org.Category.DEMONSTRATION,
    "节约型机关": Org.Category.THRIFTY,
    "能效领跑者": Org.Category.LEADER,
} | {str(label): value for value, label in Org.Category.choices}


class OrgTitlesImportError(DomainError):
    """The file was refused; `errors` lists every problem found (row and column named)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class OrgTitlesTemplate(XlsxExporter):
    """The template to fill in: the header row and one example row."""

    filename = "示范单位名单模板.xlsx"

    def __init__(self, org: Org | None):
        self.org = org

    def sheets(self):
        code, name = (self.org.code, self.org.name) if self.org else ("360200", "景德镇市")
        yield Sheet(
            title="示范单位",
            columns=[Column(column, width) for column, width in zip(COLUMNS, (14, 30, 14, 10), strict=True)],
            rows=[[code, name, "示范单位", "省级"]],
            heading="",  # the import reads its header from row 1
        )


def _check_header(header: list[str]) -> list[str]:
    if CODE not in header and NAME not in header:
        return [_("表头缺少“单位代码”或“单位名称”列，请使用下载的模板。")]
    if TITLE not in header:
        return [_("表头缺少“称号”列，请使用下载的模板。")]
    return []


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """The file's filled rows as (row number, {column: text}); OrgTitlesImportError for a wrong file or header."""
    return read_table(
        data,
        COLUMNS,
        error=OrgTitlesImportError,
        check_header=_check_header,
        max_rows=MAX_ROWS,
        too_many=_("一次最多导入 %(n)d 个单位。") % {"n": MAX_ROWS},
        no_rows=_("文件中没有单位（第 2 行起填写）。"),
    )


def _find_org(cells: dict, by_code: dict, by_name: dict, error) -> Org | None:
    code, name = cells.get(CODE, ""), cells.get(NAME, "")
    if code:
        org = by_code.get(code)
        if org is None:
            error(CODE, _("没有代码为“%(code)s”的单位。") % {"code": code})
        return org
    if not name:
        error(CODE if CODE in cells else NAME, _("请填写单位代码或单位名称。"))
        return None
    matches = by_name.get(name, [])
    if not matches:
        error(NAME, _("没有名称为“%(name)s”的单位。") % {"name": name})
        return None
    if len(matches) > 1:
        error(NAME, _("名称为“%(name)s”的单位不止一个，请填写单位代码。") % {"name": name})
        return None
    return matches[0]


def parse_rows(actor, rows: list[tuple[int, dict]]) -> list[tuple[Org, str]]:
    """Check every row; the (org, category) pairs to set, or OrgTitlesImportError listing every bad row and column."""
    errors: list[str] = []
    pairs: list[tuple[Org, str]] = []
    by_code = {org.code: org for org in Org.objects.filter(code__in={cells.get(CODE, "") for _n, cells in rows})}
    by_name: dict[str, list[Org]] = {}
    for org in Org.objects.filter(name__in={cells.get(NAME, "") for _n, cells in rows}):
        by_name.setdefault(org.name, []).append(org)
    seen: dict[int, int] = {}

    for number, cells in rows:
        row_errors: list[str] = []

        def error(column: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(_("第 %(row)d 行“%(col)s”列：%(msg)s") % {"row": number, "col": column, "msg": message})

        org = _find_org(cells, by_code, by_name, error)
        if org is not None and not actor.can_see_org(org):
            error(
                CODE if cells.get(CODE) else NAME,
                _("单位“%(org)s”（%(code)s）不在您管理的范围内。")
                % {
                    "org": org.name,
                    "code": org.code,
                },
            )
            org = None
        elif org is not None and org.pk in seen:
            error(CODE if cells.get(CODE) else NAME, _("与第 %(n)d 行是同一单位。") % {"n": seen[org.pk]})
        elif org is not None:
            seen[org.pk] = number
        title = cells.get(TITLE, "")
        category = CATEGORY_BY_TITLE.get(title)
        if not title:
            error(TITLE, _("不能为空。"))
        elif category is None:
            error(TITLE, _("应为“示范单位”“节约型机关”“能效领跑者”之一。"))
        if row_errors:
            errors.extend(row_errors)
        else:
            pairs.append((org, category))
    if errors:
        raise OrgTitlesImportError(errors)
    return pairs


@transaction.atomic
def set_org_titles(actor, pairs: list[tuple[Org, str]]) -> int:
    """Set each org's category, one audit entry per org that changed; the number of orgs changed."""
    changed = 0
    locked = {org.pk: org for org in Org.objects.select_for_update().filter(pk__in=[org.pk for org, _c in pairs])}
    for org, category in pairs:
        current = locked[org.pk]
        if current.category == category:
            continue
        before = {"category": current.category}
        current.category = category
        current.save(update_fields=["category"])
        log_action(actor, actions.ORG_CHANGE, current, org=current, before=before, after={"category": category})
        changed += 1
    return changed


def import_org_titles(actor, data: bytes) -> tuple[int, int]:
    """Set the titles of every org in the file, or none: (rows read, orgs changed)."""
    pairs = parse_rows(actor, read_rows(data))
    return len(pairs), set_org_titles(actor, pairs)
