"""The summary's PDF is a job: started by a POST, made by LibreOffice in a task, polled, downloaded; a job whose
worker died is run again or failed in Chinese."""

import datetime

from django.urls import reverse
from django.utils import timezone

from reporting.models.summaries import SummaryPdfJob
from reporting.summary.services.editing import start_summary
from reporting.summary.services.pdf import PDF_LEASE, recover_stale_pdf_jobs, run_pdf_job
from reporting.summary.services.submission import submit_summary
from tests.summary.conftest import local

ARGS = ["2020-jiangsu", "320100"]
STOPPED = "PDF 生成中断：后台任务已停止（已尝试 %s 次），请重新生成。"


def _job(reports, **fields):
    summary = start_summary(reports.jiangsu, reports.org("320100"))
    return SummaryPdfJob.objects.create(summary=summary, filename="南京市总结.pdf", **fields)


def _stale(job, status, attempts):
    SummaryPdfJob.objects.filter(pk=job.pk).update(
        status=status, attempts=attempts, heartbeat_at=timezone.now() - PDF_LEASE - datetime.timedelta(seconds=1)
    )


def test_starting_a_pdf_runs_no_libreoffice_in_the_request_and_the_page_polls_a_queued_job(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    start_summary(reports.jiangsu, reports.org("320100"))

    started = client.post(reverse("reporting:summary_pdf", args=ARGS))  # the task is queued only after commit

    job = SummaryPdfJob.objects.get()
    assert started.status_code == 302
    assert started.url == f"/reporting/summary/2020-jiangsu/320100/pdf/{job.pk}/"
    assert (job.status, job.attempts, job.file, job.filename) == (
        "pending",
        0,
        "",
        "南京市机关事务管理局2020年江苏省公共机构节能宣传周总结.pdf",
    )
    assert client.get(started.url, {"format": "json"}).json() == {
        "status": "pending",
        "label": "排队中",
        "percent": 0,
        "error": "",
    }
    assert client.get(started.url + "download/").status_code == 404


def test_a_get_of_the_pdf_address_starts_nothing(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))
    start_summary(reports.jiangsu, reports.org("320100"))

    response = client.get(reverse("reporting:summary_pdf", args=ARGS))

    assert (response.status_code, SummaryPdfJob.objects.count()) == (405, 0)


def test_the_org_above_sees_no_pdf_job_of_the_draft_but_one_of_the_submitted_version(reports, client_for):
    with_draft = _job(reports)
    summary = with_draft.summary
    submission = submit_summary(summary, now=local(2020, 7, 9, 9, 0))
    of_submitted = SummaryPdfJob.objects.create(summary=summary, version=submission.version, filename="x.pdf")
    province = client_for(reports.user("jiangsu_admin"))

    draft_page = province.get(f"/reporting/summary/2020-jiangsu/320100/pdf/{with_draft.pk}/")
    submitted_page = province.get(f"/reporting/summary/2020-jiangsu/320100/pdf/{of_submitted.pk}/", {"format": "json"})

    assert draft_page.status_code == 404
    assert (submitted_page.status_code, submitted_page.json()["status"]) == (200, "pending")


def test_a_running_pdf_job_within_its_lease_is_left_alone(reports):
    job = _job(reports, status="running", attempts=1, heartbeat_at=timezone.now())

    assert recover_stale_pdf_jobs() == {"requeued": 0, "failed": 0}

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)


def test_a_stale_pdf_job_below_the_attempt_limit_is_queued_again(reports, django_capture_on_commit_callbacks):
    job = _job(reports)
    _stale(job, "running", 2)

    with django_capture_on_commit_callbacks() as queued:
        assert recover_stale_pdf_jobs() == {"requeued": 1, "failed": 0}

    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, len(queued)) == ("pending", 2, 0, 1)


def test_a_stale_pdf_job_at_the_attempt_limit_is_failed_and_its_page_says_so(reports, client_for):
    job = _job(reports)
    _stale(job, "running", 3)

    assert recover_stale_pdf_jobs() == {"requeued": 0, "failed": 1}

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", STOPPED % 3)
    page = client_for(reports.user("nanjing_reporter")).get(f"/reporting/summary/2020-jiangsu/320100/pdf/{job.pk}/")
    assert STOPPED % 3 in page.content.decode()


def test_a_pdf_job_taken_by_another_run_is_not_run_twice(reports):
    job = _job(reports, status="running", attempts=1, heartbeat_at=timezone.now())

    assert run_pdf_job(job.pk) is False

    job.refresh_from_db()
    assert (job.status, job.attempts, job.file) == ("running", 1, "")


def test_the_pdf_sweep_is_scheduled_every_minute_once(db):
    from django_q.models import Schedule

    from reporting.summary.services.deadlines import ensure_summary_schedules

    ensure_summary_schedules()
    ensure_summary_schedules()

    assert list(
        Schedule.objects.filter(name="reporting:pdf-jobs-recover").values_list("func", "schedule_type", "minutes")
    ) == [("reporting.summary.tasks.recover_pdf_jobs_task", "I", 1)]
