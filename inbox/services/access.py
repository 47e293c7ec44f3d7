"""Inbox access: whose inbox a user may open and which entries they may see or handle.

An inbox shows the entries addressed to its org. A user opens their own org's inbox, and an admin or reviewer above
may look into a descendant's (read-only); a sibling's never. Missing and invisible both raise `NotFound`; a user who
may see an entry but not handle it gets `Forbidden` with the reason in Chinese.
"""

from django.utils.translation import gettext as _

from eventweek.errors import Forbidden, NotFound
from eventweek.models import Org, User
from inbox.models import InboxEntry


def get_inbox_org_for_user(user: User, code: str | None = None) -> Org:
    """The org whose inbox the user opens: their own by default, or a descendant's by code; NotFound otherwise."""
    if code is None:
        if user.org_id is None:
            raise NotFound(_("您的账号没有所属单位，没有收件箱。"))
        return user.org
    org = Org.objects.filter(code=code).first()
    if org is None or not user.can_see_org(org):
        raise NotFound(_("没有找到该单位的收件箱。"))
    return org


def entries_of(org: Org):
    """The entries addressed to the org (a queryset, newest first), senders and sources loaded."""
    return InboxEntry.objects.filter(receiver=org).select_related(
        "sender", "receiver", "week", "package", "submission__version", "read_by", "adopted_by", "comment_by"
    )


def get_entry_for_user(user: User, pk: int) -> InboxEntry:
    """An entry addressed to the user's org or one below it; NotFound for everybody else."""
    entry = entries_of_any().filter(pk=pk).first()
    if entry is None or not user.can_see_org(entry.receiver):
        raise NotFound(_("没有找到该收件。"))
    return entry


def entries_of_any():
    """Every entry with what its pages show loaded (callers narrow it to what the user may see)."""
    return InboxEntry.objects.select_related(
        "sender",
        "receiver",
        "week",
        "package__week",
        "submission__version",
        "submission__summary__week",
        "submission__summary__org",
        "read_by",
        "adopted_by",
        "comment_by",
    )


def handling_refusal(user: User, entry: InboxEntry) -> str:
    """Why the user may see the entry but not mark, adopt or answer it ("" when they may)."""
    if user.is_superuser:
        return ""
    if user.org_id != entry.receiver_id:
        return _("该收件由%(org)s处理；您可以查看，但不能采用或回复。") % {"org": entry.receiver.name}
    if user.role not in (User.Role.REVIEWER, User.Role.ADMIN):
        return _("采用和回复由本单位的审核员或管理员负责；报送员可以查看，但不能采用或回复。")
    return ""


def can_handle(user: User, entry: InboxEntry) -> bool:
    """Whether the user may mark, adopt and answer the entry."""
    return not handling_refusal(user, entry)


def get_entry_to_handle(user: User, pk: int) -> InboxEntry:
    """An entry the user may adopt or answer; NotFound when invisible, Forbidden when only visible."""
    entry = get_entry_for_user(user, pk)
    refusal = handling_refusal(user, entry)
    if refusal:
        raise Forbidden(refusal)
    return entry


def get_entry_picture_for_user(user: User, pk: int, picture_pk: int):
    """A picture frozen into the entry's package, for a user who may see the entry; NotFound otherwise."""
    entry = get_entry_for_user(user, pk)
    picture = entry.package.pictures.filter(pk=picture_pk).first() if entry.package_id else None
    if picture is None:
        raise NotFound(_("没有找到该图片。"))
    return picture


def open_entry_picture_for_user(user: User, pk: int, picture_pk: int, thumbnail: bool):
    """The picture's file opened for reading and its content type; NotFound otherwise."""
    picture = get_entry_picture_for_user(user, pk, picture_pk)
    file = picture.thumbnail if thumbnail else picture.image
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(_("没有找到该图片。")) from exc
    return handle, "image/jpeg" if thumbnail else picture.content_type


def received_weeks(org: Org) -> list:
    """The weeks for which the org received summaries, newest first (for the .zip links)."""
    from eventweek.models import Week

    ids = InboxEntry.objects.filter(receiver=org, kind=InboxEntry.Kind.SUMMARY).values("week")
    return list(Week.objects.filter(pk__in=ids).order_by("-start_date", "slug"))


def get_received_week(org: Org, slug: str):
    """A week for which the org received summaries; NotFound otherwise."""
    week = next((w for w in received_weeks(org) if w.slug == slug), None)
    if week is None:
        raise NotFound(_("没有找到该活动周收到的总结。"))
    return week
