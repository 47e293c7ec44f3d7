"""Delivery: what a child org sends upward lands in its receiver's inbox in the sender's transaction, and the
receiver's admins are told through the notifications app (kind 收件回执), sent once it committed."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.models import LOCAL_TZ, User
from inbox.models import InboxEntry
from notifications.models import NoticeKind
from notifications.services.deliveries import queue_notice
from reporting.models import ForwardedPackage, SummarySubmission

logger = logging.getLogger(__name__)


def deliver_package(package: ForwardedPackage) -> InboxEntry | None:
    """Put a forwarded highlight package into the inbox of the org above (None when the sender has nobody above)."""
    receiver = package.recipient or package.org.parent
    if receiver is None:
        return None
    week = package.week
    entry = InboxEntry.objects.create(
        kind=InboxEntry.Kind.PACKAGE,
        sender=package.org,
        receiver=receiver,
        week=week.parent if week.parent_id else None,
        title=_("%(org)s%(day)s亮点（第 %(number)s 批，%(count)s 条）")
        % {
            "org": package.org.name,
            "day": f"{package.day.month}月{package.day.day}日",
            "number": package.number,
            "count": len(package.payload),
        },
        package=package,
        sent_at=package.forwarded_at,
    )
    _notify(entry)
    return entry


def deliver_summary(submission: SummarySubmission) -> InboxEntry:
    """Put a submitted summary version into the inbox of the org it was submitted to."""
    summary = submission.summary
    entry = InboxEntry.objects.create(
        kind=InboxEntry.Kind.SUMMARY,
        sender=summary.org,
        receiver=submission.to_org,
        week=summary.receiving_week,
        title=_("%(org)s活动周总结（第 %(number)s 版）")
        % {"org": summary.org.name, "number": submission.version.number},
        submission=submission,
        sent_at=submission.submitted_at,
        # The summary itself goes by email to the receiver's summary mailbox: that mail is the arrival notice.
        notified_at=submission.submitted_at if submission.mailbox else None,
    )
    if not submission.mailbox:
        _notify(entry)
    return entry


def deliver_call_selection(forwarding, title: str) -> InboxEntry:
    """Put an org's selection of a call's entries (calls.models.Forwarding) into the inbox of the org above."""
    entry = InboxEntry.objects.create(
        kind=InboxEntry.Kind.CALL,
        sender=forwarding.sender,
        receiver=forwarding.receiver,
        title=title,
        forwarding=forwarding,
        sent_at=forwarding.forwarded_at,
    )
    _notify(entry)
    return entry


def _notify(entry: InboxEntry) -> None:
    """Queue the arrival notice ("收件回执") to the receiving org's admins on the org's channels, in this transaction;
    the notifications outbox sends it after commit, once."""
    queue_notice(
        entry.receiver,
        NoticeKind.RECEIPT,
        key=f"inbox:{entry.pk}",
        subject=_("【收件箱】%(title)s") % {"title": entry.title},
        body=_("%(to)s：\n\n%(sender)s于 %(at)s 报送了%(kind)s：%(title)s。\n请登录系统在“收件箱”中查看。\n")
        % {
            "to": entry.receiver.name,
            "sender": entry.sender.name,
            "at": timezone.localtime(entry.sent_at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
            "kind": entry.get_kind_display(),
            "title": entry.title,
        },
        recipients=arrival_recipients(entry) or None,
    )
    InboxEntry.objects.filter(pk=entry.pk).update(notified_at=timezone.now())


def arrival_recipients(entry: InboxEntry) -> list[str]:
    """The emails and mobiles of the receiving org's active admins (each channel keeps the kind it sends to)."""
    admins = User.objects.filter(org=entry.receiver, role=User.Role.ADMIN, is_active=True).order_by("pk")
    found = []
    for email, phone in admins.values_list("email", "phone"):
        found += [value for value in (email, phone) if value]
    return found
