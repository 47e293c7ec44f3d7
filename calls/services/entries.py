"""Filing entries: started by a unit or an outsider, saved as versions (optimistic check), limits counted by Word's
字 rule, submitted on time or late, pictures checked by content."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import CASE_SECTIONS, Call, Entry, EntryPicture, EntryVersion
from eventweek.deadlines import DeadlineStatus
from eventweek.errors import DomainError
from eventweek.models import Org
from reporting.pictures import check_picture
from reporting.summary.wordcount import count_chars

TEXT_FIELDS = ["title", "unit_name", "theme", "direction", "abstract", "keywords", "body"] + [
    field for field, _label in CASE_SECTIONS
]
TITLED = (Org.Category.DEMONSTRATION, Org.Category.THRIFTY)


@dataclass
class Limit:
    """One limit of the template: what it counts, the count, the limit and the excess (0 when within)."""

    name: str
    label: str
    count: int
    limit: int

    @property
    def excess(self) -> int:
        return max(0, self.count - self.limit)

    @property
    def over(self) -> bool:
        return self.excess > 0


def limits_of(entry: Entry) -> list[Limit]:
    """The entry's body and abstract against the call's limits, counted as Word counts 字."""
    return [
        Limit("body", _("正文"), count_chars(entry.body_text()), entry.call.body_limit),
        Limit("abstract", _("摘要"), count_chars(entry.abstract), entry.call.abstract_limit),
    ]


def check_case_title(call: Call, org: Org | None) -> None:
    """Cases come only from units holding the demonstration or 节约型机关 title."""
    if org is None or org.category not in TITLED:
        raise DomainError(
            _("“%(org)s”没有“节约型公共机构示范单位”或“节约型机关”称号，不能报送案例，可以报送征文。")
            % {"org": org.name if org else _("个人")}
        )


@transaction.atomic
def start_entry(call: Call, kind: str, *, org: Org | None = None, phone: str = "", user=None) -> Entry:
    """A new draft entry of the call, from a unit (org) or an outsider (phone, essays only)."""
    if kind == Entry.Kind.CASE:
        if not call.accepts_cases:
            raise DomainError(_("本次征集不征集案例。"))
        check_case_title(call, org)
    elif not call.accepts_essays:
        raise DomainError(_("本次征集不征集征文。"))
    entry = Entry.objects.create(
        call=call, kind=kind, org=org, phone=phone, title=_("（未命名）"), unit_name=org.name if org else ""
    )
    _snapshot(entry, user)
    return entry


def _content(entry: Entry) -> dict:
    content = {field: getattr(entry, field) for field in TEXT_FIELDS}
    content["authors"] = entry.authors
    content["pictures"] = [{"id": p.pk, "caption": p.caption} for p in entry.pictures.all()]
    return content


def _snapshot(entry: Entry, user) -> EntryVersion:
    entry.version += 1
    entry.save(update_fields=["version", "updated_at"])
    return EntryVersion.objects.create(entry=entry, number=entry.version, content=_content(entry), saved_by=user)


def clean_authors(rows: list[dict]) -> list[dict]:
    """The essay's authors, each with name, unit and contact (ValidationError naming the row and field)."""
    authors = []
    for number, row in enumerate(rows, start=1):
        row = {key: (row.get(key) or "").strip() for key in ("name", "unit", "contact")}
        if not any(row.values()):
            continue
        for key, label in (("name", _("姓名")), ("unit", _("所在单位")), ("contact", _("联系方式"))):
            if not row[key]:
                raise ValidationError(
                    {"authors": _("第 %(n)s 位作者：请填写%(label)s。") % {"n": number, "label": label}}
                )
        authors.append(row)
    return authors


@transaction.atomic
def save_entry(entry: Entry, data: dict, *, user=None, expected_version: int | None = None) -> EntryVersion:
    """Save the posted text as a new version (over a limit too: it stays a draft); a save based on an older version
    than the latest is refused with a DomainError and changes nothing."""
    entry = Entry.objects.select_for_update().select_related("call").get(pk=entry.pk)
    if expected_version is not None and entry.version != expected_version:
        raise DomainError(
            _(
                "这份作品已在别处修改并保存（现为第 %(current)s 版，您编辑的是第 %(mine)s 版）。为避免覆盖，"
                "您的修改没有保存，文字仍保留在下面：请另开窗口查看最新内容，合并后再保存。"
            )
            % {"current": entry.version, "mine": expected_version}
        )
    theme, direction = data.get("theme", entry.theme), data.get("direction", entry.direction)
    if entry.kind == Entry.Kind.CASE and (theme or direction):
        check_direction(entry.call, theme, direction)
    for field in TEXT_FIELDS:
        if field in data:
            setattr(entry, field, (data[field] or "").strip())
    if "authors" in data:
        entry.authors = clean_authors(data["authors"])
    for pk, caption in (data.get("captions") or {}).items():
        entry.pictures.filter(pk=pk).update(caption=caption.strip()[:200])
    entry.save()
    return _snapshot(entry, user)


def check_direction(call: Call, theme: str, direction: str) -> None:
    """The theme is the call's and the direction belongs to it."""
    names = [item["name"] for item in call.themes]
    if theme not in names:
        raise ValidationError({"theme": _("主题“%(theme)s”不在本次征集的主题中。") % {"theme": theme}})
    if direction not in call.directions_of(theme):
        raise ValidationError(
            {
                "direction": _("方向“%(direction)s”不属于主题“%(theme)s”，可选：%(choices)s。")
                % {"direction": direction, "theme": theme, "choices": "、".join(call.directions_of(theme))}
            }
        )


def submission_problems(entry: Entry) -> list[str]:
    """Why the entry cannot be submitted yet (empty when it can)."""
    problems = [
        _("%(label)s %(count)s 字，超出上限 %(limit)s 字 %(excess)s 字。")
        % {"label": limit.label, "count": limit.count, "limit": limit.limit, "excess": limit.excess}
        for limit in limits_of(entry)
        if limit.over
    ]
    if not entry.title or entry.title == _("（未命名）"):
        problems.append(_("请填写标题。"))
    if entry.kind == Entry.Kind.CASE:
        for field, label in [("theme", _("主题")), ("direction", _("方向")), ("abstract", _("摘要"))] + list(
            CASE_SECTIONS
        ):
            if not getattr(entry, field).strip():
                problems.append(_("请填写“%(label)s”。") % {"label": label})
    else:
        if not entry.body.strip():
            problems.append(_("请填写正文。"))
        if not entry.authors:
            problems.append(_("请填写作者（姓名、所在单位、联系方式）。"))
    return problems


@transaction.atomic
def submit_entry(entry: Entry, *, user=None) -> Entry:
    """Submit the entry: refused while over a limit or incomplete; after the deadline accepted and marked late."""
    entry = Entry.objects.select_for_update().select_related("call").get(pk=entry.pk)
    problems = submission_problems(entry)
    if problems:
        raise DomainError(_("不能提交：") + " ".join(problems))
    now = timezone.now()
    entry.state = Entry.State.SUBMITTED
    entry.submitted_at = now
    entry.deadline_status = DeadlineStatus.LATE if now > entry.call.deadline else DeadlineStatus.ON_TIME
    entry.save(update_fields=["state", "submitted_at", "deadline_status", "updated_at"])
    return entry


@transaction.atomic
def add_picture(entry: Entry, upload, caption: str = "", *, user=None) -> EntryPicture:
    """A picture checked by content (not an image: refused), stored re-encoded with its caption."""
    try:
        checked = check_picture(upload, caption)
    except ValidationError as error:
        raise ValidationError({"picture": error.messages}) from None
    order = entry.pictures.count() + 1
    picture = EntryPicture.objects.create(
        entry=entry,
        content=checked.content,
        content_type=checked.content_type,
        caption=caption.strip()[:200],
        sort_order=order,
    )
    _snapshot(entry, user)
    return picture
