"""Import users from the .xlsx template: every row checked first, then all users created in one transaction, or
none. Each refusal names its row and column in Chinese."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import Org, User
from eventweek.phones import normalize_phone
from eventweek.services.people import NewPerson, create_users, username_taken
from eventweek.xlsx import Column, Sheet, XlsxExporter
from eventweek.xlsx_read import missing_columns_check, read_table

COLUMNS = ("用户名", "姓名", "单位代码", "角色", "手机", "邮箱")
REQUIRED_COLUMNS = ("用户名", "姓名", "单位代码", "角色")
MAX_ROWS = 1000
ROLE_BY_LABEL = {str(label): value for value, label in User.Role.choices}


class UserImportError(DomainError):
    """The file was refused; `errors` lists every problem found (row and column named)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class UserImportTemplate(XlsxExporter):
    """The template to fill in: the header row and one example row."""

    filename = "用户导入模板.xlsx"

    def __init__(self, org: Org | None):
        self.org = org

    def sheets(self):
        code = self.org.code if self.org else "320100"
        yield Sheet(
            title="用户",
            columns=[Column(name, width) for name, width in zip(COLUMNS, (16, 12, 12, 10, 16, 26), strict=True)],
            rows=[["zhangsan", "张三", code, str(User.Role.REPORTER.label), "13812345678", "zhangsan@example.cn"]],
            heading="",  # the import reads its header from row 1
        )


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """The file's filled rows as (row number, {column: text}); UserImportError for a file or header that is wrong."""
    return read_table(
        data,
        COLUMNS,
        error=UserImportError,
        check_header=missing_columns_check(REQUIRED_COLUMNS),
        max_rows=MAX_ROWS,
        too_many=_("一次最多导入 %(n)d 个用户。") % {"n": MAX_ROWS},
        no_rows=_("文件中没有用户（第 2 行起填写）。"),
    )


def parse_rows(actor, rows: list[tuple[int, dict]]) -> list[NewPerson]:
    """Check every row; the people to create, or UserImportError listing every bad row and column."""
    errors: list[str] = []
    people: list[NewPerson] = []
    orgs = {org.code: org for org in Org.objects.filter(code__in={cells.get("单位代码", "") for _n, cells in rows})}
    seen: dict[str, int] = {}

    for number, cells in rows:
        row_errors: list[str] = []

        def error(column: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(_("第 %(row)d 行“%(col)s”列：%(msg)s") % {"row": number, "col": column, "msg": message})

        for column in REQUIRED_COLUMNS:
            if not cells.get(column):
                error(column, _("不能为空。"))
        username = cells.get("用户名", "")
        if username:
            if len(username) > 150 or not all(ch.isalnum() or ch in "@.+-_" for ch in username):
                error("用户名", _("只能包含字母、数字和 @ . + - _，最多 150 个字符。"))
            elif username.lower() in seen:
                error("用户名", _("“%(u)s”与第 %(n)d 行重复。") % {"u": username, "n": seen[username.lower()]})
            elif username_taken(username):
                error("用户名", _("“%(u)s”已存在。") % {"u": username})
            seen.setdefault(username.lower(), number)
        code = cells.get("单位代码", "")
        org = orgs.get(code)
        if code and org is None:
            error("单位代码", _("没有代码为“%(code)s”的单位。") % {"code": code})
        elif org is not None and not actor.can_see_org(org):
            error("单位代码", _("单位“%(org)s”（%(code)s）不在您管理的范围内。") % {"org": org.name, "code": code})
        role_label = cells.get("角色", "")
        role = ROLE_BY_LABEL.get(role_label)
        if role_label and role is None:
            error("角色", _("应为“%(roles)s”之一。") % {"roles": "”“".join(ROLE_BY_LABEL)})
        phone = cells.get("手机", "")
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValueError:
                error("手机", _("“%(phone)s”不是有效的手机号。") % {"phone": phone})
        email = cells.get("邮箱", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("邮箱", _("“%(email)s”不是有效的邮箱地址。") % {"email": email})
        if len(cells.get("姓名", "")) > 150:
            error("姓名", _("最多 150 个字符。"))
        if row_errors:
            errors.extend(row_errors)
        else:
            people.append(NewPerson(username, cells["姓名"], org, role, phone, email))
    if errors:
        raise UserImportError(errors)
    return people


def import_users(actor, data: bytes) -> list[tuple[User, str]]:
    """Create every user of the file with a temporary password, or none: (user, password) pairs to show once."""
    people = parse_rows(actor, read_rows(data))
    return create_users(actor, people)
