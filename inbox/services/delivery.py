"""Delivery: what a child org sends upward lands in its receiver's inbox in the sender's transaction, and the
receiver's admins are told by email once it committed."""

import datetime
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.models import LOCAL_TZ, User
from inbox.models import InboxEntry
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
    _notify_after_commit(entry.pk)
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
        _notify_after_commit(entry.pk)
    return entry


def _notify_after_commit(entry_id: int) -> None:
    def enqueue():
        from django_q.tasks import async_task

        async_task("inbox.tasks.notify_arrival_task", entry_id, task_name=f"inbox-arrival-{entry_id}")

    transaction.on_commit(enqueue)


def arrival_recipients(entry: InboxEntry) -> list[str]:
    """The email addresses of the receiving org's active admins."""
    return sorted(
        set(
            User.objects.filter(org=entry.receiver, role=User.Role.ADMIN, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def notify_arrival(entry_id: int, now: datetime.datetime | None = None) -> bool:
    """Email the receiving org's admins about a new entry; the conditional update claims it, so it goes once."""
    now = now or timezone.now()
    claimed = InboxEntry.objects.filter(pk=entry_id, notified_at__isnull=True).update(notified_at=now)
    if claimed != 1:
        return False
    entry = InboxEntry.objects.select_related("sender", "receiver").get(pk=entry_id)
    recipients = arrival_recipients(entry)
    if not recipients:
        return False
    try:
        _send_arrival(entry, recipients)
    except Exception:
        # Unclaim, so the next try sends it: an arrival notice is never dropped by a mail server's hiccup.
        InboxEntry.objects.filter(pk=entry_id).update(notified_at=None)
        raise
    return True


def _send_arrival(entry: InboxEntry, recipients: list[str]) -> None:
    send_mail(
        subject=_("【收件箱】%(title)s") % {"title": entry.title},
        message=_("%(to)s：\n\n%(sender)s于 %(at)s 报送了%(kind)s：%(title)s。\n请登录系统在“收件箱”中查看。\n")
        % {
            "to": entry.receiver.name,
            "sender": entry.sender.name,
            "at": timezone.localtime(entry.sent_at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
            "kind": entry.get_kind_display(),
            "title": entry.title,
        },
        from_email=None,
        recipient_list=recipients,
    )
