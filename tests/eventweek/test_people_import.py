"""Importing users from the .xlsx template: every row checked, all or nothing, each refusal naming row and column."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEntry
from eventweek.models import User

IMPORT = reverse("eventweek:manage_people_import")
HEADER = ["用户名", "姓名", "单位代码", "角色", "手机", "邮箱"]
GOOD = [
    ["nj_a", "南京甲", "320100", "报送员", "13812345678", "a@example.cn"],
    ["wx_b", "无锡乙", "320200", "审核员", "", ""],
]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "users.xlsx"
    return buffer


def upload(client, rows, header=HEADER):
    return client.post(IMPORT, {"file": xlsx(rows, header)})


def errors(response) -> list[str]:
    block = re.search(
        r'<div class="form-errors" role="alert"><p>文件未导入.*?<ul>(.*?)</ul>', response.content.decode()
    )
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def test_a_good_file_creates_every_user_with_a_temporary_password_shown_once(demo, client_for):
    admin = demo.user("jiangsu_admin")
    response = upload(client_for(admin), GOOD)

    assert response.status_code == 200
    passwords = re.findall(r'<code class="temporary-password">([^<]+)</code>', response.content.decode())
    created = [User.objects.get(username=name) for name in ("nj_a", "wx_b")]
    assert [(u.org.code, u.role, u.first_name, u.phone, u.must_change_password) for u in created] == [
        ("320100", "reporter", "南京甲", "13812345678", True),
        ("320200", "reviewer", "无锡乙", "", True),
    ]
    assert [u.check_password(p) for u, p in zip(created, passwords, strict=True)] == [True, True]
    entries = AuditEntry.objects.filter(action="user.create").order_by("pk")
    assert [(e.actor, e.object_repr) for e in entries] == [(admin, "nj_a"), (admin, "wx_b")]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["nanjing_reporter", "重名", "320100", "报送员", "", ""], "第 4 行“用户名”列：“nanjing_reporter”已存在。"),
        (["NJ_A", "重名", "320100", "报送员", "", ""], "第 4 行“用户名”列：“NJ_A”与第 2 行重复。"),
        (["nj_c", "未知", "329999", "报送员", "", ""], "第 4 行“单位代码”列：没有代码为“329999”的单位。"),
        (
            ["nc_c", "南昌", "360100", "报送员", "", ""],
            "第 4 行“单位代码”列：单位“南昌市机关事务管理局”（360100）不在您管理的范围内。",
        ),
        (["nj_c", "", "320100", "报送员", "", ""], "第 4 行“姓名”列：不能为空。"),
        (["nj_c", "某", "320100", "局长", "", ""], "第 4 行“角色”列：应为“管理员”“报送员”“审核员”之一。"),
        (["nj_c", "某", "320100", "报送员", "12345", ""], "第 4 行“手机”列：“12345”不是有效的手机号。"),
    ],
)
def test_one_bad_row_refuses_the_whole_file_naming_its_row_and_column(demo, client_for, bad_row, message):
    response = upload(client_for(demo.user("jiangsu_admin")), [*GOOD, bad_row])

    assert errors(response) == [message]
    assert not User.objects.filter(username__in=["nj_a", "wx_b", "nj_c", "nc_c"]).exists()
    assert AuditEntry.objects.count() == 0


def test_a_missing_column_refuses_the_file_naming_the_column(demo, client_for):
    header = ["用户名", "姓名", "角色", "手机", "邮箱"]
    rows = [[row[0], row[1], row[3], row[4], row[5]] for row in GOOD]
    response = upload(client_for(demo.user("jiangsu_admin")), rows, header)

    assert errors(response) == ["表头缺少“单位代码”列，请使用下载的模板。"]
    assert not User.objects.filter(username="nj_a").exists()


def test_a_formula_cell_is_refused_like_the_bank_import(demo, client_for):
    response = upload(client_for(demo.user("jiangsu_admin")), [*GOOD, ["nj_f", "=A2", "320100", "报送员", "", ""]])

    assert errors(response) == ["第 4 行“姓名”列：是公式，请填写文字。"]
    assert not User.objects.filter(username__in=["nj_a", "nj_f"]).exists()


def test_creating_several_users_writes_none_when_the_last_one_is_refused_at_write_time(demo):
    from eventweek.errors import DomainError
    from eventweek.services.people import NewPerson, create_users

    # The file's checks ran earlier; a concurrent admin took the last name since: the first user must go too.
    people = [
        NewPerson("nj_a", "南京甲", demo.org("320100"), "reporter"),
        NewPerson("wuxi_reporter", "无锡", demo.org("320200"), "reporter"),
    ]
    with pytest.raises(DomainError, match="用户名“wuxi_reporter”已存在。"):
        create_users(demo.user("jiangsu_admin"), people)

    assert not User.objects.filter(username="nj_a").exists()
    assert AuditEntry.objects.count() == 0


def test_the_template_downloads_with_the_columns_and_an_example_of_the_admins_org(demo, client_for):
    response = client_for(demo.user("jiangsu_admin")).get(reverse("eventweek:manage_people_template"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        HEADER,
        ["zhangsan", "张三", "320000", "报送员", "13812345678", "zhangsan@example.cn"],
    ]
