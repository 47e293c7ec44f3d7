"""The summary .docx ends as an official document does: 落款 and 成文日期 right-aligned; pictures sized two a page."""

import datetime
import io

import pytest
import time_machine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image

from reporting.summary.docx import DocPicture, SummaryDocument, SummaryDocx, chinese_date
from reporting.summary.services.editing import render_docx, start_summary
from tests.summary.conftest import local


def _jpeg(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 80)).save(out, "JPEG")
    return out.getvalue()


def _east_asian(run) -> str:
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_docx_ends_with_the_senders_name_and_the_date_right_aligned(reports):
    with time_machine.travel(local(2020, 7, 14, 10, 0), tick=False):
        summary = start_summary(reports.jiangsu, reports.org("320000"))
    document = Document(io.BytesIO(render_docx(summary)))
    sender, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (sender.text, date.text) == (reports.org("320000").name, "2020年7月14日")
    assert [p.alignment for p in (sender, date)] == [WD_ALIGN_PARAGRAPH.RIGHT] * 2
    assert [p.paragraph_format.right_indent for p in (sender, date)] == [Pt(64)] * 2
    assert (sender.paragraph_format.space_before, sender.paragraph_format.keep_with_next) == (Pt(28), True)
    assert [_east_asian(p.runs[0]) for p in (sender, date)] == ["仿宋_GB2312", "仿宋_GB2312"]


def test_the_date_of_a_saved_version_is_the_day_it_was_saved(reports):
    with time_machine.travel(local(2020, 7, 14, 10, 0), tick=False):
        summary = start_summary(reports.jiangsu, reports.org("320000"))
    version = summary.versions.order_by("-number").first()
    with time_machine.travel(local(2020, 7, 16, 9, 0), tick=False):  # rendered later: the date it was written
        document = Document(io.BytesIO(render_docx(summary, version)))
    assert document.paragraphs[-1].text == "2020年7月14日"


def test_a_document_without_sender_or_date_ends_with_its_text():
    document = Document(io.BytesIO(SummaryDocx(SummaryDocument("标题", "一、基本情况\n正文。")).render()))
    assert document.paragraphs[-1].text == "正文。"


@pytest.mark.parametrize(
    ("size", "expected"),
    [((4000, 3000), (Mm(120), Mm(90))), ((3000, 1000), (Mm(156), Mm(52))), ((1000, 3000), (Mm(30), Mm(90)))],
)
def test_pictures_fit_the_text_width_and_nine_centimetres_so_two_fit_a_page(size, expected):
    source = SummaryDocument("标题", "正文。", [DocPicture(_jpeg(size), "说明")], sender="南京市", date=datetime.date(2020, 7, 6))  # fmt: skip
    document = Document(io.BytesIO(SummaryDocx(source).render()))
    shape = document.inline_shapes[0]
    assert (round(shape.width / Mm(1)), round(shape.height / Mm(1))) == (expected[0] // Mm(1), expected[1] // Mm(1))


def test_chinese_date_has_no_leading_zeros():
    assert [chinese_date(datetime.date(2020, 7, 6)), chinese_date(datetime.date(2020, 12, 14))] == [
        "2020年7月6日",
        "2020年12月14日",
    ]
