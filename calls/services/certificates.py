"""Award certificates as PDF: a job started from the page, converted by LibreOffice in a task, polled, downloaded.

Like the summary's PDF jobs, a run claims the job with a numbered conditional update; a job whose worker died (still
RUNNING after the lease, or PENDING with its task lost) is queued again by the sweep, and failed with a message after
CERTIFICATE_MAX_ATTEMPTS runs.
"""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import CertificatePdf, Entry
from calls.services.documents import certificate_docx
from calls.services.review import adoption_of
from eventweek.errors import NotFound
from reporting.summary.docx import docx_to_pdf


def adopter_of(entry: Entry):
    """The highest org that adopted the entry (NotFound when none did: no certificate)."""
    adopted = adoption_of(entry)
    if not adopted:
        raise NotFound(_("这份作品尚未被上级采用，没有奖励证书。"))
    return adopted[-1]


@transaction.atomic
def start_certificate_pdf(entry: Entry) -> CertificatePdf:
    """A PDF job of the entry's certificate, converted after commit in a task."""
    job = CertificatePdf.objects.create(entry=entry, adopted_by=adopter_of(entry))
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


# One LibreOffice run takes at most 120 s (docx_to_pdf's timeout): the lease covers it twice and more.
CERTIFICATE_LEASE = datetime.timedelta(seconds=300)
CERTIFICATE_MAX_ATTEMPTS = 3


def _enqueue(job_id: int) -> None:
    from django_q.tasks import async_task

    async_task("calls.tasks.run_certificate_pdf", job_id, task_name=f"call-certificate-{job_id}")


def run_certificate_pdf(job_id: int) -> bool:
    """Claim the pending job (a conditional update: a retried task never converts twice) and convert it."""
    claimed_at = timezone.now()
    if not CertificatePdf.objects.filter(pk=job_id, status=CertificatePdf.Status.PENDING).update(
        status=CertificatePdf.Status.RUNNING, attempts=F("attempts") + 1, claimed_at=claimed_at
    ):
        return False
    # Only the holder of this claim records the outcome: a run whose lease ran out writes nothing.
    mine = CertificatePdf.objects.filter(pk=job_id, status=CertificatePdf.Status.RUNNING, claimed_at=claimed_at)
    job = CertificatePdf.objects.select_related("entry__call__org", "adopted_by").get(pk=job_id)
    try:
        content = docx_to_pdf(certificate_docx(job.entry, job.adopted_by))
    except Exception as error:  # LibreOffice missing, failing or timing out: the page says so
        mine.update(
            status=CertificatePdf.Status.FAILED,
            error=_("PDF 生成失败：%(error)s。可先下载 Word 版。") % {"error": error},
            finished_at=timezone.now(),
        )
        return False
    return mine.update(status=CertificatePdf.Status.DONE, content=content, finished_at=timezone.now()) == 1


def recover_stale_certificates(now: datetime.datetime | None = None) -> int:
    """Take over the certificate jobs whose worker died (RUNNING past the lease, or PENDING past it with the task
    lost): queue them again, or after CERTIFICATE_MAX_ATTEMPTS runs mark them failed with a message. Returns how
    many were handled."""
    now = now or timezone.now()
    expired = now - CERTIFICATE_LEASE
    stale = CertificatePdf.objects.filter(
        Q(status=CertificatePdf.Status.RUNNING, claimed_at__lte=expired)
        | Q(status=CertificatePdf.Status.PENDING, claimed_at__lte=expired)
        | Q(status=CertificatePdf.Status.PENDING, claimed_at__isnull=True, created_at__lte=expired)
    ).values_list("pk", "status", "attempts", "claimed_at")
    handled = 0
    for pk, status, attempts, claimed_at in stale:
        same = CertificatePdf.objects.filter(pk=pk, status=status, claimed_at=claimed_at)
        if attempts >= CERTIFICATE_MAX_ATTEMPTS:
            failed = same.update(
                status=CertificatePdf.Status.FAILED,
                error=_("PDF 生成中断：后台任务已停止（已尝试 %(n)s 次），请重新生成。") % {"n": attempts},
                finished_at=now,
            )
            handled += failed
            continue
        # A PENDING job is queued again as it is; a RUNNING one goes back to PENDING first (a new claim is needed).
        if same.update(status=CertificatePdf.Status.PENDING, claimed_at=now):
            handled += 1
            transaction.on_commit(lambda pk=pk: _enqueue(pk))
    return handled
