"""The submission's email reaches a real SMTP server on loopback, with the docx; refusals are retried, never dropped."""

import io

import pytest
import time_machine
from docx import Document

from reporting.models.summaries import SummarySubmission
from reporting.summary.services.editing import start_summary
from reporting.summary.services.submission import retry_summary_mails, submit_summary
from tests.summary.conftest import free_port, local

SUBMIT_AT = local(2020, 7, 9, 10, 0)


@pytest.fixture
def nanjing_summary(reports):
    with time_machine.travel(SUBMIT_AT, tick=False):
        return start_summary(reports.jiangsu, reports.org("320100"), reports.user("nanjing_reporter"))


def submit(summary, capture, user=None):
    with time_machine.travel(SUBMIT_AT, tick=False), capture(execute=True):
        submission = submit_summary(summary, user)
    submission.refresh_from_db()
    return submission


def test_email_with_the_docx_reaches_the_smtp_server(nanjing_summary, smtp, django_capture_on_commit_callbacks):
    server = smtp()

    submission = submit(nanjing_summary, django_capture_on_commit_callbacks)

    assert len(server.messages) == 1
    recipients, message = server.messages[0]
    assert recipients == ["jnc@jsjgsw.example.cn"]
    # A long subject is folded into encoded words; unfolded it is the same text.
    assert str(message["Subject"]).strip() == f"【活动周总结】南京市机关事务管理局：{nanjing_summary.title}"
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["南京市机关事务管理局2020年江苏省公共机构节能宣传周总结.docx"]
    document = Document(io.BytesIO(attachments[0].get_content()))
    assert document.paragraphs[0].text == nanjing_summary.title
    assert (submission.status, submission.attempts, submission.mailbox) == (
        SummarySubmission.MailStatus.SENT,
        1,
        "jnc@jsjgsw.example.cn",
    )
    assert submission.sent_at is not None
    assert submission.attachment_size == len(attachments[0].get_content())


def test_a_server_that_refuses_first_and_accepts_later_gets_exactly_one_mail(
    nanjing_summary, smtp, django_capture_on_commit_callbacks
):
    server = smtp(refuse_first=1)

    submission = submit(nanjing_summary, django_capture_on_commit_callbacks)

    assert server.messages == []
    assert (submission.status, submission.attempts) == (SummarySubmission.MailStatus.FAILED, 1)
    assert submission.get_status_display() == "发送失败，等待重试"
    assert "451" in submission.last_error
    assert submission.next_attempt_at == local(2020, 7, 9, 10, 1)
    # Before the back-off has passed nothing is retried.
    assert retry_summary_mails(now=local(2020, 7, 9, 10, 0, 30)) == 0

    assert retry_summary_mails(now=local(2020, 7, 9, 10, 2)) == 1
    assert retry_summary_mails(now=local(2020, 7, 9, 10, 30)) == 0

    submission.refresh_from_db()
    assert len(server.messages) == 1
    assert (submission.status, submission.attempts, submission.last_error) == (
        SummarySubmission.MailStatus.SENT,
        2,
        "",
    )


def test_a_mail_server_that_is_down_leaves_the_mail_pending(
    nanjing_summary, settings, smtp, django_capture_on_commit_callbacks
):
    smtp()
    settings.EMAIL_PORT = free_port()  # nothing listens there

    submission = submit(nanjing_summary, django_capture_on_commit_callbacks)

    assert submission.status == SummarySubmission.MailStatus.FAILED
    assert submission.mail_pending is True
    assert "Connection refused" in submission.last_error or "111" in submission.last_error
    # Later retries keep it: each attempt is recorded, the submission itself stands.
    assert retry_summary_mails(now=local(2020, 7, 9, 12, 0)) == 0
    submission.refresh_from_db()
    assert (submission.status, submission.attempts) == (SummarySubmission.MailStatus.FAILED, 2)
    assert SummarySubmission.objects.filter(summary=nanjing_summary).count() == 1


def test_the_department_mailbox_receives_a_central_departments_summary(demo, smtp, django_capture_on_commit_callbacks):
    server = smtp()
    with time_machine.travel(SUBMIT_AT, tick=False):
        summary = start_summary(demo.national, demo.org("100101"))

    submission = submit(summary, django_capture_on_commit_callbacks)

    assert submission.to_org == demo.org("100000")
    assert [rcpt for rcpt, _ in server.messages] == [["bumen-zongjie@ggj.example.cn"]]


def test_a_send_interrupted_mid_way_is_taken_up_again_after_its_lease(nanjing_summary, smtp):
    server = smtp()
    with time_machine.travel(SUBMIT_AT, tick=False):
        submission = submit_summary(nanjing_summary)  # no commit in this test: the task is not enqueued
    # A worker claimed it and died before it could record the outcome.
    SummarySubmission.objects.filter(pk=submission.pk).update(
        status=SummarySubmission.MailStatus.SENDING,
        attempts=1,
        claimed_at=local(2020, 7, 9, 10, 0),  # its lease runs to 10:10
    )

    assert retry_summary_mails(now=local(2020, 7, 9, 10, 5)) == 0  # the lease still runs
    assert retry_summary_mails(now=local(2020, 7, 9, 10, 11)) == 1

    submission.refresh_from_db()
    assert (submission.status, submission.attempts, len(server.messages)) == (
        SummarySubmission.MailStatus.SENT,
        2,
        1,
    )
