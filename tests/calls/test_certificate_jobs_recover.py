"""A certificate PDF job whose worker died is run again after the lease, and failed with a message after three runs."""

import datetime

import time_machine
from django.utils import timezone

from calls.models import CertificatePdf, Entry
from calls.services.certificates import recover_stale_certificates, start_certificate_pdf
from calls.services.review import decide
from tests.calls.test_outputs import SELECTED


def _running_job(jdz, *, attempts: int) -> CertificatePdf:
    """A job as a worker leaves it when it is killed mid-conversion: RUNNING, claimed, never finished."""
    essay = Entry.objects.get(title=SELECTED[1])
    decide(essay, jdz.org("360000"), selected=True)
    job = start_certificate_pdf(essay)
    CertificatePdf.objects.filter(pk=job.pk).update(
        status=CertificatePdf.Status.RUNNING, attempts=attempts, claimed_at=timezone.now()
    )
    return job


def test_a_job_whose_worker_died_is_queued_again_after_the_lease_and_converted(jdz, django_capture_on_commit_callbacks):
    job = _running_job(jdz, attempts=1)
    assert recover_stale_certificates() == 0  # the claim is still live

    later = timezone.now() + datetime.timedelta(minutes=6)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert recover_stale_certificates() == 1

    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (CertificatePdf.Status.DONE, 2, "")
    assert job.content[:5] == b"%PDF-"


def test_a_job_that_died_on_its_third_run_is_failed_with_a_message(jdz, django_capture_on_commit_callbacks):
    job = _running_job(jdz, attempts=3)

    later = timezone.now() + datetime.timedelta(minutes=6)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert recover_stale_certificates() == 1

    job.refresh_from_db()
    assert (job.status, job.attempts) == (CertificatePdf.Status.FAILED, 3)
    assert job.error == "PDF 生成中断：后台任务已停止（已尝试 3 次），请重新生成。"
