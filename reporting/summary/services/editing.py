"""Writing a summary: the first draft, saving versions (with the optimistic version check), pictures, restoring."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Org, Week
from reporting.models.summaries import Summary, SummaryPicture, SummarySubmission, SummaryVersion
from reporting.summary.docx import DocPicture, SummaryDocument, SummaryDocx, embeddable_picture
from reporting.summary.draft.facts import picture_caption
from reporting.summary.draft.prose import compile_draft
from reporting.summary.wordcount import count_document

# -- the document --------------------------------------------------------------------------------------------------


def document_for(summary: Summary, version: SummaryVersion | None = None) -> SummaryDocument:
    """What the exported document holds, for the current state or a saved version."""
    if version is None:
        pictures = list(summary.pictures.current())
        return SummaryDocument(
            summary.title,
            summary.body,
            [DocPicture(_picture_bytes(p), p.caption) for p in pictures],
            sender=summary.org.name,
            date=timezone.localtime(summary.updated_at, LOCAL_TZ).date(),
        )
    # Removed pictures included: a version holds the pictures it was saved with.
    by_id = {p.pk: p for p in summary.pictures.all()}
    kept = [(by_id[item["id"]], item.get("caption", "")) for item in version.pictures if item["id"] in by_id]
    return SummaryDocument(
        version.title,
        version.body,
        [DocPicture(_picture_bytes(p), c) for p, c in kept],
        sender=summary.org.name,
        date=timezone.localtime(version.saved_at, LOCAL_TZ).date(),  # 成文日期: when this text was written
    )


def _picture_bytes(picture: SummaryPicture) -> bytes:
    with picture.image.open("rb") as handle:
        return handle.read()


def render_docx(summary: Summary, version: SummaryVersion | None = None) -> bytes:
    """The .docx of the summary's current text, or of a saved version."""
    return SummaryDocx(document_for(summary, version)).render()


def docx_filename(summary: Summary) -> str:
    """The Chinese file name of the summary's document."""
    return f"{summary.org.name}{summary.week.title}总结.docx".replace("/", "-")


# -- versions ------------------------------------------------------------------------------------------------------


def _recount(summary: Summary) -> int:
    captions = list(summary.pictures.current().values_list("caption", flat=True))
    summary.char_count = count_document(summary.title, summary.body, captions)
    return summary.char_count


def _version_content(summary: Summary) -> tuple[str, str, list[dict]]:
    pictures = [{"id": p.pk, "caption": p.caption} for p in summary.pictures.current()]
    return summary.title, summary.body, pictures


def _posted_content(summary: Summary, title: str, body: str, captions: dict, drop) -> tuple[str, str, list[dict]]:
    """What saving this post would make of the summary, as _version_content gives it, without writing anything."""
    pictures = [
        {"id": p.pk, "caption": captions[p.pk].strip()[:200] if p.pk in captions else p.caption}
        for p in summary.pictures.current()
        if p.pk not in drop
    ]
    return title.strip(), body.strip(), pictures


def same_content(a: SummaryVersion, b: SummaryVersion) -> bool:
    """True when two versions hold the same title, text and pictures."""
    return (a.title, a.body, a.pictures) == (b.title, b.body, b.pictures)


def _snapshot(summary: Summary, user, note: str) -> SummaryVersion:
    title, body, pictures = _version_content(summary)
    summary.version += 1
    summary.updated_by = user
    summary.save()
    return SummaryVersion.objects.create(
        summary=summary,
        number=summary.version,
        title=title,
        body=body,
        pictures=pictures,
        char_count=summary.char_count,
        note=note,
        saved_by=user,
    )


@transaction.atomic
def start_summary(week: Week, org: Org, user=None) -> Summary:
    """The org's summary of the week, created with a compiled draft (version 1) the first time."""
    summary = Summary.objects.filter(week=week, org=org).first()
    if summary is not None:
        return summary
    draft = compile_draft(week, org)
    try:
        with transaction.atomic():
            summary = Summary.objects.create(week=week, org=org, title=draft.title, body=draft.body, updated_by=user)
    except IntegrityError:  # created meanwhile by a second request
        return Summary.objects.get(week=week, org=org)
    for order, candidate in enumerate(draft.pictures):
        _add_picture(summary, candidate.content, candidate.caption, order, candidate.source)
    _recount(summary)
    _snapshot(summary, user, _("系统生成初稿"))
    return summary


def _add_picture(summary: Summary, content: bytes, caption: str, order: int, source: str = "") -> SummaryPicture:
    """Store a picture as JPEG or PNG (a WebP daily-report picture is re-encoded: a .docx cannot hold WebP)."""
    ready = embeddable_picture(content)
    picture = SummaryPicture(
        summary=summary,
        caption=caption[:200],
        sort_order=order,
        source=source[:100],
        width=ready.width,
        height=ready.height,
        content_type=ready.content_type,
    )
    name = hashlib.sha1(ready.content).hexdigest()[:16]
    picture.image.save(f"{name}{ready.extension}", ContentFile(ready.content), save=False)
    picture.save()
    return picture


@dataclass
class NewPicture:
    content: bytes
    caption: str
    source: str = ""


@transaction.atomic
def save_summary(
    summary: Summary,
    *,
    title: str,
    body: str,
    captions: dict[int, str] | None = None,
    drop: set[int] | frozenset = frozenset(),
    add: list[NewPicture] | tuple = (),
    user=None,
    note: str = "",
    expected_version: int | None = None,
) -> SummaryVersion:
    """Save the office's text and pictures as a new version (over the limit too: it stays a draft).

    A removed picture is only marked removed, so the versions holding it (submitted ones above all) keep it. Saving
    what the latest version already holds makes no new version and returns that one (a double click, a refused
    submit, a save without changes). With expected_version (the version the editor was opened on), a save based on
    an older version is refused with a DomainError and changes nothing: nobody overwrites a colleague unseen.
    The returned version's `created` says whether this call made it.
    """
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    latest = summary.versions.order_by("-number").first()
    if expected_version is not None and summary.version != expected_version:
        posted = _posted_content(summary, title, body, captions or {}, drop)
        if latest is not None and not add and (latest.title, latest.body, latest.pictures) == posted:
            latest.created = False
            return latest  # the same as what is saved (a second click of one form): nothing is overwritten
        raise DomainError(
            _(
                "这份总结已被他人修改并保存（现为第 %(current)s 版，您编辑的是第 %(mine)s 版）。为避免覆盖，"
                "您的修改没有保存，文字仍保留在下面：请另开窗口查看最新内容，合并后再保存。"
            )
            % {"current": summary.version, "mine": expected_version}
        )
    summary.title, summary.body = title.strip(), body.strip()
    now = timezone.now()
    pictures = list(summary.pictures.current())
    for picture in pictures:
        if picture.pk in drop:
            picture.removed_at = now
            picture.save(update_fields=["removed_at"])
        elif captions and picture.pk in captions and captions[picture.pk] != picture.caption:
            picture.caption = captions[picture.pk].strip()[:200]
            picture.save(update_fields=["caption"])
    order = max([p.sort_order for p in pictures] + [0]) + 1
    for offset, new in enumerate(add):
        _add_picture(summary, new.content, new.caption.strip(), order + offset, new.source)
    _recount(summary)
    if latest is not None and not add and (latest.title, latest.body, latest.pictures) == _version_content(summary):
        latest.created = False
        return latest  # nothing to save: the same text and pictures as the latest version
    version = _snapshot(summary, user, note or _("保存"))
    version.created = True
    return version


def changed_since(summary: Summary, submission: SummarySubmission | None) -> bool:
    """True when the summary's latest version differs from what the submission sent (a draft to send again)."""
    if submission is None:
        return False
    latest = summary.versions.order_by("-number").first()
    return latest is not None and not same_content(latest, submission.version)


@transaction.atomic
def restore_version(summary: Summary, number: int, user=None) -> SummaryVersion:
    """Bring back an earlier version's text and captions as a new version."""
    version = SummaryVersion.objects.get(summary=summary, number=number)
    captions = {item["id"]: item.get("caption", "") for item in version.pictures}
    # The version's pictures removed since come back.
    summary.pictures.filter(pk__in=captions, removed_at__isnull=False).update(removed_at=None)
    current = set(summary.pictures.current().values_list("pk", flat=True))
    return save_summary(
        summary,
        title=version.title,
        body=version.body,
        captions=captions,
        drop=current - set(captions),
        user=user,
        note=_("恢复第 %(number)s 版") % {"number": number},
    )


# -- pictures ------------------------------------------------------------------------------------------------------


def picture_candidates(summary: Summary) -> list[dict]:
    """The highlights' pictures in the org's subtree not chosen yet: {key, caption, source, picture}."""
    from reporting.services.highlights import highlights_for

    chosen = set(summary.pictures.current().values_list("source", flat=True))
    out = []
    for highlight in highlights_for(summary.week, summary.org):
        for picture in highlight.pictures.all():
            source = f"亮点图片 {picture.pk}"
            if picture.removed or source in chosen:
                continue
            caption = picture_caption(highlight, picture)
            out.append({"key": f"rp{picture.pk}", "caption": caption[:200], "source": source, "picture": picture})
    return out


def read_candidate(candidates: list[dict], key: str) -> bytes:
    """The bytes of the candidate picture chosen by its key."""
    picture = next(c["picture"] for c in candidates if c["key"] == key)
    with picture.image.open("rb") as handle:
        return handle.read()


def picture_content_type(picture: SummaryPicture, handle=None) -> str:
    """The picture's MIME type as found in its bytes when stored; for older rows, read from the bytes now."""
    if picture.content_type:
        return picture.content_type
    from PIL import Image, UnidentifiedImageError

    try:
        if handle is None:
            with picture.image.open("rb") as own, Image.open(own) as image:
                fmt = image.format
        else:
            position = handle.tell()
            with Image.open(handle) as image:
                fmt = image.format
            handle.seek(position)
    except (OSError, UnidentifiedImageError):
        return "application/octet-stream"
    return Image.MIME.get(fmt, "application/octet-stream")
