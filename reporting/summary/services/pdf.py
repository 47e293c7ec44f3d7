"""PDF of a summary as a job: started by the page, converted by LibreOffice in a django-q2 task, polled, downloaded.

No LibreOffice inside a request: the conversion can take a minute on a busy machine. Like the quiz exports, a
conditional update claims the job and numbers the claim (`attempts`); every later write is conditional on holding
that claim and refreshes `heartbeat_at`. A job silent for longer than the lease lost its worker: the sweep
(recover_stale_pdf_jobs, every minute) queues it again or, after PDF_MAX_ATTEMPTS runs, marks it failed.
"""

import datetime
import os
import uuid
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from eventweek.errors import DomainError, NotFound
from eventweek.jobs import claim_job, sweep_stale_jobs
from eventweek.storage import PrivateStorage
from reporting.models.summaries import SummaryPdfJob, SummaryVersion
from reporting.summary.docx import docx_to_pdf, font_substitutes, libreoffice_path
from reporting.summary.services.access import SummaryAccess
from reporting.summary.services.editing import docx_filename, render_docx

# The conversion is one silent LibreOffice run of at most 120 s (docx_to_pdf's timeout): the lease covers it twice.
PDF_LEASE = datetime.timedelta(seconds=300)
PDF_MAX_ATTEMPTS = 3


class SummaryPdfStorage(PrivateStorage):
    """PDFs of unpublished summaries live next to the summary pictures, outside MEDIA_ROOT."""

    @cached_property
    def base_location(self):
        return os.path.join(PrivateStorage.base_location.func(self), "summary-pdfs")


def pdf_storage() -> SummaryPdfStorage:
    """A fresh storage each time, so a changed setting (a test's tmp folder) is always the one used."""
    return SummaryPdfStorage()


def pdf_available() -> bool:
    """True when LibreOffice is installed, so a PDF can be made."""
    return bool(libreoffice_path())


def start_pdf_job(access: SummaryAccess, version: SummaryVersion | None, user=None) -> SummaryPdfJob:
    """Record a PDF job of what the user sees (version None: the current text) and queue it after commit."""
    if access.summary is None:
        raise NotFound
    if not pdf_available():
        raise DomainError(_("本机未安装 LibreOffice，无法导出 PDF。"))
    job = SummaryPdfJob.objects.create(
        summary=access.summary,
        version=version,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        filename=docx_filename(access.summary).replace(".docx", ".pdf"),
        heartbeat_at=timezone.now(),
    )
    _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(
        lambda: async_task("reporting.summary.tasks.run_pdf_job_task", job_id, task_name=f"summary-pdf-{job_id}")
    )


def get_pdf_job_for_user(access: SummaryAccess, job_id: int) -> SummaryPdfJob:
    """A PDF job of the summary: any for its editors; for the orgs above only one of a submitted version."""
    job = SummaryPdfJob.objects.filter(summary=access.summary, pk=job_id).first() if access.summary else None
    if job is None:
        raise NotFound(_("没有这个 PDF 任务。"))
    if not access.can_edit and not access.summary.submissions.filter(version_id=job.version_id).exists():
        raise NotFound(_("没有这个 PDF 任务。"))  # a draft's PDF stays with the office
    return job


def pdf_path(job: SummaryPdfJob) -> Path:
    """Where a done job's file is; NotFound when it is not made yet or was cleaned away."""
    if job.status != SummaryPdfJob.Status.DONE or not job.file:
        raise NotFound(_("PDF 尚未生成。"))
    path = Path(pdf_storage().path(job.file))
    if not path.exists():
        raise NotFound(_("PDF 文件已被清理，请重新生成。"))
    return path


class ClaimLost(Exception):
    """This run's claim on the job was taken over (its lease ran out): it must stop without recording anything."""


def font_notice() -> str:
    """What the PDF page says when an official font is printed in another font than the intended open one."""
    substitutes = font_substitutes()
    if not substitutes:
        return ""
    names = "、".join(
        _("%(font)s（以 %(used)s 代替）") % {"font": label, "used": used or _("未知字体")}
        for label, used in substitutes.items()
    )
    return _(
        "PDF 已生成，但本机缺少以下字体，版式可能与公文不同：%(names)s。请安装 fonts-noto-cjk 和 fonts-arphic-ukai。"
    ) % {"names": names}


def run_pdf_job(job_id: int) -> bool:
    """Convert one job's summary to PDF; True when this run recorded the file.

    The claim is conditional and numbered, so a retried task never converts twice; a run whose lease ran out and
    was taken over stops at its next write, and its file is removed.
    """
    mine = claim_job(SummaryPdfJob, job_id, progress=5, error="")
    if mine is None:
        return False

    def beat(**fields) -> None:
        if mine.update(heartbeat_at=timezone.now(), **fields) != 1:
            raise ClaimLost

    job = SummaryPdfJob.objects.select_related("summary__week", "summary__org", "version").get(pk=job_id)
    path = Path(pdf_storage().path(f"{uuid.uuid4().hex}.pdf"))
    try:
        docx = render_docx(job.summary, job.version)
        beat(progress=30)
        data = docx_to_pdf(docx)
        beat(progress=90)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except ClaimLost:
        path.unlink(missing_ok=True)
        return False
    except Exception as exc:
        path.unlink(missing_ok=True)
        mine.update(
            status=SummaryPdfJob.Status.FAILED,
            error=_("PDF 生成失败：%(error)s") % {"error": str(exc)[:1900]},
            finished_at=timezone.now(),
        )
        raise
    recorded = mine.update(
        status=SummaryPdfJob.Status.DONE,
        progress=100,
        file=path.name,
        finished_at=timezone.now(),
        error=font_notice(),  # shown on the PDF page: which official font printed in another one
    )
    if recorded != 1:  # the claim ran out while the file was being saved: the retry's file is the one
        path.unlink(missing_ok=True)
        return False
    return True


def recover_stale_pdf_jobs(now: datetime.datetime | None = None) -> dict[str, int]:
    """Take over the PDF jobs whose worker died (no heartbeat for a lease): run again, up to PDF_MAX_ATTEMPTS runs,
    or marked failed with a message saying what to do. Returns the counts {"requeued": …, "failed": …}."""
    return sweep_stale_jobs(
        SummaryPdfJob,
        lease=PDF_LEASE,
        max_attempts=PDF_MAX_ATTEMPTS,
        failed_error=lambda attempts: (
            _("PDF 生成中断：后台任务已停止（已尝试 %(attempts)s 次），请重新生成。") % {"attempts": attempts}
        ),
        enqueue=_enqueue,
        now=now or timezone.now(),
        progress=0,
    )
