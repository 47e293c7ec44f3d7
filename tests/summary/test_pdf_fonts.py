"""The PDF prints the official font names in open fonts, through reporting/summary/fonts.conf's fontconfig aliases:
仿宋 and 小标宋 in Noto Serif CJK, 楷体 in AR PL UKai, 黑体 in Noto Sans CJK. Read back with pdffonts (poppler-utils)."""

import datetime
import shutil
import subprocess

import pytest

from reporting.summary.docx import SummaryDocument, SummaryDocx, docx_to_pdf, font_substitutes, libreoffice_path

pytestmark = pytest.mark.skipif(
    not (libreoffice_path() and shutil.which("pdffonts") and shutil.which("fc-match")),
    reason="LibreOffice, pdffonts (poppler-utils) or fc-match is not installed on this machine",
)


def _embedded_fonts(document: SummaryDocument, tmp_path) -> list[tuple[str, str]]:
    """(font name without its subset prefix, embedded?) for each font of the PDF, sorted."""
    path = tmp_path / "summary.pdf"
    path.write_bytes(docx_to_pdf(SummaryDocx(document).render()))
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return sorted((line.split()[0].split("+", 1)[-1], line.split()[-5]) for line in lines)


def test_the_fangsong_title_and_page_numbers_are_embedded_in_the_serif_cjk_font(tmp_path):
    document = SummaryDocument("关于节能宣传周的总结", "今年节能宣传周活动有序开展，各单位积极参与。")
    fonts = _embedded_fonts(document, tmp_path)
    assert [(name.startswith("NotoSerifCJK"), embedded) for name, embedded in fonts] == [(True, "yes")]


def test_kai_and_hei_headings_get_their_own_open_fonts(tmp_path):
    body = "一、基本情况\n（一）广泛宣传。楷体标题后是仿宋正文。\n正文仿宋。"
    document = SummaryDocument("总结", body, sender="南京市机关事务管理局", date=datetime.date(2020, 7, 14))
    families = sorted({name.split("-")[0] for name, _embedded in _embedded_fonts(document, tmp_path)})
    # Noto's CJK collections embed under their first face's name ("…CJKjp"); the glyphs are the same.
    assert families == ["NotoSansCJKjp", "NotoSerifCJKjp", "UKaiCN"]


def test_every_official_font_lands_on_its_intended_open_font_here():
    assert font_substitutes() == {}
