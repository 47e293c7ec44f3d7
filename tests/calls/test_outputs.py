import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from calls.models import Entry
from calls.services.entries import add_picture
from calls.services.review import decide

SELECTED = [
    "以智慧审判庭建设推动节约型机关创建",
    "新时代法院节约型机关创建的实践与思考",
    "为民服务中心绿色办公实践",
    "一名市民眼中的节约型机关",
]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "blue").save(out, "PNG")
    return out.getvalue()


def test_export_collection_writes_the_toc_the_entries_in_order_pictures_and_east_asian_fonts(jdz, tmp_path):
    court_case = Entry.objects.get(title=SELECTED[0])
    add_picture(court_case, SimpleUploadedFile("庭.png", _png()), "智慧审判庭")
    out = tmp_path / "collection.docx"
    call_command("export_collection", "2023-jingdezhen", "--out", str(out), stdout=io.StringIO())
    document = Document(str(out))
    body = document.element.body
    instructions = [node.text for node in body.iter(qn("w:instrText"))]
    assert instructions == ['TOC \\o "1-1" \\h \\z \\u']
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2023年度公共机构绿色低碳示范案例遴选与节约型机关创建主题征文作品汇编"
    assert texts[1] == "目录"
    written = [t for t in texts if t[:2] in ("1.", "2.", "3.", "4.")]
    assert written == [
        "1. 以智慧审判庭建设推动节约型机关创建（景德镇市中级人民法院）",
        "2. 为民服务中心绿色办公实践（乐平市为民服务中心）",
        "3. 新时代法院节约型机关创建的实践与思考（景德镇市中级人民法院）",
        "4. 一名市民眼中的节约型机关（景德镇陶瓷大学）",
    ]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [SELECTED[0], SELECTED[2], SELECTED[1], SELECTED[3]]
    assert len(document.inline_shapes) == 1
    assert "智慧审判庭" in texts
    assert "一、基本情况" in texts and "李明，景德镇市中级人民法院，0798-8383376" in texts
    fonts = {node.get(qn("w:eastAsia")) for node in body.iter(qn("w:rFonts"))}
    assert fonts == {"方正小标宋简体", "黑体", "仿宋_GB2312", "楷体_GB2312"}


def test_a_certificate_of_an_adopted_entry_names_the_org_title_authors_adopter_and_date(jdz, client_for):
    essay = Entry.objects.get(title=SELECTED[1])
    decide(essay, jdz.org("360000"), selected=True)
    client = client_for(jdz.user("jdz_court"))
    response = client.get(f"/calls/entries/{essay.pk}/certificate/")
    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert texts[:2] == ["奖励证书", "景德镇市中级人民法院（李明）："]
    assert texts[2] == (
        "你单位报送的征文《新时代法院节约型机关创建的实践与思考》在2023年度公共机构绿色低碳示范案例遴选与节约型机关"
        "创建主题征文中被江西省机关事务管理局采用，特发此证，以资鼓励。"
    )
    assert texts[3] == "景德镇市机关事务管理局"
    assert texts[4].startswith("20") and texts[4].endswith("日")
    not_adopted = Entry.objects.get(title=SELECTED[0])
    assert client.get(f"/calls/entries/{not_adopted.pk}/certificate/").status_code == 404


def test_the_entries_xlsx_lists_every_entry_with_scores_and_the_quota_sheet(jdz, client_for):
    response = client_for(jdz.user("jingdezhen_admin")).get("/calls/2023-jingdezhen/entries.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["作品", "任务完成情况"]
    rows = list(book["作品"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 8
    court = next(row for row in rows if row[2] == SELECTED[0])
    assert court[1:4] == ("案例", SELECTED[0], "景德镇市中级人民法院")
    assert court[6:8] == ("已提交", "按时报送")
    assert court[9:12] == (1, 91, "景德镇")
    late = next(row for row in rows if row[2] == "以数据治理助推节约型机关建设")
    assert late[7] == "迟报"
    quota = list(book["任务完成情况"].iter_rows(min_row=3, values_only=True))
    assert quota[0] == ("景德镇市中级人民法院", "示范单位", 1, 1, 1, 1, "已完成")
    assert quota[-2] == ("乐平市机关事务管理局", "县（市、区）", 2, 1, 5, 0, "差案例 1 个，差征文 5 篇")


def test_one_entry_docx_follows_the_templates_order(jdz, client_for):
    entry = Entry.objects.get(title=SELECTED[0])
    response = client_for(jdz.user("jdz_court")).get(f"/calls/entries/{entry.pk}/docx/")
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert texts[:6] == [
        SELECTED[0],
        "单位名称：景德镇市中级人民法院",
        "主题：示范创建",
        "方向：节约型机关创建",
        "摘要：以智慧审判庭建设推动节约型机关创建：通过制度建设与技术改造，年节约用电一成以上。",
        "关键词：公共机构",
    ]
    assert [t for t in texts if t[1:2] == "、"] == ["一、基本情况", "二、推进措施", "三、成果效益", "四、经验总结"]


def test_a_certificate_pdf_is_made_by_libreoffice_in_a_job_and_read_back(
    jdz, client_for, django_capture_on_commit_callbacks
):
    import subprocess

    essay = Entry.objects.get(title=SELECTED[1])
    decide(essay, jdz.org("360000"), selected=True)
    client = client_for(jdz.user("jdz_court"))
    with django_capture_on_commit_callbacks(execute=True):
        start = client.post(f"/calls/entries/{essay.pk}/certificate/pdf/")
    assert start.status_code == 302
    response = client.get(start["Location"])
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = "".join(text.decode().split())
    assert "奖励证书" in text and "景德镇市中级人民法院（李明）" in text and "被江西省机关事务管理局采用" in text
    assert client_for(jdz.user("jiangsu_admin")).get(start["Location"]).status_code == 404
