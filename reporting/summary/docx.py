"""The summary as a .docx in the Chinese official-document layout (GB/T 9704-2012), and as PDF where LibreOffice is.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the title centred in 方正小标宋简体 二号 (22 pt); the body in
仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line spacing, indented two characters; "一、" headings in 黑体, "（一）" headings
in 楷体_GB2312; pictures centred with their captions below (the picture kept on its caption's page, at most 9 cm high so
that two fit on a page); the sender's name (落款) and the date (成文日期, "2020年7月14日") right-aligned at the end, four
characters from the right margin; the page number "— N —" in the footer. The fonts are written
to w:rFonts of every run, East Asian slot included, since Word picks Chinese glyphs from w:eastAsia alone.
"""

import datetime
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
CAPTION_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
CAPTION_SIZE = Pt(14)  # 四号
LINE_SPACING = Pt(28)
TITLE_LINE_SPACING = Pt(36)
PICTURE_MAX_WIDTH = Mm(156)  # the text width: 210 mm less the 28 and 26 mm margins
PICTURE_MAX_HEIGHT = Mm(90)  # two pictures with their captions fit in the 225 mm of text height
SIGNATURE_INDENT = Pt(64)  # 落款 and 成文日期 end four characters (三号) from the right margin

HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")
PICTURES_BEFORE = re.compile(r"^三、")  # pictures close the section 主要做法和亮点, before 取得成效


@dataclass
class DocPicture:
    """A picture to print: a path or the image bytes, and its caption."""

    source: object
    caption: str = ""


@dataclass
class SummaryDocument:
    """What the document holds: a title, a body of lines, pictures with captions."""

    title: str
    body: str
    pictures: list[DocPicture] = field(default_factory=list)
    sender: str = ""  # 落款: the sending org's name
    date: datetime.date | None = None  # 成文日期

    def lines(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]


def set_run_font(run, name: str, size, *, bold: bool = False) -> None:
    """Set the font on every slot of rFonts (ascii, hAnsi, eastAsia, cs), size and weight."""
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), name)


def field_char(run, kind: str) -> None:
    """A Word field's begin, separate or end mark, appended to run."""
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run._element.append(element)


def open_field(run, instruction: str) -> None:
    """Begin a Word field (PAGE, TOC …) in run, up to its separate mark when the field shows a placeholder until Word
    updates it; field_char(run, "end") closes it, in this run or a later one."""
    field_char(run, "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    run._element.append(text)


def _paragraph_format(paragraph, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, line=LINE_SPACING):
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    fmt.first_line_indent = Pt(32) if indent else None


def _setup_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    # The page number: "— N —", 宋体 四号, centred.
    footer = section.footer.paragraphs[0]
    _paragraph_format(footer, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=None)
    set_run_font(footer.add_run("— "), PAGE_NUMBER_FONT, CAPTION_SIZE)
    run = footer.add_run()
    set_run_font(run, PAGE_NUMBER_FONT, CAPTION_SIZE)
    open_field(run, "PAGE")
    field_char(run, "end")
    set_run_font(footer.add_run(" —"), PAGE_NUMBER_FONT, CAPTION_SIZE)


# The picture formats Word (and python-docx) embed as they are; anything else is re-encoded first.
EMBEDDABLE = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass
class EmbeddablePicture:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def embeddable_picture(content: bytes) -> EmbeddablePicture:
    """The picture as JPEG or PNG bytes, which a .docx can hold: JPEG and PNG as they are, the rest (WebP, GIF…)
    re-encoded, as PNG when it has transparency, else as JPEG. Raises PIL errors for what is not a picture."""
    with Image.open(io.BytesIO(content)) as image:
        fmt = image.format
        if fmt in EMBEDDABLE:
            return EmbeddablePicture(content, EMBEDDABLE[fmt], ".jpg" if fmt == "JPEG" else ".png", *image.size)
        image.load()
        out = io.BytesIO()
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            image.convert("RGBA").save(out, "PNG")
            return EmbeddablePicture(out.getvalue(), "image/png", ".png", *image.size)
        image.convert("RGB").save(out, "JPEG", quality=88)
        return EmbeddablePicture(out.getvalue(), "image/jpeg", ".jpg", *image.size)


def _picture_size(source) -> tuple[int, int]:
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    with Image.open(source) as image:
        return image.size


def _add_picture(document, picture: DocPicture) -> None:
    source = picture.source
    if isinstance(source, str | Path):
        data = Path(source).read_bytes()
    elif isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        data = source.read()
    # Pictures stored before they were re-encoded on the way in may still be WebP, which python-docx cannot embed.
    picture = DocPicture(embeddable_picture(data).content, picture.caption)
    width_px, height_px = _picture_size(picture.source)
    width = PICTURE_MAX_WIDTH
    height = int(width * height_px / max(width_px, 1))
    if height > PICTURE_MAX_HEIGHT:
        height = PICTURE_MAX_HEIGHT
        width = int(height * width_px / max(height_px, 1))
    paragraph = document.add_paragraph()
    # A fixed line height would clip the picture: this paragraph takes the picture's height.
    _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=None)
    paragraph.paragraph_format.space_before = Pt(6)
    # The caption stays on its picture's page.
    paragraph.paragraph_format.keep_with_next = bool(picture.caption)
    source = io.BytesIO(picture.source) if isinstance(picture.source, bytes | bytearray) else picture.source
    run = paragraph.add_run()
    set_run_font(run, BODY_FONT, BODY_SIZE)
    run.add_picture(source, width=width, height=height)
    if picture.caption:
        caption = document.add_paragraph()
        _paragraph_format(caption, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        caption.paragraph_format.space_after = Pt(6)
        set_run_font(caption.add_run(picture.caption), CAPTION_FONT, CAPTION_SIZE)


class SummaryDocx:
    """Writes a SummaryDocument to .docx bytes."""

    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def __init__(self, document: SummaryDocument):
        self.source = document

    def render(self) -> bytes:
        document = Document()
        _setup_page(document)
        title = document.add_paragraph()
        _paragraph_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=TITLE_LINE_SPACING)
        title.paragraph_format.space_after = Pt(28)
        set_run_font(title.add_run(self.source.title), TITLE_FONT, TITLE_SIZE)
        pictures_done = False
        for line in self.source.lines():
            if not pictures_done and PICTURES_BEFORE.match(line):
                self._add_pictures(document)
                pictures_done = True
            paragraph = document.add_paragraph()
            _paragraph_format(paragraph)
            if HEADING1.match(line):
                set_run_font(paragraph.add_run(line), HEADING1_FONT, BODY_SIZE)
            elif HEADING2.match(line):
                # "（一）标题。正文……": the heading in 楷体, the rest of the line in 仿宋.
                head, sep, rest = line.partition("。")
                set_run_font(paragraph.add_run(head + sep), HEADING2_FONT, BODY_SIZE)
                if rest:
                    set_run_font(paragraph.add_run(rest), BODY_FONT, BODY_SIZE)
            else:
                set_run_font(paragraph.add_run(line), BODY_FONT, BODY_SIZE)
        if not pictures_done:
            self._add_pictures(document)
        self._add_signature(document)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def _add_signature(self, document) -> None:
        """落款 and 成文日期, right-aligned under the text, after one blank line."""
        lines = [self.source.sender, chinese_date(self.source.date) if self.source.date else ""]
        first = True
        for text in lines:
            if not text:
                continue
            paragraph = document.add_paragraph()
            _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            paragraph.paragraph_format.right_indent = SIGNATURE_INDENT
            if first:
                paragraph.paragraph_format.space_before = LINE_SPACING
                paragraph.paragraph_format.keep_with_next = True  # the name and its date on one page
                first = False
            set_run_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)

    def _add_pictures(self, document) -> None:
        for picture in self.source.pictures:
            _add_picture(document, picture)


def chinese_date(day: datetime.date) -> str:
    """成文日期 as GB/T 9704 writes it: "2020年7月14日" (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


# The official names mapped to open fonts (fonts.conf, read by LibreOffice through FONTCONFIG_FILE), and the open
# fonts each name should land on: the first is the intended one, a later one a fallback worth saying.
FONTS_CONF = Path(__file__).with_name("fonts.conf")
FONT_TARGETS = {
    "仿宋": (BODY_FONT, ("Noto Serif CJK SC",)),
    "小标宋": (TITLE_FONT, ("Noto Serif CJK SC",)),
    "楷体": (HEADING2_FONT, ("AR PL UKai CN", "Noto Serif CJK SC")),
    "黑体": (HEADING1_FONT, ("Noto Sans CJK SC",)),
}


def fonts_env() -> dict[str, str]:
    """The environment of the LibreOffice run: this process's, with FONTCONFIG_FILE pointing at fonts.conf."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}


def font_substitutes() -> dict[str, str]:
    """The official fonts that will not print in their intended open font, as {"楷体": "Noto Serif CJK SC"} (what
    fontconfig gives instead; "" when fc-match itself is missing). Empty when every one is as intended."""
    command = shutil.which("fc-match")
    if not command:
        return {label: "" for label in FONT_TARGETS}
    found = {}
    for label, (name, targets) in FONT_TARGETS.items():
        result = subprocess.run(
            [command, "-f", "%{family[0]}", name], capture_output=True, text=True, env=fonts_env(), timeout=30
        )
        family = result.stdout.strip()
        if family != targets[0]:
            found[label] = family
    return found


def libreoffice_path() -> str | None:
    """LibreOffice's command, when installed."""
    return shutil.which("libreoffice") or shutil.which("soffice")


def docx_to_pdf(docx_bytes: bytes, timeout: int = 120) -> bytes:
    """Convert with `libreoffice --headless --convert-to pdf`; RuntimeError when LibreOffice is missing or fails."""
    command = libreoffice_path()
    if not command:
        raise RuntimeError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "summary.docx"
        source.write_bytes(docx_bytes)
        subprocess.run(
            [
                command,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
            env=fonts_env(),  # the official font names through fonts.conf's aliases
        )
        return (Path(tmp) / "summary.pdf").read_bytes()
