"""The entries as .docx in the official layout (reporting.summary.docx, the one .docx writer): one entry, the
collection (案例汇编/征文汇编) with a table of contents, and award certificates; PDF through LibreOffice."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from calls.models import CASE_SECTIONS, Call, Entry
from eventweek.models import LOCAL_TZ, Org
from reporting.summary.docx import (
    BODY_FONT,
    BODY_SIZE,
    HEADING1_FONT,
    TITLE_FONT,
    TITLE_LINE_SPACING,
    TITLE_SIZE,
    DocPicture,
    SummaryDocument,
    SummaryDocx,
    _add_picture,
    _paragraph_format,
    _setup_page,
    field_char,
    open_field,
    set_run_font,
)

CONTENT_TYPE = SummaryDocx.content_type


def entry_lines(entry: Entry) -> list[str]:
    """The entry's text in the template's order (attachment 2), one paragraph a line."""
    lines = []
    if entry.kind == Entry.Kind.CASE:
        lines += [
            _("单位名称：%(v)s") % {"v": entry.sender_name},
            _("主题：%(v)s") % {"v": entry.theme},
            _("方向：%(v)s") % {"v": entry.direction},
            _("摘要：%(v)s") % {"v": entry.abstract},
            _("关键词：%(v)s") % {"v": entry.keywords},
        ]
        for field, label in CASE_SECTIONS:
            lines.append(label)
            lines += [line for line in getattr(entry, field).splitlines() if line.strip()]
    else:
        lines += [line for line in entry.body.splitlines() if line.strip()]
        # The essay's last page names every author, with unit and contact.
        lines.append(_("作者信息"))
        for author in entry.authors:
            lines.append(
                _("%(name)s，%(unit)s，%(contact)s")
                % {"name": author["name"], "unit": author["unit"], "contact": author["contact"]}
            )
    return lines


def _pictures(entry: Entry) -> list[DocPicture]:
    return [DocPicture(bytes(p.content), p.caption) for p in entry.pictures.all()]


def entry_docx(entry: Entry) -> bytes:
    """One entry as .docx in the official layout."""
    document = SummaryDocument(
        title=entry.title, body="\n".join(entry_lines(entry)), pictures=_pictures(entry), sender=entry.sender_name
    )
    return SummaryDocx(document).render()


def _toc_field(document) -> None:
    """A Word TOC field over Heading 1 (updated on opening in Word; LibreOffice fills it on conversion)."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    open_field(run, 'TOC \\o "1-1" \\h \\z \\u')
    field_char(run, "separate")
    set_run_font(paragraph.add_run(_("（在 Word 中右键“更新域”显示页码）")), BODY_FONT, BODY_SIZE)
    field_char(paragraph.add_run(), "end")
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def collection_title(call: Call, kind: str) -> str:
    return call.title + (_("案例汇编") if kind == Entry.Kind.CASE else _("征文汇编"))


def collection_docx(call: Call, entries: list[Entry], title: str) -> bytes:
    """The selected entries as one .docx: title, a TOC field and the written list of titles, then each entry."""
    document = Document()
    _setup_page(document)
    head = document.add_paragraph()
    _paragraph_format(head, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=TITLE_LINE_SPACING)
    set_run_font(head.add_run(title), TITLE_FONT, TITLE_SIZE)
    contents = document.add_paragraph()
    _paragraph_format(contents, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    set_run_font(contents.add_run(_("目录")), HEADING1_FONT, BODY_SIZE)
    _toc_field(document)
    for number, entry in enumerate(entries, start=1):
        line = document.add_paragraph()
        _paragraph_format(line, indent=False)
        set_run_font(line.add_run(f"{number}. {entry.title}（{entry.sender_name}）"), BODY_FONT, BODY_SIZE)
    for entry in entries:
        document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        heading = document.add_paragraph(style="Heading 1")
        _paragraph_format(heading, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=TITLE_LINE_SPACING)
        set_run_font(heading.add_run(entry.title), TITLE_FONT, TITLE_SIZE)
        for text in entry_lines(entry):
            paragraph = document.add_paragraph()
            _paragraph_format(paragraph)
            font = HEADING1_FONT if any(text == label for _field, label in CASE_SECTIONS) else BODY_FONT
            set_run_font(paragraph.add_run(text), font, BODY_SIZE)
        for picture in _pictures(entry):
            _add_picture(document, picture)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def certificate_docx(entry: Entry, adopted_by: Org, day=None) -> bytes:
    """The award certificate (奖励证书) of an adopted entry: the org, the title, the authors, the date."""
    day = day or timezone.localtime(timezone.now(), LOCAL_TZ).date()
    authors = "、".join(author["name"] for author in entry.authors)
    lines = [
        _("%(org)s：") % {"org": entry.sender_name + (f"（{authors}）" if authors else "")},
        _("你单位报送的%(kind)s《%(title)s》在%(call)s中被%(adopter)s采用，特发此证，以资鼓励。")
        % {
            "kind": entry.get_kind_display(),
            "title": entry.title,
            "call": entry.call.title,
            "adopter": adopted_by.name,
        },
    ]
    document = SummaryDocument(title=_("奖励证书"), body="\n".join(lines), sender=entry.call.org.name, date=day)
    return SummaryDocx(document).render()
