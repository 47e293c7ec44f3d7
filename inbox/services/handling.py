"""Handling the inbox: listing with filters, marking read on opening, adopting, answering the sender."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.dates import cn_datetime
from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Org, User
from inbox.models import InboxEntry
from inbox.services.access import can_handle, entries_of

COMMENT_MAX = 2000


@dataclass
class InboxFilter:
    """The list's filters, each optional: a sender org code, a kind, a status, a local day range."""

    sender: str = ""
    kind: str = ""
    status: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def list_entries(org: Org, filters: InboxFilter | None = None) -> list[InboxEntry]:
    """The org's entries, newest first, narrowed by the filters."""
    filters = filters or InboxFilter()
    qs = entries_of(org)
    if filters.sender:
        qs = qs.filter(sender__code=filters.sender)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status == InboxEntry.Status.UNREAD:
        qs = qs.filter(read_at__isnull=True, adopted_at__isnull=True)
    elif filters.status == InboxEntry.Status.READ:
        qs = qs.filter(read_at__isnull=False, adopted_at__isnull=True)
    elif filters.status == InboxEntry.Status.ADOPTED:
        qs = qs.filter(adopted_at__isnull=False)
    if filters.since:
        qs = qs.filter(sent_at__gte=_local_midnight(filters.since))
    if filters.until:
        qs = qs.filter(sent_at__lt=_local_midnight(filters.until + datetime.timedelta(days=1)))
    return list(qs.order_by("-sent_at", "-pk"))


def senders_of(org: Org) -> list[Org]:
    """The orgs that sent anything to the org, for the sender filter."""
    return list(Org.objects.filter(pk__in=entries_of(org).values("sender")).order_by("path"))


def unread_count(user: User) -> int:
    """How many entries of the user's own org nobody has read yet (for the workbench link)."""
    if not user.org_id:
        return 0
    return InboxEntry.objects.filter(receiver=user.org_id, read_at__isnull=True, adopted_at__isnull=True).count()


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=LOCAL_TZ)


def mark_read(entry: InboxEntry, user: User, now: datetime.datetime | None = None) -> bool:
    """Mark the entry read when its receiver's handler opens it (a look from above leaves it unread); True if now."""
    if entry.read_at or not can_handle(user, entry):
        return False
    now = now or timezone.now()
    changed = InboxEntry.objects.filter(pk=entry.pk, read_at__isnull=True).update(read_at=now, read_by=user)
    if changed:
        entry.read_at, entry.read_by = now, user
    return bool(changed)


@transaction.atomic
def adopt_entry(entry: InboxEntry, user: User, now: datetime.datetime | None = None) -> InboxEntry:
    """Adopt the entry (e.g. for the national website's column); adopting also reads it. Once only."""
    now = now or timezone.now()
    entry = InboxEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.adopted_at:
        raise DomainError(_("该收件已于 %(at)s 采用。") % {"at": cn_datetime(entry.adopted_at)})
    entry.adopted_at, entry.adopted_by = now, user
    if not entry.read_at:
        entry.read_at, entry.read_by = now, user
    entry.save(update_fields=["adopted_at", "adopted_by", "read_at", "read_by"])
    _log(user, actions.INBOX_ADOPT, entry, before={"adopted": False}, after={"adopted": True})
    return entry


@transaction.atomic
def comment_entry(entry: InboxEntry, user: User, text: str, now: datetime.datetime | None = None) -> InboxEntry:
    """Write (or rewrite) the comment back to the sender; answering also reads the entry."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("回复意见：请填写回复内容。"))
    if len(text) > COMMENT_MAX:
        raise DomainError(_("回复意见：不能超过 %(max)s 字。") % {"max": COMMENT_MAX})
    now = now or timezone.now()
    entry = InboxEntry.objects.select_for_update().get(pk=entry.pk)
    before = {"comment": entry.comment}
    entry.comment, entry.comment_at, entry.comment_by = text, now, user
    if not entry.read_at:
        entry.read_at, entry.read_by = now, user
    entry.save(update_fields=["comment", "comment_at", "comment_by", "read_at", "read_by"])
    _log(user, actions.INBOX_COMMENT, entry, before=before, after={"comment": text})
    return entry


def _log(user, action, entry, *, before, after) -> None:
    """Record the action in the audit log, in this transaction, visible to the receiver's subtree."""
    log_action(user, action, entry, org=entry.receiver, before=before, after=after)
