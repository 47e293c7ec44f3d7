"""Importing attachment 1's list of demonstration units: each row's title becomes its org's category, all or nothing,
each refusal naming row and column; only orgs of the admin's subtree."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEntry
from eventweek.models import Org

IMPORT = reverse("eventweek:manage_org_titles_import")
TEMPLATE = reverse("eventweek:manage_org_titles_template")
HEADER = ["单位代码", "单位名称", "称号", "级别"]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "titles.xlsx"
    return buffer


def errors(response) -> list[str]:
    block = re.search(
        r'<div class="form-errors" role="alert"><p>文件未导入.*?<ul>(.*?)</ul>', response.content.decode()
    )
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def categories(*codes) -> list[str]:
    return [Org.objects.get(code=code).category for code in codes]


def test_a_good_file_sets_each_orgs_category_and_logs_each_change(demo, client_for):
    admin = demo.user("jiangsu_admin")
    wuxi = demo.org("320200").name
    rows = [["320100", "", "示范单位", "国家级"], ["", wuxi, "节约型机关", "省级"], ["320000", "", "能效领跑者", ""]]
    response = client_for(admin).post(IMPORT, {"file": xlsx(rows)})

    assert response.status_code == 302
    assert response["Location"] == reverse("eventweek:manage_orgs")
    assert categories("320100", "320200", "320000") == ["demonstration", "thrifty", "leader"]
    entries = AuditEntry.objects.filter(action="org.change").order_by("pk")
    assert [(e.actor, e.org.code, e.before, e.after) for e in entries] == [
        (admin, "320100", {"category": ""}, {"category": "demonstration"}),
        (admin, "320200", {"category": ""}, {"category": "thrifty"}),
        (admin, "320000", {"category": ""}, {"category": "leader"}),
    ]


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([["999999", "", "示范单位", ""]], HEADER, "第 3 行“单位代码”列：没有代码为“999999”的单位。"),
        ([["", "不存在的单位", "示范单位", ""]], HEADER, "第 3 行“单位名称”列：没有名称为“不存在的单位”的单位。"),
        (
            [["320200", "", "先进集体", ""]],
            HEADER,
            "第 3 行“称号”列：应为“示范单位”“节约型机关”“能效领跑者”之一。",
        ),
        ([["320200", "", "", ""]], HEADER, "第 3 行“称号”列：不能为空。"),
        ([["320200", "", "=A1", ""]], HEADER, "第 3 行“称号”列：是公式，请填写文字。"),
        ([["320200", "", "示范单位"]], ["单位代码", "单位名称", "级别"], "表头缺少“称号”列，请使用下载的模板。"),
        ([["示范单位"]], ["称号"], "表头缺少“单位代码”或“单位名称”列，请使用下载的模板。"),
    ],
)
def test_one_bad_row_or_header_imports_nothing_and_says_where(demo, client_for, rows, header, message):
    good = ["320100", "", "示范单位", ""] if header == HEADER else None
    response = client_for(demo.user("jiangsu_admin")).post(
        IMPORT, {"file": xlsx(([good] if good else []) + rows, header)}
    )

    assert response.status_code == 200
    assert errors(response) == [message]
    assert categories("320100", "320200") == ["", ""]
    assert AuditEntry.objects.filter(action="org.change").count() == 0


def test_an_org_outside_the_admins_subtree_is_refused(demo, client_for):
    response = client_for(demo.user("jiangxi_admin")).post(IMPORT, {"file": xlsx([["320100", "", "示范单位", ""]])})

    name = demo.org("320100").name
    assert errors(response) == [f"第 2 行“单位代码”列：单位“{name}”（320100）不在您管理的范围内。"]
    assert categories("320100") == [""]


@pytest.mark.parametrize(
    ("username", "status"), [("jiangsu_admin", 200), ("jiangxi_admin", 200), ("nanjing_reporter", 403)]
)
def test_the_import_page_and_template_answer_admins_and_refuse_a_reporter(demo, client_for, username, status):
    client = client_for(demo.user(username))
    assert client.get(IMPORT).status_code == status
    response = client.get(TEMPLATE)
    assert response.status_code == status
    if status == 200:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == HEADER
        assert sheet["C2"].value == "示范单位"


def test_a_reporter_posting_a_file_changes_nothing(demo, client_for):
    response = client_for(demo.user("nanjing_reporter")).post(IMPORT, {"file": xlsx([["320100", "", "示范单位", ""]])})
    assert response.status_code == 403
    assert categories("320100") == [""]
