"""Submitting and mailing without duplicates or losses: a double click, a resend of what went, reminders retried."""

import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse

from notifications.models import Delivery
from notifications.services.deliveries import retry_deliveries
from reporting.models.summaries import Summary, SummaryReminder, SummarySubmission
from reporting.summary.docx import libreoffice_path
from reporting.summary.services.deadlines import send_summary_reminders
from reporting.summary.services.editing import save_summary, start_summary
from reporting.summary.services.submission import submit_summary
from reporting.summary.views import _disposition
from tests.summary.conftest import free_port, local
from tests.summary.test_views import edit_url, form_data, messages_of, open_editor

NOW = local(2020, 7, 8, 10, 0)


def test_a_double_click_on_submit_makes_one_submission_and_one_email(
    reports, client_for, django_capture_on_commit_callbacks
):
    client = client_for(reports.user("nanjing_reporter"))
    with time_machine.travel(NOW, tick=False):
        open_editor(client)
        summary = Summary.objects.get()
        data = form_data(summary, action="submit")
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(edit_url(), data, follow=True)
            second = client.post(edit_url(), data, follow=True)

    # Submitting the draft unchanged sends version 1 itself: no identical version 2 is made, not by the second click
    # either.
    assert messages_of(first) == ["已报送（第 1 版）至江苏省机关事务管理局。"]
    assert messages_of(second) == ["第 1 版已于 7月8日 周三 10:00 报送，内容没有修改，无需重复报送。"]
    assert list(summary.versions.order_by("number").values_list("number", flat=True)) == [1]
    assert list(SummarySubmission.objects.values_list("version__number", flat=True)) == [1]
    assert len(mail.outbox) == 1


def test_a_changed_summary_can_be_submitted_again(reports):
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    submit_summary(summary)

    save_summary(summary, title=summary.title, body=summary.body + "\n补充一句。")
    summary.refresh_from_db()
    again = submit_summary(summary)

    assert (again.version.number, SummarySubmission.objects.count()) == (2, 2)


def test_resending_a_mail_that_went_says_so_and_sends_nothing(reports, client_for, django_capture_on_commit_callbacks):
    client = client_for(reports.user("nanjing_reporter"))
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_summary(summary)
    url = reverse("reporting:summary_resend", args=["2020-jiangsu", "320100", submission.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    submission.refresh_from_db()
    assert messages_of(response) == ["已发送，无需重发。"]
    assert (len(mail.outbox), submission.attempts, submission.status) == (
        1,
        1,
        SummarySubmission.MailStatus.SENT,
    )


def test_resending_a_failed_mail_sends_it(reports, client_for, django_capture_on_commit_callbacks):
    client = client_for(reports.user("nanjing_reporter"))
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    submission = submit_summary(summary)  # no commit: the first attempt has not run
    SummarySubmission.objects.filter(pk=submission.pk).update(
        status=SummarySubmission.MailStatus.FAILED, attempts=1, next_attempt_at=local(2030, 1, 1)
    )
    url = reverse("reporting:summary_resend", args=["2020-jiangsu", "320100", submission.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    submission.refresh_from_db()
    assert messages_of(response) == ["已重新安排发送邮件，请稍后刷新查看发送状态。"]
    assert (len(mail.outbox), submission.attempts, submission.status) == (
        1,
        2,
        SummarySubmission.MailStatus.SENT,
    )


def test_the_pdf_and_docx_downloads_name_their_own_type_for_old_browsers():
    pdf = _disposition("南京市机关事务管理局总结.pdf")
    docx = _disposition("南京市机关事务管理局总结.docx")

    assert pdf.startswith("attachment; filename=\"summary.pdf\"; filename*=UTF-8''%E5%8D%97")
    assert pdf.endswith("%E6%80%BB%E7%BB%93.pdf")
    assert docx.startswith('attachment; filename="summary.docx";')


def test_the_pdf_view_sends_a_pdf_named_pdf(reports, client_for, django_capture_on_commit_callbacks):
    if not libreoffice_path():
        pytest.skip("LibreOffice is not installed")
    client = client_for(reports.user("nanjing_reporter"))
    start_summary(reports.jiangsu, reports.org("320100"))

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("reporting:summary_pdf", args=["2020-jiangsu", "320100"]))
    status = client.get(started.url, {"format": "json"}).json()
    assert status["status"] == "done"
    response = client.get(started.url + "download/")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith('attachment; filename="summary.pdf";')


def committed():
    """After commit, as in a worker: the deliveries queued inside are sent (the test runs in one transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def test_reminders_that_fail_while_the_mail_server_is_down_go_once_it_is_back(demo, smtp, settings):
    smtp()
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is down

    with time_machine.travel(local(2020, 7, 9, 9, 0), tick=False), committed():
        handed = send_summary_reminders()

    unsent = Delivery.objects.filter(sent_at__isnull=True)
    assert (handed, unsent.count(), SummaryReminder.objects.filter(status="sent").count()) == (13, 13, 13)
    assert all(r.last_error and r.attempts == 1 for r in unsent)
    assert set(unsent.values_list("next_attempt_at", flat=True)) == {local(2020, 7, 9, 9, 1)}

    server = smtp()  # the mail server is back
    assert retry_deliveries(now=local(2020, 7, 9, 9, 0, 30)) == 0  # before the back-off ends
    sent = retry_deliveries(now=local(2020, 7, 9, 9, 15))
    again = retry_deliveries(now=local(2020, 7, 9, 9, 30))

    assert (sent, again) == (13, 0)
    assert send_summary_reminders(now=local(2020, 7, 9, 9, 30)) == 0
    recipients = sorted(rcpt[0] for rcpt, _ in server.messages)
    assert recipients == sorted(o.email for o in demo.jiangsu.report_orgs.all() if o.email)
    assert len(recipients) == len(set(recipients)) == 13
    assert set(Delivery.objects.values_list("attempts", "last_error")) == {(2, "")}


def test_a_reminder_another_run_is_handing_over_is_not_queued_twice(demo):
    with committed():
        send_summary_reminders(now=local(2020, 7, 9, 9, 0))
    mail.outbox.clear()
    # A run claimed this reminder (its lease runs to 9:20) and has not finished.
    reminder = SummaryReminder.objects.order_by("pk").first()
    SummaryReminder.objects.filter(pk=reminder.pk).update(
        status=SummaryReminder.Status.SENDING, sent_at=None, claimed_at=local(2020, 7, 9, 9, 10)
    )

    with committed():
        assert send_summary_reminders(now=local(2020, 7, 9, 9, 10)) == 0
        assert send_summary_reminders(now=local(2020, 7, 9, 9, 21)) == 1
    # Its deliveries were queued by the first run, under the reminder's key: nothing is queued or sent again.
    assert mail.outbox == []
    assert Delivery.objects.filter(notice_key=f"summary-reminder:{reminder.pk}").count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs two real connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_identical_submit_posts_at_the_same_moment_make_one_submission(reports):
    user = reports.user("nanjing_reporter")
    summary = start_summary(reports.jiangsu, reports.org("320100"), user)
    data = form_data(summary, action="submit")
    statuses, barrier = [], threading.Barrier(2)

    def post():
        from django.db import connection as conn

        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            statuses.append(client.post(edit_url(), data).status_code)
        finally:
            conn.close()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert statuses == [302, 302]
    # The draft goes unchanged: version 1 itself is submitted, once; neither post makes an identical version 2.
    assert list(summary.versions.order_by("number").values_list("number", flat=True)) == [1]
    assert list(SummarySubmission.objects.values_list("version__number", flat=True)) == [1]
    assert len(mail.outbox) == 1
