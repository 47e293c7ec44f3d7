"""Submitting a summary upward (and again after changes), and sending the email that carries its docx."""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ
from inbox.services.delivery import deliver_summary
from reporting.models.summaries import Summary, SummarySubmission
from reporting.summary.docx import SummaryDocx
from reporting.summary.services.editing import docx_filename, render_docx, same_content

logger = logging.getLogger(__name__)

SENDING_LEASE = datetime.timedelta(minutes=10)  # far above EMAIL_TIMEOUT: a live sender is never overtaken


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back off 1, 2, 4 … minutes between mail attempts, at most an hour; a mail is retried until it goes."""
    return datetime.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


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
                "at": timezone.localtime(last.submitted_at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
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
        subject=_("【活动周总结】%(org)s：%(title)s") % {"org": summary.org.name, "title": version.title},
        attachment_name=docx_filename(summary),
        mail_status=SummarySubmission.MailStatus.PENDING if mailbox else SummarySubmission.MailStatus.NONE,
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
    """Send one submission's email with the docx attached. The conditional update claims it: never sent twice."""
    now = now or timezone.now()
    # The lease: a sender that dies mid-send leaves the row to be taken up again once it runs out.
    claimed = SummarySubmission.objects.filter(
        pk=submission_id, mail_status__in=[SummarySubmission.MailStatus.PENDING, SummarySubmission.MailStatus.FAILED]
    ).update(
        mail_status=SummarySubmission.MailStatus.SENDING,
        mail_attempts=F("mail_attempts") + 1,
        mail_next_attempt_at=now + SENDING_LEASE,
    )
    if claimed != 1:
        return False
    submission = SummarySubmission.objects.select_related("summary__week", "summary__org", "version", "to_org").get(
        pk=submission_id
    )
    summary = submission.summary
    try:
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
                "at": timezone.localtime(submission.submitted_at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
            },
            to=[submission.mailbox],
        )
        message.attach(submission.attachment_name, attachment, SummaryDocx.content_type)
        message.send()
    except Exception as exc:  # down or refusing: recorded, shown as pending, retried; never dropped
        attempts = submission.mail_attempts
        SummarySubmission.objects.filter(pk=submission_id).update(
            mail_status=SummarySubmission.MailStatus.FAILED,
            mail_last_error=str(exc)[:2000],
            mail_next_attempt_at=now + retry_delay(attempts),
        )
        logger.warning("summary mail %s failed (attempt %s): %s", submission_id, attempts, exc)
        return False
    SummarySubmission.objects.filter(pk=submission_id).update(
        mail_status=SummarySubmission.MailStatus.SENT,
        mail_sent_at=timezone.now(),
        mail_last_error="",
        mail_next_attempt_at=None,
        attachment_size=len(attachment),
    )
    return True


def retry_summary_mails(now: datetime.datetime | None = None) -> int:
    """Send every pending or failed summary email whose retry time has come; return how many went."""
    now = now or timezone.now()
    SummarySubmission.objects.filter(
        mail_status=SummarySubmission.MailStatus.SENDING, mail_next_attempt_at__lte=now
    ).update(
        mail_status=SummarySubmission.MailStatus.FAILED, mail_last_error=_("上次发送未完成（进程中断），已重新排队。")
    )
    due = SummarySubmission.objects.filter(
        Q(mail_next_attempt_at__isnull=True) | Q(mail_next_attempt_at__lte=now),
        mail_status__in=[SummarySubmission.MailStatus.PENDING, SummarySubmission.MailStatus.FAILED],
    ).order_by("pk")
    return sum(send_summary_mail(pk, now=now) for pk in list(due.values_list("pk", flat=True)))


def resend_now(submission: SummarySubmission) -> bool:
    """Let the office retry an unsent email at once; False (nothing queued) when it went already or needs none."""
    queued = SummarySubmission.objects.filter(
        pk=submission.pk,
        mail_status__in=[SummarySubmission.MailStatus.PENDING, SummarySubmission.MailStatus.FAILED],
    ).update(mail_next_attempt_at=None)
    if queued:
        transaction.on_commit(lambda: enqueue_summary_mail(submission.pk))
    return bool(queued)
