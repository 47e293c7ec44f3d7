"""Exports of the inbox: a package as .docx (the summary's official layout) and .xlsx, a week's summaries as .zip.

One writer per format: the .docx through `reporting.summary.docx.SummaryDocx`, the .xlsx through `eventweek.xlsx`.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from eventweek.models import Org, Week
from eventweek.xlsx import DATE, Column, Sheet, XlsxExporter, content_disposition
from inbox.models import InboxEntry
from reporting.services.highlights import package_entries
from reporting.summary.docx import DocPicture, SummaryDocument, SummaryDocx
from reporting.summary.services.editing import render_docx

DOCX_TYPE = SummaryDocx.content_type
ZIP_TYPE = "application/zip"
NUMERALS = "一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (up to 99), for the "（一）" headings."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[ones - 1] if ones else "")


def attachment(filename: str) -> str:
    """Content-Disposition for a Chinese file name: an ASCII fallback and the RFC 5987 filename*."""
    return content_disposition(filename, fallback_stem="inbox")


def package_document(entry: InboxEntry) -> SummaryDocument:
    """The package as a document: one "（一）" heading per highlight, its facts and text, the pictures after."""
    package = entry.package
    lines, pictures = [], []
    for index, item in enumerate(package_entries(package), start=1):
        number = chinese_number(index)
        facts = [item["org_name"], item["kind"], item["mode"]]
        if item.get("place"):
            facts.append(item["place"])
        if item.get("participants") is not None:
            facts.append(_("%(n)s人参与") % {"n": item["participants"]})
        lines.append(f"（{number}）{item['title']}。{'，'.join(facts)}。")
        lines += [line for line in (item.get("description") or "").splitlines() if line.strip()]
        if item.get("comment"):
            lines.append(_("审核意见：%(comment)s") % {"comment": item["comment"]})
        for picture in item["picture_objects"]:
            pictures.append((number, item["title"], picture))
    files = {p.pk: p for p in package.pictures.all()}
    doc_pictures = []
    for number, title, picture in pictures:
        stored = files.get(picture["pk"])
        if stored is None:
            continue
        with stored.image.open("rb") as handle:
            doc_pictures.append(DocPicture(handle.read(), f"（{number}）{picture['caption'] or title}"))
    return SummaryDocument(entry.title, "\n".join(lines), doc_pictures)


def package_docx(entry: InboxEntry) -> bytes:
    """The package as .docx bytes."""
    return SummaryDocx(package_document(entry)).render()


def entry_filename(entry: InboxEntry, suffix: str) -> str:
    """The entry's Chinese file name with the suffix."""
    return f"{entry.title}.{suffix}".replace("/", "-")


class PackageExporter(XlsxExporter):
    """A package's highlights, one row each, as frozen at forwarding."""

    columns = [
        Column("序号", 6),
        Column("单位", 16),
        Column("日期", 12, DATE),
        Column("活动名称", 30),
        Column("活动类型", 12),
        Column("形式", 8),
        Column("地点", 20),
        Column("参与人数", 10),
        Column("活动内容", 60),
        Column("审核意见", 30),
        Column("图片数", 8),
    ]

    def __init__(self, entry: InboxEntry):
        self.entry = entry
        self.filename = entry_filename(entry, "xlsx")

    def sheets(self) -> Iterator[Sheet]:
        yield Sheet(title="亮点", columns=self.columns, rows=self.rows(), heading=self.entry.title)

    def rows(self) -> Iterator[list]:
        for index, item in enumerate(package_entries(self.entry.package), start=1):
            yield [
                index,
                item["org_name"],
                datetime.date.fromisoformat(item["day"]),  # a real date, not text
                item["title"],
                item["kind"],
                item["mode"],
                item.get("place", ""),
                item.get("participants"),
                item.get("description", ""),
                item.get("comment", ""),
                len(item["picture_objects"]),
            ]


def summary_docx(entry: InboxEntry) -> bytes:
    """The submitted summary version as .docx bytes."""
    submission = entry.submission
    return render_docx(submission.summary, submission.version)


def latest_summaries(org: Org, week: Week) -> list[InboxEntry]:
    """The latest summary entry of each sender received by the org for the week, in sender order."""
    entries = (
        InboxEntry.objects.filter(receiver=org, week=week, kind=InboxEntry.Kind.SUMMARY)
        .select_related("sender", "submission__summary__org", "submission__summary__week", "submission__version")
        .order_by("sender__path", "-sent_at", "-pk")
    )
    latest = {}
    for entry in entries:
        latest.setdefault(entry.sender_id, entry)
    return list(latest.values())


def summaries_zip(org: Org, week: Week) -> bytes:
    """Every sender's latest summary of the week as one .zip of .docx files named by org (UTF-8 names)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in latest_summaries(org, week):
            # zipfile sets the UTF-8 flag for non-ASCII names, so Chinese names open right everywhere.
            archive.writestr(f"{entry.sender.name}.docx".replace("/", "-"), summary_docx(entry))
    return out.getvalue()


def summaries_zip_filename(org: Org, week: Week) -> str:
    """The Chinese name of the week's .zip of summaries received by the org."""
    return f"{org.name}收到的{week.title}总结.zip".replace("/", "-")
