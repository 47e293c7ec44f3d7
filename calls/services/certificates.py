"""Award certificates as PDF: a job started from the page, converted by LibreOffice in a task, polled, downloaded."""

from django.db import transaction
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

    def enqueue():
        from django_q.tasks import async_task

        async_task("calls.tasks.run_certificate_pdf", job.pk, task_name=f"call-certificate-{job.pk}")

    transaction.on_commit(enqueue)
    return job


def run_certificate_pdf(job_id: int) -> bool:
    """Claim the pending job (a conditional update: a retried task never converts twice) and convert it."""
    if not CertificatePdf.objects.filter(pk=job_id, status=CertificatePdf.Status.PENDING).update(
        status=CertificatePdf.Status.RUNNING
    ):
        return False
    job = CertificatePdf.objects.select_related("entry__call__org", "adopted_by").get(pk=job_id)
    try:
        content = docx_to_pdf(certificate_docx(job.entry, job.adopted_by))
    except Exception as error:  # LibreOffice missing, failing or timing out: the page says so
        CertificatePdf.objects.filter(pk=job_id).update(
            status=CertificatePdf.Status.FAILED,
            error=_("PDF 生成失败：%(error)s。可先下载 Word 版。") % {"error": error},
            finished_at=timezone.now(),
        )
        return False
    CertificatePdf.objects.filter(pk=job_id).update(
        status=CertificatePdf.Status.DONE, content=content, finished_at=timezone.now()
    )
    return True
