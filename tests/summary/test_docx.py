"""The docx read back with python-docx: GB/T 9704 page, title, body within the limit, pictures, fonts on every run."""

import io

import pytest
import time_machine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reporting.summary.docx import docx_to_pdf, libreoffice_path
from reporting.summary.services.editing import render_docx, start_summary
from reporting.summary.wordcount import count_chars
from tests.summary.conftest import local

TITLE = "江苏省机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结"


@pytest.fixture
def province_docx(reports):
    with time_machine.travel(local(2020, 7, 6, 10, 0), tick=False):
        summary = start_summary(reports.jiangsu, reports.org("320000"))
    return summary, Document(io.BytesIO(render_docx(summary)))


def east_asian_font(run) -> str | None:
    rfonts = run._element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def test_docx_page_is_a4_with_official_margins(province_docx):
    _, document = province_docx
    section = document.sections[0]

    def mm(length):  # Word stores twips: 210 mm is 11906 twips, 209.99 mm
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert [mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)] == [
        37.0,
        35.0,
        28.0,
        26.0,
    ]


def test_docx_title_is_centred_in_xiaobiaosong_22pt(province_docx):
    _, document = province_docx
    title = document.paragraphs[0]

    assert title.text == TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [(east_asian_font(r), r.font.name, r.font.size) for r in title.runs] == [
        ("方正小标宋简体", "方正小标宋简体", Pt(22))
    ]


def test_docx_body_fonts_and_fixed_line_spacing(province_docx):
    _, document = province_docx
    by_text = {p.text: p for p in document.paragraphs if p.text}

    heading = by_text["一、基本情况"]
    assert [(east_asian_font(r), r.font.size) for r in heading.runs] == [("黑体", Pt(16))]
    level2 = next(p for p in document.paragraphs if p.text.startswith("（一）积极参与全国线上活动。"))
    assert [east_asian_font(r) for r in level2.runs] == ["楷体_GB2312", "仿宋_GB2312"]
    assert level2.runs[0].text == "（一）积极参与全国线上活动。"
    body = document.paragraphs[2]
    assert body.text.startswith("2020年6月29日至7月5日是第30个全国节能宣传周")
    assert [(east_asian_font(r), r.font.size) for r in body.runs] == [("仿宋_GB2312", Pt(16))]
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28)
    assert body.paragraph_format.first_line_indent == Pt(32)


def test_every_run_has_the_east_asian_font_set(province_docx):
    _, document = province_docx
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]

    assert len(runs) >= 15
    assert [run.text for run in runs if not east_asian_font(run)] == []


def test_docx_pictures_have_their_captions_below(province_docx):
    summary, document = province_docx
    paragraphs = document.paragraphs
    with_picture = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing")]

    assert len(document.inline_shapes) == 1
    assert len(with_picture) == 1
    caption = paragraphs[with_picture[0] + 1]
    assert caption.text == "南京市节约型机关创建启动会现场"
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [east_asian_font(r) for r in caption.runs] == ["楷体_GB2312"]
    # The pictures close 主要做法和亮点: the next paragraph opens 取得成效.
    assert paragraphs[with_picture[0] + 2].text == "三、取得成效"
    # 800×600 at the 156 mm text width would pass the 90 mm height cap (two pictures a page): 120 × 90 mm.
    assert (document.inline_shapes[0].width, document.inline_shapes[0].height) == (Mm(120), Mm(90))
    assert (paragraphs[with_picture[0]].paragraph_format.keep_with_next, caption.paragraph_format.keep_with_next) == (
        True,
        None,
    )


def test_docx_text_count_equals_the_count_shown_and_is_within_the_limit(province_docx):
    summary, document = province_docx
    # 落款 and 成文日期, added on export, are not the text the limit counts.
    exported = sum(count_chars(p.text) for p in document.paragraphs[:-2])

    assert exported == summary.char_count
    assert 600 < exported <= 2000


def test_docx_footer_holds_the_page_number_field(province_docx):
    _, document = province_docx
    footer = document.sections[0].footer.paragraphs[0]

    assert footer.text == "—  —"
    assert footer._p.xpath(".//w:instrText")[0].text == "PAGE"


@pytest.mark.skipif(not libreoffice_path(), reason="LibreOffice is not installed on this machine: PDF export skipped")
def test_pdf_export_through_libreoffice(province_docx, reports):
    summary, _ = province_docx
    assert docx_to_pdf(render_docx(summary))[:5] == b"%PDF-"
