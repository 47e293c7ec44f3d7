"""The exports read back: the package as .docx (official layout, pictures, East Asian fonts) and .xlsx, the week's
summaries as a .zip of .docx files named by org."""

import datetime
import io
import zipfile
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from inbox.models import InboxEntry
from reporting.summary.services.editing import start_summary
from reporting.summary.services.submission import submit_summary


def test_a_package_downloads_as_docx_with_its_text_pictures_and_chinese_fonts(demo, forwarded, client_for):
    response = client_for(demo.user("national_admin")).get(reverse("inbox:docx", args=[forwarded.pk]))
    name = "江苏省机关事务管理局6月29日亮点（第 1 批，2 条）.docx"

    assert response["Content-Disposition"] == f"attachment; filename=\"inbox.docx\"; filename*=UTF-8''{quote(name)}"
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == [
        "江苏省机关事务管理局6月29日亮点（第 1 批，2 条）",
        "（一）旧物回收。南京市机关事务管理局，废旧物品回收，线下，市行政中心，120人参与。",
        "集中回收旧报纸。",
        "称重后捐赠。",
        "审核意见：回收量大",
        "（二）能源紧缺体验。苏州市机关事务管理局，能源紧缺体验，线下，市行政中心，120人参与。",
        "（一）回收现场",
    ]
    assert len(document.inline_shapes) == 1
    title_run = document.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_run = next(p for p in document.paragraphs if p.text == "集中回收旧报纸。").runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_package_downloads_as_xlsx_one_row_per_highlight(demo, forwarded, client_for):
    response = client_for(demo.user("national_admin")).get(reverse("inbox:xlsx", args=[forwarded.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert (sheet.title, sheet["A1"].value, sheet["C3"].number_format) == ("亮点", forwarded.title, "yyyy-mm-dd")
    assert rows == [
        ["序号", "单位", "日期", "活动名称", "活动类型", "形式", "地点", "参与人数", "活动内容", "审核意见", "图片数"],
        [
            1,
            "南京市机关事务管理局",
            datetime.datetime(2020, 6, 29),
            "旧物回收",
            "废旧物品回收",
            "线下",
            "市行政中心",
            120,
            "集中回收旧报纸。\n称重后捐赠。",
            "回收量大",
            1,
        ],
        [
            2,
            "苏州市机关事务管理局",
            datetime.datetime(2020, 6, 29),
            "能源紧缺体验",
            "能源紧缺体验",
            "线下",
            "市行政中心",
            120,
            None,
            None,
            0,
        ],
    ]


@pytest.fixture
def two_city_summaries(demo, city_summary, travel):
    """Nanjing and Wuxi sent their summaries to Jiangsu."""
    wuxi = start_summary(demo.jiangsu, demo.org("320200"))
    submit_summary(wuxi)
    return InboxEntry.objects.filter(kind=InboxEntry.Kind.SUMMARY)


def test_the_weeks_summaries_download_as_one_zip_of_docx_files_named_by_org(demo, two_city_summaries, client_for):
    response = client_for(demo.user("jiangsu_admin")).get(reverse("inbox:summaries_zip", args=["2020-jiangsu"]))
    name = "江苏省机关事务管理局收到的2020年江苏省公共机构节能宣传周总结.zip"

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f"attachment; filename=\"inbox.zip\"; filename*=UTF-8''{quote(name)}"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["南京市机关事务管理局.docx", "无锡市机关事务管理局.docx"]
    for info in archive.infolist():
        assert info.flag_bits & 0x800  # UTF-8 names
        document = Document(io.BytesIO(archive.read(info)))
        assert document.paragraphs[0].text  # the summary's title
