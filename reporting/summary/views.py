"""Summary pages: my summaries, the editor, versions, the docx, and the upper level's board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eventweek.errors import DomainError, NotFound
from eventweek.xlsx import content_disposition
from reporting.models.summaries import Summary, SummaryPdfJob, SummarySubmission
from reporting.summary.forms import SummaryForm
from reporting.summary.services import access as summary_access
from reporting.summary.services import deadlines, editing, pdf, submission


def _edit_url(week, org):
    return reverse("reporting:summary_edit", args=[week.slug, org.code])


@login_required
def summary_index(request):
    """The summaries the user's org writes, and the boards of the weeks it receives summaries for."""
    user = request.user
    rows = []
    if user.org_id:
        weeks = summary_access.weeks_to_summarize(user.org)
        summaries = summary_access.own_summaries(user.org, weeks)
        now = timezone.now()
        for week in weeks:
            summary = summaries.get(week.pk)
            receiving = Summary.receiving_week_for(week, user.org)
            subs = sorted(summary.submissions.all(), key=lambda s: s.submitted_at) if summary else []
            status = deadlines.deadline_status(
                receiving.summary_due_at if receiving else None, subs[0].submitted_at if subs else None, now
            )
            rows.append(
                {
                    "week": week,
                    "summary": summary,
                    "receiving": receiving,
                    "status": status,
                    "label": deadlines.status_label(status),
                    "badge": status.badge,
                }
            )
    boards = summary_access.board_weeks_for_user(user)
    return render(request, "reporting/summary/index.html", {"rows": rows, "boards": boards})


@login_required
def summary_edit(request, slug, code):
    """The editor for the org's own users; a read-only page for the orgs above once it is submitted."""
    access = summary_access.get_summary_for_user(request.user, slug, code)
    if not access.can_edit:
        return _detail(request, access)
    if access.summary is None:
        # Nothing is made by opening the page (a crawler, a look): the draft is compiled on the button's POST.
        if request.method == "POST" and request.POST.get("action") == "start":
            editing.start_summary(access.week, access.org, request.user)
            messages.success(request, _("已生成初稿（第 1 版），请修改后保存或报送。"))
            return redirect(_edit_url(access.week, access.org))
        receiving = Summary.receiving_week_for(access.week, access.org)
        return render(
            request,
            "reporting/summary/start.html",
            {"week": access.week, "org": access.org, "receiving": receiving},
        )
    summary = access.summary
    if request.method == "POST" and request.POST.get("action") == "start":
        return redirect(_edit_url(access.week, access.org))  # made already (a second click)
    pictures = list(summary.pictures.current())
    candidates = editing.picture_candidates(summary)
    form = SummaryForm(
        request.POST or None,
        request.FILES or None,
        pictures=pictures,
        candidates=candidates,
        initial={"title": summary.title, "body": summary.body, "version": summary.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            return _save(request, access, summary, form, candidates)
        except DomainError as exc:  # opened on an older version: nothing saved, the text stays in the form
            form.add_error(None, str(exc))
            summary.refresh_from_db()
    return render(request, "reporting/summary/edit.html", _context(summary, form=form, candidates=candidates))


def _save(request, access, summary, form, candidates):
    """Save the editor's post (and submit it on 报送), say what happened, and go back to the editor."""
    submitting = request.POST.get("action") == "submit"
    opened_on = form.cleaned_data["version"]
    # One transaction holds the summary's row lock from saving to submitting: a second identical click waits,
    # then finds that version submitted and unchanged (no new version, no second submission).
    with transaction.atomic():
        version = editing.save_summary(
            summary,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            captions=form.captions(),
            drop=form.dropped(),
            add=form.new_pictures(lambda key: editing.read_candidate(candidates, key)),
            user=request.user,
            expected_version=opened_on,
        )
        refused = sent = None
        if submitting:
            try:
                sent = submission.submit_summary(summary, request.user)
            except DomainError as exc:  # the save stands: submit_summary rolled back only its own savepoint
                refused = exc
    summary.refresh_from_db()
    if submitting:
        if refused is not None:
            messages.error(request, str(refused))
        elif sent.is_late:
            messages.warning(
                request, _("已报送（第 %(n)s 版），已超过截止时间，记为逾期报送。") % {"n": version.number}
            )
        else:
            messages.success(
                request, _("已报送（第 %(n)s 版）至%(to)s。") % {"n": version.number, "to": sent.to_org.name}
            )
    elif not version.created:
        messages.info(request, _("内容没有修改，未生成新版本（仍为第 %(n)s 版）。") % {"n": version.number})
    elif summary.is_over_limit:
        messages.warning(
            request,
            _("已保存为草稿（第 %(n)s 版）。共 %(count)s 字，超出上限 %(excess)s 字，删减后才能报送。")
            % {"n": version.number, "count": summary.char_count, "excess": summary.excess},
        )
    else:
        messages.success(
            request,
            _("已保存（第 %(n)s 版），共 %(count)s 字。") % {"n": version.number, "count": summary.char_count},
        )
    return redirect(_edit_url(access.week, access.org))


def _context(summary, **extra):
    submissions = list(
        summary.submissions.select_related("version", "submitted_by", "to_org").order_by("-submitted_at", "-pk")
    )
    first = min(submissions, key=lambda s: s.submitted_at) if submissions else None
    status = deadlines.deadline_status(summary.due_at, first.submitted_at if first else None, timezone.now())
    last = submissions[0] if submissions else None
    return {
        "summary": summary,
        "last_submission": last,
        "changed_since_submission": editing.changed_since(summary, last),
        "week": summary.week,
        "org": summary.org,
        "submissions": submissions,
        "status": status,
        "status_label": deadlines.status_label(status),
        "status_badge": status.badge,
        "receiving": summary.receiving_week,
        # Named in the 报送 confirmation (static/js/confirm.js): which mailbox the summary is emailed to.
        "receiving_mailbox": summary.receiving_week.summary_mailbox_for(summary.org) if summary.receiving_week else "",
        "has_pdf": pdf.pdf_available(),
        "remaining": max(0, summary.char_limit - summary.char_count),
        **extra,
    }


def _detail(request, access):
    summary = access.summary
    latest = summary.submissions.select_related("version").order_by("-submitted_at", "-pk").first()
    version = latest.version
    by_id = {p.pk: p for p in summary.pictures.all()}
    pictures = [(by_id[item["id"]], item.get("caption", "")) for item in version.pictures if item["id"] in by_id]
    return render(
        request,
        "reporting/summary/detail.html",
        _context(summary, version=version, lines=version.body.splitlines(), pictures=pictures),
    )


@login_required
def summary_docx(request, slug, code):
    """The .docx of the current text (the office) or of the submitted version (the orgs above); ?version=N."""
    access = summary_access.get_existing_summary_for_user(request.user, slug, code)
    number = request.GET.get("version")
    version = summary_access.get_version_for_user(access, int(number) if number and number.isdigit() else None)
    data = editing.render_docx(access.summary, version)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = _disposition(editing.docx_filename(access.summary))
    return response


@login_required
@require_POST
def summary_pdf(request, slug, code):
    """Start a PDF of what the user sees (LibreOffice runs in a task, not here) and go to its progress page."""
    access = summary_access.get_existing_summary_for_user(request.user, slug, code)
    if not pdf.pdf_available():
        raise NotFound(_("本机未安装 LibreOffice，无法导出 PDF。"))
    job = pdf.start_pdf_job(access, summary_access.get_version_for_user(access, None), request.user)
    return redirect("reporting:summary_pdf_job", access.week.slug, access.org.code, job.pk)


@login_required
def summary_pdf_job(request, slug, code, job_id):
    """The PDF job's progress page; ?format=json for the page's polling."""
    access = summary_access.get_existing_summary_for_user(request.user, slug, code)
    job = pdf.get_pdf_job_for_user(access, job_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": job.status, "label": job.get_status_display(), "percent": job.percent, "error": job.error}
        )
    return render(
        request,
        "reporting/summary/pdf.html",
        {
            "summary": access.summary,
            "week": access.week,
            "org": access.org,
            "job": job,
            "done": SummaryPdfJob.Status.DONE,
        },
    )


@login_required
def summary_pdf_download(request, slug, code, job_id):
    """The finished PDF of a job."""
    access = summary_access.get_existing_summary_for_user(request.user, slug, code)
    job = pdf.get_pdf_job_for_user(access, job_id)
    response = HttpResponse(pdf.pdf_path(job).read_bytes(), content_type="application/pdf")  # a few hundred KB
    response["Content-Disposition"] = _disposition(job.filename)
    return response


def _disposition(filename: str) -> str:
    """The Chinese name for browsers that read filename*, and "summary" with the same extension for the others."""
    return content_disposition(filename, fallback_stem="summary")


@login_required
def summary_picture(request, slug, code, pk):
    access = summary_access.get_summary_for_user(request.user, slug, code)
    picture = summary_access.get_summary_picture(access, pk)
    try:
        handle = picture.image.open("rb")
    except FileNotFoundError as exc:
        raise NotFound from exc
    response = FileResponse(handle, content_type=editing.picture_content_type(picture, handle))
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def summary_versions(request, slug, code):
    access = summary_access.get_existing_summary_for_user(request.user, slug, code, edit=True)
    versions = access.summary.versions.select_related("saved_by").order_by("-number")
    submitted = set(access.summary.submissions.values_list("version_id", flat=True))
    return render(
        request,
        "reporting/summary/versions.html",
        {
            "summary": access.summary,
            "week": access.week,
            "org": access.org,
            "versions": versions,
            "submitted": submitted,
        },
    )


@login_required
def summary_version(request, slug, code, number):
    access = summary_access.get_existing_summary_for_user(request.user, slug, code, edit=True)
    version = summary_access.get_version_for_user(access, number)
    return render(
        request,
        "reporting/summary/version.html",
        {
            "summary": access.summary,
            "week": access.week,
            "org": access.org,
            "version": version,
            "lines": version.body.splitlines(),
        },
    )


@login_required
@require_POST
def summary_restore(request, slug, code, number):
    access = summary_access.get_existing_summary_for_user(request.user, slug, code, edit=True)
    summary_access.get_version_for_user(access, number)  # NotFound for a number the summary does not have
    version = editing.restore_version(access.summary, number, request.user)
    if not version.created:
        messages.info(request, _("当前内容与第 %(old)s 版相同，无需恢复。") % {"old": number})
    else:
        messages.success(
            request, _("已恢复第 %(old)s 版的内容，保存为第 %(new)s 版。") % {"old": number, "new": version.number}
        )
    return redirect(_edit_url(access.week, access.org))


@login_required
@require_POST
def summary_resend(request, slug, code, pk):
    access = summary_access.get_summary_for_user(request.user, slug, code, edit=True)
    sent = summary_access.get_submission_for_user(access, pk)
    if submission.resend_now(sent):
        messages.success(request, _("已重新安排发送邮件，请稍后刷新查看发送状态。"))
    elif sent.status == SummarySubmission.MailStatus.SENDING:
        messages.info(request, _("邮件正在发送，请稍后刷新查看。"))
    elif sent.status == SummarySubmission.MailStatus.NONE:
        messages.info(request, _("本次报送没有收件邮箱，无需发送邮件。"))
    else:
        messages.info(request, _("已发送，无需重发。"))
    return redirect(_edit_url(access.week, access.org))


@login_required
def summary_board(request, slug):
    """Which orgs have sent their summary to this week's organizer, on time or late, each one click away."""
    week = summary_access.get_board_week_for_user(request.user, slug)
    rows = deadlines.summary_board(week)
    counts = {key: sum(1 for r in rows if r.status == key) for key in deadlines.SUMMARY_STATUSES}
    return render(request, "reporting/summary/board.html", {"week": week, "rows": rows, "counts": counts})
