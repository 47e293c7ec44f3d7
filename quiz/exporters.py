"""Exports as small classes that yield a header and rows; eventweek.xlsx streams them into xlsx (write-only mode)."""

import datetime
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import BigIntegerField, Func
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError
from eventweek.jobs import claim_job, sweep_stale_jobs
from eventweek.models import Org
from eventweek.storage import PrivateStorage
from eventweek.xlsx import PERCENT, Column, Sheet, XlsxExporter
from quiz.models import Attempt, ExportJob, Quiz, mask_phone
from quiz.services import access, participation, public, results
from quiz.services.attempts import finalize_expired

PROGRESS_EVERY = 5000


class EpochMs(Func):
    """Milliseconds since 1970-01-01 UTC of a datetime column, computed by the database."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400000) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


class Exporter(XlsxExporter):
    """One export: a sheet title, columns and rows. Subclasses keep queries constant (no per-row queries)."""

    title = ""
    columns: list[Column] = []
    header: list[str] = []  # the headers alone (the benchmark's bare baseline writes them), set from columns

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.header = [column.header for column in cls.columns]

    def __init__(self, quiz: Quiz, *, show_phones: bool = False):
        """show_phones: the result of quiz.services.access.can_see_phones for whoever asked; phones are masked otherwise."""
        self.quiz = quiz
        self.show_phones = show_phones

    def count(self) -> int:
        raise NotImplementedError

    def rows(self) -> Iterator[tuple]:
        raise NotImplementedError

    def sheets(self) -> Iterator[Sheet]:
        yield Sheet(title=self.title, columns=self.columns, rows=self.rows(), heading=f"{self.quiz.title}{self.title}")


class AttemptsExporter(Exporter):
    title = "答卷明细"
    columns = [
        Column("排名", 6),
        Column("姓名", 12),
        Column("手机号", 14),
        Column("单位", 28),
        Column("得分", 7),
        Column("满分", 7),
        Column("答对题数", 9),
        Column("用时（秒）", 10),
        Column("开始时间", 19),
        Column("提交时间", 19),
        Column("系统代交", 9),
    ]

    def _queryset(self):
        return Attempt.objects.filter(quiz=self.quiz, status=Attempt.Status.SUBMITTED)

    def count(self) -> int:
        return self._queryset().count()

    def rows(self) -> Iterator[tuple]:
        finalize_expired(self.quiz.pk)
        names = dict(Org.objects.values_list("pk", "name"))
        queryset = (
            self._queryset()
            .order_by("-score", "duration_ms", "submitted_at", "id")
            .annotate(started_ms=EpochMs("started_at"), submitted_ms=EpochMs("submitted_at"))
            .values_list(
                "name", "phone", "org_id", "score", "max_score", "correct_count", "duration_ms", "started_ms",
                "submitted_ms", "auto_submitted",
            )
        )  # fmt: skip
        # openpyxl cannot write aware datetimes: write Beijing wall-clock time (no DST since 1991, a fixed +8h).
        # Times come as epoch milliseconds: building datetimes from integers is several times faster than parsing.
        base = datetime.datetime(1970, 1, 1) + datetime.timedelta(hours=8)
        ms = datetime.timedelta(milliseconds=1)
        shown = (lambda phone: phone) if self.show_phones else mask_phone
        rank = 0
        for name, phone, org_id, score, max_score, correct, duration_ms, started, submitted, auto in queryset.iterator(
            chunk_size=5000
        ):
            rank += 1
            yield (
                rank,
                name,
                shown(phone),
                names.get(org_id, ""),
                score,
                max_score,
                correct,
                round(duration_ms / 1000, 1) if duration_ms is not None else None,
                base + started * ms if started is not None else None,
                base + submitted * ms if submitted is not None else None,
                "是" if auto else "否",
            )


class ParticipationExporter(Exporter):
    title = "各单位参与情况"
    columns = [
        Column("单位", 28),
        Column("层级", 8),
        Column("上级单位", 28),
        Column("参与人数", 10),
        Column("干部职工人数", 13),
        Column("参与率", 9, PERCENT),
    ]

    def _data(self):
        if not hasattr(self, "_cached"):
            self._cached = participation.quiz_participation(self.quiz)
        return self._cached

    def count(self) -> int:
        return len(self._data()["by_org"])

    def rows(self) -> Iterator[tuple]:
        tree = {org.pk: org for org in public.participant_orgs(self.quiz)}
        for row in self._data()["by_org"]:
            org = row["org"]
            parent = tree.get(org.parent_id)
            yield (
                org.name,
                org.get_level_display(),
                parent.name if parent else "",
                row["count"],
                row["headcount"],
                round(row["rate"], 4) if row["rate"] is not None else None,
            )


class QuestionStatsExporter(Exporter):
    title = "题目统计"
    columns = [
        Column("序号", 6),
        Column("题型", 6),
        Column("分类", 10),
        Column("题目", 50),
        Column("正确答案", 9),
        Column("作答人数", 9),
        Column("答对人数", 9),
        Column("正确率", 9, PERCENT),
        *(Column(f"选项{letter}", 8) for letter in "ABCDEF"),
    ]

    def _data(self):
        if not hasattr(self, "_cached"):
            self._cached = results.question_stats(self.quiz)
        return self._cached

    def count(self) -> int:
        return len(self._data())

    def rows(self) -> Iterator[tuple]:
        for number, row in enumerate(self._data(), start=1):
            question = row["question"]
            picks = [option["count"] for option in row["options"]]
            picks += [None] * (6 - len(picks))
            yield (
                number,
                question.get_kind_display(),
                question.category,
                question.text,
                question.answer,
                row["answered"],
                row["correct"],
                round(row["rate"], 4) if row["rate"] is not None else None,
                *picks,
            )


EXPORTERS: dict[str, type[Exporter]] = {
    ExportJob.Kind.ATTEMPTS: AttemptsExporter,
    ExportJob.Kind.PARTICIPATION: ParticipationExporter,
    ExportJob.Kind.QUESTIONS: QuestionStatsExporter,
}


def write_xlsx(exporter: Exporter, path: Path, progress: Callable[[int], None] | None = None) -> int:
    """Stream the exporter's rows into an xlsx file through the one writer (memory stays flat); returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return exporter.write(path, progress=progress, progress_every=PROGRESS_EVERY)


class QuizExportStorage(PrivateStorage):
    """Export files hold personal data: they live outside MEDIA_ROOT (which DEBUG serves openly at /media/), next to
    the report pictures, and are served only by the permission-checked export_download view."""

    @cached_property
    def base_location(self):
        # QUIZ_EXPORT_ROOT unset (None) follows REPORT_PRIVATE_ROOT wherever that is moved.
        return str(settings.QUIZ_EXPORT_ROOT or Path(settings.REPORT_PRIVATE_ROOT) / "quiz-exports")


def export_storage() -> QuizExportStorage:
    """A fresh storage each time, so a changed setting (a test's tmp folder) is always the one used."""
    return QuizExportStorage()


@transaction.atomic
def start_export(quiz: Quiz, kind: str, user=None) -> ExportJob:
    """Record an export job and enqueue the task after commit. The attempts export (every phone in full) is only for
    those access.can_see_phones allows; the others get a DomainError."""
    if kind not in EXPORTERS:
        raise DomainError(_("不支持的导出内容。"))
    if kind == ExportJob.Kind.ATTEMPTS:
        access.require_phone_access(user, quiz)
    job = ExportJob.objects.create(quiz=quiz, kind=kind, created_by=user, heartbeat_at=timezone.now())
    if kind == ExportJob.Kind.ATTEMPTS:
        _log_personal_data(user, job, "start")
    _enqueue_export(job.pk)
    return job


def record_download(job: ExportJob, user) -> None:
    """The audit log records who downloaded an export holding every phone in full (the others hold none)."""
    if job.kind == ExportJob.Kind.ATTEMPTS:
        _log_personal_data(user, job, "download")


def _log_personal_data(user, job: ExportJob, step: str) -> None:
    data = {"quiz": job.quiz_id, "kind": job.kind, "step": step}
    log_action(user, actions.EXPORT_PERSONAL_DATA, job, org=job.quiz.week.organizer, data=data)


def _enqueue_export(job_id: int) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("quiz.tasks.run_export_task", job_id, task_name=f"quiz-export-{job_id}"))


# A running export writes its heartbeat every PROGRESS_EVERY rows (well under a second each); a heartbeat older than
# the lease means its worker died. The lease covers the longest silent stretch: counting and saving the file.
# The defaults of QUIZ_EXPORT_LEASE_SECONDS and QUIZ_EXPORT_MAX_ATTEMPTS (eventweek/settings.py), for the tests.
DEFAULT_EXPORT_LEASE_SECONDS = 300
DEFAULT_EXPORT_MAX_ATTEMPTS = 3


def export_lease() -> datetime.timedelta:
    """How long a queued or running export may go without a heartbeat before the sweep takes it over."""
    return datetime.timedelta(seconds=settings.QUIZ_EXPORT_LEASE_SECONDS)


def export_max_attempts() -> int:
    return settings.QUIZ_EXPORT_MAX_ATTEMPTS


class ClaimLost(Exception):
    """This run's claim on the job was taken over (its lease ran out): it must stop without recording anything."""


def _apart(write: Callable[[], int]) -> int:
    """Run a write on a connection of its own when the exporter's open read would make it fail.

    On SQLite the exporter's rows come from a cursor left open (a read snapshot): a write on that connection after
    anyone else wrote (a participant submitting, the task broker) fails at once with "database is locked". A thread
    has a connection of its own, which waits its turn instead. Inside a transaction (the tests) the same connection
    is the only one that sees the job, and nothing else writes.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return write()
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(write())
        except BaseException as exc:  # handed to the caller below
            outcome.append(exc)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name="export-heartbeat")
    thread.start()
    thread.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def run_export(job_id: int) -> bool:
    """Write one export job's file; True when this run recorded it.

    The conditional update claims the job and numbers the claim (`attempts`), so a retried task never writes twice.
    Every later write (progress with its heartbeat, the outcome) is conditional on still holding that claim: a run
    whose lease ran out and was retried stops at its next progress write, and a late original never records its file
    over the retry's (its own file, under its own name, is removed).
    """
    mine = claim_job(ExportJob, job_id, rows_done=0, error="")
    if mine is None:
        return False

    def record(**fields) -> int:
        return _apart(lambda: mine.update(heartbeat_at=timezone.now(), **fields))

    def beat(**fields) -> None:
        if record(**fields) != 1:
            raise ClaimLost

    job = ExportJob.objects.select_related("quiz__week__organizer", "quiz__activity", "created_by").get(pk=job_id)
    exporter = EXPORTERS[job.kind](job.quiz, show_phones=access.can_see_phones(job.created_by, job.quiz))
    path = Path(export_storage().path(f"{uuid.uuid4().hex}.xlsx"))
    try:
        total = exporter.count()
        beat(rows_total=total)
        written = write_xlsx(exporter, path, progress=lambda n: beat(rows_done=n))
    except ClaimLost:
        path.unlink(missing_ok=True)
        return False
    except Exception as exc:
        path.unlink(missing_ok=True)
        record(status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    recorded = record(
        status=ExportJob.Status.DONE,
        rows_done=written,
        rows_total=max(total, written),
        file=path.name,
        finished_at=timezone.now(),
    )
    if recorded != 1:  # the claim ran out while the file was being saved: the retry's file is the one
        path.unlink(missing_ok=True)
        return False
    return True


def recover_stale_exports(now: datetime.datetime | None = None) -> dict[str, int]:
    """Take over the exports whose worker died (no heartbeat for a lease): run again, up to the allowed attempts, or
    marked failed with a message saying what to do. A queued job whose task was lost is queued again. Returns the
    counts {"requeued": …, "failed": …}."""
    return sweep_stale_jobs(
        ExportJob,
        lease=export_lease(),
        max_attempts=export_max_attempts(),
        failed_error=lambda attempts: (
            _("导出中断：后台任务已停止（已尝试 %(attempts)s 次），请重新导出。") % {"attempts": attempts}
        ),
        enqueue=_enqueue_export,
        now=now or timezone.now(),
        rows_done=0,
    )


def export_path(job: ExportJob) -> Path:
    """Where a job's file is; a name that would leave the export root raises SuspiciousFileOperation."""
    return Path(export_storage().path(job.file))
