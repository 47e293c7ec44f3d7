"""Week summaries: who writes which, saving versions, submitting upward, mailing the docx, deadlines, reminders."""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Org, Week
from reporting.models.summaries import Summary, SummaryPicture, SummaryReminder, SummarySubmission, SummaryVersion
from reporting.summary.docx import DocPicture, SummaryDocument, SummaryDocx, embeddable_picture
from reporting.summary.wordcount import count_document

logger = logging.getLogger(__name__)

SCHEDULE_REMINDERS = "reporting:summary-reminders"
SCHEDULE_MAIL_RETRY = "reporting:summary-mail-retry"
SENDING_LEASE = datetime.timedelta(minutes=10)  # far above EMAIL_TIMEOUT: a live sender is never overtaken


def reminder_lead() -> datetime.timedelta:
    """How long before the deadline orgs that have not submitted are reminded."""
    return datetime.timedelta(hours=int(getattr(settings, "SUMMARY_REMINDER_HOURS", 24)))


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back off 1, 2, 4 … minutes between mail attempts, at most an hour; a mail is retried until it goes."""
    return datetime.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


# -- who writes which summary ----------------------------------------------------------------------------------


def expected_orgs(week: Week):
    """The orgs that send their summary to this week's organizer: its daily reporters, else its children."""
    orgs = list(week.report_orgs.all().order_by("path"))
    if not orgs:
        orgs = list(week.organizer.children.all().order_by("path"))
    return [org for org in orgs if org.pk != week.organizer_id]


def summary_week_for(week: Week, org: Org) -> Week:
    """The week an org's summary to week's organizer belongs to: the org's own child week if it runs one."""
    if org.pk == week.organizer_id:
        return week
    own = Week.objects.filter(parent=week, organizer=org).order_by("pk").first()
    return own or week


def can_write_summary(week: Week, org: Org) -> bool:
    """An org writes a summary of a week it organizes under a parent week, or of a week run above it."""
    if org.pk == week.organizer_id:
        return week.parent_id is not None
    return org.is_within(week.organizer)


def weeks_to_summarize(org: Org) -> list[Week]:
    """The weeks whose summary this org writes: its own child weeks, and the weeks above that expect it."""
    own = list(Week.objects.filter(organizer=org, parent__isnull=False).select_related("organizer", "parent"))
    replaced = {week.parent_id for week in own}
    ancestors = [code for code in org.path.strip("/").split("/") if code and code != org.code]
    above = (
        Week.objects.filter(organizer__code__in=ancestors)
        .exclude(pk__in=replaced)
        .select_related("organizer", "parent")
        .prefetch_related("report_orgs")
    )
    expected = []
    for week in above:
        reporters = {o.pk for o in week.report_orgs.all()}
        if org.pk in reporters or (not reporters and org.parent_id == week.organizer_id):
            expected.append(week)
    return sorted(own + expected, key=lambda w: (w.start_date, w.slug), reverse=True)


# -- access --------------------------------------------------------------------------------------------------------


@dataclass
class SummaryAccess:
    week: Week
    org: Org
    summary: Summary | None
    can_edit: bool


def get_summary_for_user(user, slug: str, code: str) -> SummaryAccess:
    """The summary of (week, org) as the user may see it; Http404 for outsiders.

    The org's own users edit it; users of the orgs above it (the receiving org first) read it once submitted.
    """
    week = Week.objects.select_related("organizer", "parent__organizer").filter(slug=slug).first()
    org = Org.objects.filter(code=code).first()
    if week is None or org is None or not user.is_authenticated or not can_write_summary(week, org):
        raise Http404
    if not user.can_see_org(org):
        raise Http404
    summary = (
        Summary.objects.select_related("week__organizer", "week__parent__organizer", "org", "updated_by")
        .filter(week=week, org=org)
        .first()
    )
    can_edit = user.is_superuser or user.org_id == org.pk
    if not can_edit and (summary is None or not summary.submissions.exists()):
        raise Http404
    return SummaryAccess(week, org, summary, can_edit)


# -- writing -------------------------------------------------------------------------------------------------------


def document_for(summary: Summary, version: SummaryVersion | None = None) -> SummaryDocument:
    """What the exported document holds, for the current state or a saved version."""
    if version is None:
        pictures = list(summary.pictures.current())
        return SummaryDocument(
            summary.title, summary.body, [DocPicture(_picture_bytes(p), p.caption) for p in pictures]
        )
    # Removed pictures included: a version holds the pictures it was saved with.
    by_id = {p.pk: p for p in summary.pictures.all()}
    kept = [(by_id[item["id"]], item.get("caption", "")) for item in version.pictures if item["id"] in by_id]
    return SummaryDocument(version.title, version.body, [DocPicture(_picture_bytes(p), c) for p, c in kept])


def _picture_bytes(picture: SummaryPicture) -> bytes:
    with picture.image.open("rb") as handle:
        return handle.read()


def render_docx(summary: Summary, version: SummaryVersion | None = None) -> bytes:
    return SummaryDocx(document_for(summary, version)).render()


def docx_filename(summary: Summary) -> str:
    return f"{summary.org.name}{summary.week.title}总结.docx".replace("/", "-")


def _recount(summary: Summary) -> int:
    captions = list(summary.pictures.current().values_list("caption", flat=True))
    summary.char_count = count_document(summary.title, summary.body, captions)
    return summary.char_count


def _version_content(summary: Summary) -> tuple[str, str, list[dict]]:
    pictures = [{"id": p.pk, "caption": p.caption} for p in summary.pictures.current()]
    return summary.title, summary.body, pictures


def _posted_content(summary: Summary, title: str, body: str, captions: dict, drop) -> tuple[str, str, list[dict]]:
    """What saving this post would make of the summary, as _version_content gives it, without writing anything."""
    pictures = [
        {"id": p.pk, "caption": captions[p.pk].strip()[:200] if p.pk in captions else p.caption}
        for p in summary.pictures.current()
        if p.pk not in drop
    ]
    return title.strip(), body.strip(), pictures


def _same_content(a: SummaryVersion, b: SummaryVersion) -> bool:
    return (a.title, a.body, a.pictures) == (b.title, b.body, b.pictures)


def _snapshot(summary: Summary, user, note: str) -> SummaryVersion:
    title, body, pictures = _version_content(summary)
    summary.version += 1
    summary.updated_by = user
    summary.save()
    return SummaryVersion.objects.create(
        summary=summary,
        number=summary.version,
        title=title,
        body=body,
        pictures=pictures,
        char_count=summary.char_count,
        note=note,
        saved_by=user,
    )


@transaction.atomic
def start_summary(week: Week, org: Org, user=None) -> Summary:
    """The org's summary of the week, created with a compiled draft (version 1) the first time."""
    from reporting.summary.compile import compile_draft

    summary = Summary.objects.filter(week=week, org=org).first()
    if summary is not None:
        return summary
    draft = compile_draft(week, org)
    try:
        with transaction.atomic():
            summary = Summary.objects.create(week=week, org=org, title=draft.title, body=draft.body, updated_by=user)
    except IntegrityError:  # created meanwhile by a second request
        return Summary.objects.get(week=week, org=org)
    for order, candidate in enumerate(draft.pictures):
        _add_picture(summary, candidate.content, candidate.caption, order, candidate.source)
    _recount(summary)
    _snapshot(summary, user, _("系统生成初稿"))
    return summary


def _add_picture(summary: Summary, content: bytes, caption: str, order: int, source: str = "") -> SummaryPicture:
    """Store a picture as JPEG or PNG (a WebP daily-report picture is re-encoded: a .docx cannot hold WebP)."""
    ready = embeddable_picture(content)
    picture = SummaryPicture(
        summary=summary,
        caption=caption[:200],
        sort_order=order,
        source=source[:100],
        width=ready.width,
        height=ready.height,
        content_type=ready.content_type,
    )
    name = hashlib.sha1(ready.content).hexdigest()[:16]
    picture.image.save(f"{name}{ready.extension}", ContentFile(ready.content), save=False)
    picture.save()
    return picture


@dataclass
class NewPicture:
    content: bytes
    caption: str
    source: str = ""


@transaction.atomic
def save_summary(
    summary: Summary,
    *,
    title: str,
    body: str,
    captions: dict[int, str] | None = None,
    drop: set[int] | frozenset = frozenset(),
    add: list[NewPicture] | tuple = (),
    user=None,
    note: str = "",
    expected_version: int | None = None,
) -> SummaryVersion:
    """Save the office's text and pictures as a new version (over the limit too: it stays a draft).

    A removed picture is only marked removed, so the versions holding it (submitted ones above all) keep it. Saving
    what the latest version already holds makes no new version and returns that one (a double click, a refused
    submit, a save without changes). With expected_version (the version the editor was opened on), a save based on
    an older version is refused with a DomainError and changes nothing: nobody overwrites a colleague unseen.
    The returned version's `created` says whether this call made it.
    """
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    latest = summary.versions.order_by("-number").first()
    if expected_version is not None and summary.version != expected_version:
        posted = _posted_content(summary, title, body, captions or {}, drop)
        if latest is not None and not add and (latest.title, latest.body, latest.pictures) == posted:
            latest.created = False
            return latest  # the same as what is saved (a second click of one form): nothing is overwritten
        raise DomainError(
            _(
                "这份总结已被他人修改并保存（现为第 %(current)s 版，您编辑的是第 %(mine)s 版）。为避免覆盖，"
                "您的修改没有保存，文字仍保留在下面：请另开窗口查看最新内容，合并后再保存。"
            )
            % {"current": summary.version, "mine": expected_version}
        )
    summary.title, summary.body = title.strip(), body.strip()
    now = timezone.now()
    pictures = list(summary.pictures.current())
    for picture in pictures:
        if picture.pk in drop:
            picture.removed_at = now
            picture.save(update_fields=["removed_at"])
        elif captions and picture.pk in captions and captions[picture.pk] != picture.caption:
            picture.caption = captions[picture.pk].strip()[:200]
            picture.save(update_fields=["caption"])
    order = max([p.sort_order for p in pictures] + [0]) + 1
    for offset, new in enumerate(add):
        _add_picture(summary, new.content, new.caption.strip(), order + offset, new.source)
    _recount(summary)
    if latest is not None and not add and (latest.title, latest.body, latest.pictures) == _version_content(summary):
        latest.created = False
        return latest  # nothing to save: the same text and pictures as the latest version
    version = _snapshot(summary, user, note or _("保存"))
    version.created = True
    return version


def changed_since(summary: Summary, submission: SummarySubmission | None) -> bool:
    """True when the summary's latest version differs from what the submission sent (a draft to send again)."""
    if submission is None:
        return False
    latest = summary.versions.order_by("-number").first()
    return latest is not None and not _same_content(latest, submission.version)


@transaction.atomic
def restore_version(summary: Summary, number: int, user=None) -> SummaryVersion:
    """Bring back an earlier version's text and captions as a new version."""
    version = SummaryVersion.objects.get(summary=summary, number=number)
    captions = {item["id"]: item.get("caption", "") for item in version.pictures}
    # The version's pictures removed since come back.
    summary.pictures.filter(pk__in=captions, removed_at__isnull=False).update(removed_at=None)
    current = set(summary.pictures.current().values_list("pk", flat=True))
    return save_summary(
        summary,
        title=version.title,
        body=version.body,
        captions=captions,
        drop=current - set(captions),
        user=user,
        note=_("恢复第 %(number)s 版") % {"number": number},
    )


# -- submitting ----------------------------------------------------------------------------------------------------


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
    if last is not None and _same_content(last.version, version):
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
    if mailbox:
        submission_id = submission.pk
        transaction.on_commit(lambda: enqueue_summary_mail(submission_id))
    return submission


def enqueue_summary_mail(submission_id: int) -> None:
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


# -- deadlines -----------------------------------------------------------------------------------------------------


class DeadlineStatus:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    OPEN = "open"

    LABELS = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "未报送（已逾期）", OPEN: "未报送"}
    BADGES = {ON_TIME: "green", LATE: "amber", MISSING: "red", OPEN: ""}


def deadline_status(due_at, first_submitted_at, now: datetime.datetime) -> str:
    """On time, late, missing (past the deadline with nothing) or open (nothing yet, still time)."""
    if first_submitted_at is not None:
        return DeadlineStatus.LATE if due_at and first_submitted_at > due_at else DeadlineStatus.ON_TIME
    if due_at and now > due_at:
        return DeadlineStatus.MISSING
    return DeadlineStatus.OPEN


@dataclass
class BoardRow:
    org: Org
    week: Week
    summary: Summary | None
    first: SummarySubmission | None
    latest: SummarySubmission | None
    status: str

    @property
    def status_label(self) -> str:
        return _(DeadlineStatus.LABELS[self.status])

    @property
    def badge(self) -> str:
        return DeadlineStatus.BADGES[self.status]


def summary_board(week: Week, now: datetime.datetime | None = None) -> list[BoardRow]:
    """Each org expected to send its summary to week's organizer, with its status (constant queries)."""
    now = now or timezone.now()
    orgs = expected_orgs(week)
    own_weeks = {w.organizer_id: w for w in Week.objects.filter(parent=week, organizer__in=orgs)}
    summaries = Summary.objects.filter(
        Q(week=week, org__in=orgs) | Q(week__parent=week, org__in=orgs, week__organizer_id=F("org_id"))
    ).select_related("org", "week")
    by_org = {s.org_id: s for s in summaries}
    submissions: dict[int, list[SummarySubmission]] = {}
    for sub in SummarySubmission.objects.filter(summary__in=summaries).order_by("submitted_at", "pk"):
        submissions.setdefault(sub.summary_id, []).append(sub)
    rows = []
    for org in orgs:
        summary = by_org.get(org.pk)
        subs = submissions.get(summary.pk, []) if summary else []
        first, latest = (subs[0], subs[-1]) if subs else (None, None)
        status = deadline_status(week.summary_due_at, first.submitted_at if first else None, now)
        rows.append(BoardRow(org, own_weeks.get(org.pk, week), summary, first, latest, status))
    return rows


def summary_deadline_status(summary: Summary, now: datetime.datetime | None = None) -> str:
    first = summary.submissions.order_by("submitted_at", "pk").first()
    return deadline_status(summary.due_at, first.submitted_at if first else None, now or timezone.now())


# -- reminders -----------------------------------------------------------------------------------------------------


def send_summary_reminders(now: datetime.datetime | None = None) -> int:
    """Remind by email each org that has not submitted, once per deadline, when the deadline is near.

    The reminder row is made first, then claimed by a conditional update (a lease on next_attempt_at) before the
    mail goes: two runs never both send it, and a failed send stays unsent and is tried again at the next run.
    """
    now = now or timezone.now()
    sent = 0
    weeks = Week.objects.filter(summary_due_at__gt=now, summary_due_at__lte=now + reminder_lead()).select_related(
        "organizer"
    )
    for week in weeks:
        for row in summary_board(week, now):
            if row.status != DeadlineStatus.OPEN or not row.org.email:
                continue
            reminder = _reminder_row(week, row.org, now)
            if reminder is None or not _claim_reminder(reminder, now):
                continue
            if _send_reminder(reminder, week, row, now):
                sent += 1
    return sent


def _reminder_row(week: Week, org: Org, now: datetime.datetime) -> SummaryReminder | None:
    """The unsent reminder of (week, org, deadline), made if need be; None once it was sent."""
    key = {"week": week, "org": org, "due_at": week.summary_due_at}
    reminder = SummaryReminder.objects.filter(**key).first()
    if reminder is None:
        try:
            with transaction.atomic():
                reminder = SummaryReminder.objects.create(**key, email=org.email, created_at=now)
        except IntegrityError:  # made meanwhile by another run
            reminder = SummaryReminder.objects.filter(**key).first()
    if reminder is None or reminder.sent_at is not None:
        return None
    return reminder


def _claim_reminder(reminder: SummaryReminder, now: datetime.datetime) -> bool:
    """Take the unsent reminder for one sending, unless another run holds it or its retry time has not come."""
    return (
        SummaryReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE)
        == 1
    )


def _send_reminder(reminder: SummaryReminder, week: Week, row: "BoardRow", now: datetime.datetime) -> bool:
    due_text = timezone.localtime(week.summary_due_at, LOCAL_TZ).strftime("%Y年%m月%d日 %H:%M")
    try:
        send_mail(
            _("【总结报送提醒】%(week)s总结请于 %(due)s 前报送") % {"week": week.title, "due": due_text},
            _("%(org)s：\n\n%(week)s的活动周总结请于 %(due)s 前报送%(to)s（不超过 %(limit)s 字，图文并茂）。\n")
            % {
                "org": row.org.name,
                "week": row.week.title,
                "due": due_text,
                "to": week.organizer.name,
                "limit": week.summary_char_limit,
            },
            None,
            [reminder.email],
        )
    except Exception as exc:  # down or refusing: kept unsent, tried again at a later run
        attempts = SummaryReminder.objects.filter(pk=reminder.pk).values_list("attempts", flat=True).first() or 1
        SummaryReminder.objects.filter(pk=reminder.pk).update(
            last_error=str(exc)[:2000], next_attempt_at=now + retry_delay(attempts)
        )
        logger.warning("summary reminder %s failed (attempt %s): %s", reminder.pk, attempts, exc)
        return False
    SummaryReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now(), next_attempt_at=None, last_error="")
    return True


# -- schedules -----------------------------------------------------------------------------------------------------


def ensure_summary_schedules() -> None:
    """The periodic django-q2 schedules of summaries (idempotent: run at every migrate)."""
    from django_q.models import Schedule

    periodic = {
        SCHEDULE_REMINDERS: ("reporting.summary.tasks.send_summary_reminders_task", 15),
        SCHEDULE_MAIL_RETRY: ("reporting.summary.tasks.retry_summary_mails_task", 1),
    }
    for name, (func, minutes) in periodic.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1},
        )


# -- pictures to choose from ---------------------------------------------------------------------------------------


def picture_candidates(summary: Summary) -> list[dict]:
    """The highlights' pictures in the org's subtree not chosen yet: {key, caption, source, picture}."""
    from reporting.services import highlights_for
    from reporting.summary.compile import picture_caption

    chosen = set(summary.pictures.current().values_list("source", flat=True))
    out = []
    for highlight in highlights_for(summary.week, summary.org):
        for picture in highlight.pictures.all():
            source = f"亮点图片 {picture.pk}"
            if picture.removed or source in chosen:
                continue
            caption = picture_caption(highlight, picture)
            out.append({"key": f"rp{picture.pk}", "caption": caption[:200], "source": source, "picture": picture})
    return out


def read_candidate(candidates: list[dict], key: str) -> bytes:
    picture = next(c["picture"] for c in candidates if c["key"] == key)
    with picture.image.open("rb") as handle:
        return handle.read()


def picture_content_type(picture: SummaryPicture, handle=None) -> str:
    """The picture's MIME type as found in its bytes when stored; for older rows, read from the bytes now."""
    if picture.content_type:
        return picture.content_type
    from PIL import Image, UnidentifiedImageError

    try:
        if handle is None:
            with picture.image.open("rb") as own, Image.open(own) as image:
                fmt = image.format
        else:
            position = handle.tell()
            with Image.open(handle) as image:
                fmt = image.format
            handle.seek(position)
    except (OSError, UnidentifiedImageError):
        return "application/octet-stream"
    return Image.MIME.get(fmt, "application/octet-stream")


def get_summary_picture(access: SummaryAccess, pk: int) -> SummaryPicture:
    if access.summary is None:
        raise Http404
    """A picture of the summary: any for its editors, only those of a submitted version for the orgs above."""
    picture = SummaryPicture.objects.filter(summary=access.summary, pk=pk).first()
    if picture is None:
        raise Http404
    if not access.can_edit:
        submitted = SummaryVersion.objects.filter(pk__in=access.summary.submissions.values("version_id")).values_list(
            "pictures", flat=True
        )
        if not any(item.get("id") == pk for pictures in submitted for item in pictures):
            raise Http404  # a draft's picture stays with the office
    return picture
