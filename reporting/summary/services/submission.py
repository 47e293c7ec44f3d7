"""Submitting a summary upward (and again after changes), and sending the email that carries its docx."""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.campaigns import period_word
from eventweek.dates import cn_datetime
from eventweek.errors import DomainError
from eventweek.outbox import claimable, deliver
from inbox.services.delivery import deliver_summary
from reporting.models.summaries import Summary, SummarySubmission
from reporting.summary.docx import SummaryDocx
from reporting.summary.services.editing import docx_filename, render_docx, same_content

logger = logging.getLogger(__name__)


@transaction.atomic
def submit_summary(summary: Summary, user=None, now: datetime.datetime | None = None) -> SummarySubmission:
    """Submit the latest saved version to the org above; late after the deadline; the email goes after commit."""
    now = now or timezone.now()
    summary = (
        Summary.objects.select_for_update(of=("self",))
        .select_related("week__parent__organizer", "org")
        .get(pk=summary.pk)
    )
    if summary.is_over_limit:
        raise DomainError(
            _("总结共 %(count)s 字，超过上限 %(limit)s 字（超出 %(excess)s 字），已保存为草稿，删减后才能报送。")
            % {"count": summary.char_count, "limit": summary.char_limit, "excess": summary.excess}
        )
    receiving = summary.receiving_week
    if receiving is None:
        raise DomainError(_("本单位没有上级单位，无需报送总结。"))
    version = summary.versions.order_by("-number").first()
    if version is None:
        raise DomainError(_("请先保存总结再报送。"))
    last = summary.submissions.select_related("version").order_by("-submitted_at", "-pk").first()
    if last is not None and same_content(last.version, version):
        raise DomainError(
            _("第 %(number)s 版已于 %(at)s 报送，内容没有修改，无需重复报送。")
            % {
                "number": last.version.number,
                "at": cn_datetime(last.submitted_at),
            }
        )
    mailbox = receiving.summary_mailbox_for(summary.org)
    due = receiving.summary_due_at
    submission = SummarySubmission.objects.create(
        summary=summary,
        version=version,
        to_org=receiving.organizer,
        submitted_at=now,
        submitted_by=user,
        due_at=due,
        is_late=bool(due and now > due),
        char_count=version.char_count,
        mailbox=mailbox,
        subject=_("【%(period)s总结】%(org)s：%(title)s")
        % {"period": period_word(summary.week), "org": summary.org.name, "title": version.title},
        attachment_name=docx_filename(summary),
        status=SummarySubmission.MailStatus.PENDING if mailbox else SummarySubmission.MailStatus.NONE,
    )
    deliver_summary(submission)  # into the receiver's inbox, in this transaction
    if mailbox:
        submission_id = submission.pk
        transaction.on_commit(lambda: enqueue_summary_mail(submission_id))
    return submission


def enqueue_summary_mail(submission_id: int) -> None:
    """Queue the task that sends one submission's email."""
    from django_q.tasks import async_task

    async_task(
        "reporting.summary.tasks.send_summary_mail_task", submission_id, task_name=f"summary-mail-{submission_id}"
    )


def send_summary_mail(submission_id: int, now: datetime.datetime | None = None) -> bool:
    """Send one submission's email with the docx attached, through the one outbox (claimed under a lease, never sent
    twice; a failure is retried with back-off, down or refusing, up to the attempt cap)."""
    sizes = {}

    def send(submission: SummarySubmission) -> None:
        summary = submission.summary
        attachment = render_docx(summary, submission.version)
        message = EmailMessage(
            subject=submission.subject,
            body=_(
                "%(to)s：\n\n现报送%(org)s%(week)s总结（第 %(number)s 版，%(count)s 字），详见附件。\n\n"
                "报送时间：%(at)s\n报送单位：%(org)s\n"
            )
            % {
                "to": submission.to_org.name,
                "org": summary.org.name,
                "week": summary.week.title,
                "number": submission.version.number,
                "count": submission.char_count,
                "at": cn_datetime(submission.submitted_at),
            },
            to=[submission.mailbox],
        )
        message.attach(submission.attachment_name, attachment, SummaryDocx.content_type)
        message.send()
        sizes[submission.pk] = len(attachment)

    rows = SummarySubmission.objects.select_related("summary__week", "summary__org", "version", "to_org")
    sent = deliver(rows, submission_id, send, now=now)
    if sent:
        SummarySubmission.objects.filter(pk=submission_id).update(attachment_size=sizes[submission_id])
    return sent


def retry_summary_mails(now: datetime.datetime | None = None) -> int:
    """Send every pending or failed summary email whose retry time has come, and take over those whose sender died;
    return how many went."""
    now = now or timezone.now()
    due = claimable(SummarySubmission.objects.all(), now).order_by("pk")
    return sum(send_summary_mail(pk, now=now) for pk in list(due.values_list("pk", flat=True)))


def resend_now(submission: SummarySubmission) -> bool:
    """Let the office retry an unsent email at once; False (nothing queued) when it went already or needs none."""
    queued = SummarySubmission.objects.filter(
        pk=submission.pk,
        status__in=[SummarySubmission.MailStatus.PENDING, SummarySubmission.MailStatus.FAILED],
    ).update(next_attempt_at=None)
    if queued:
        transaction.on_commit(lambda: enqueue_summary_mail(submission.pk))
    return bool(queued)
