"""Pages of the quiz: public (no account, phone first) and management (login, org-tree permissions)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from eventweek import throttle
from eventweek.errors import DomainError, NotFound
from eventweek.services.access import get_week_for_user, weeks_for_user
from quiz import bank, exporters
from quiz.forms import CodeForm, DrawForm, ExportForm, ImportForm, QuizForm, StartForm
from quiz.models import AccessCode, Attempt, ExportJob, Quiz
from quiz.services import (
    access,
    attempts,
    charts,
    draw,
    paper_html,
    participation,
    public,
    results,
    resume,
    setup,
    sheet,
)
from quiz.services import share_card as share_card_service
from quiz.services import status as quiz_status
from quiz.services.grading import TokenMismatch

logger = logging.getLogger(__name__)

COOKIE_PREFIX = "quiz_attempt_"
COOKIE_AGE = 14 * 24 * 3600


def _cookie_name(quiz: Quiz) -> str:
    return f"{COOKIE_PREFIX}{quiz.pk}"


def _hand_over(request, quiz: Quiz, attempt: Attempt, to: str):
    """Redirect to the attempt's page with its cookie set, so the entry page on this device finds it again."""
    response = redirect(to, attempt.token)
    response.set_cookie(
        _cookie_name(quiz), attempt.token, max_age=COOKIE_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
    )
    return response


# -- public ------------------------------------------------------------------------------------------------------


@require_GET
def ping(request):
    """The trivial view the benchmark measures as the framework's floor."""
    return HttpResponse("ok", content_type="text/plain")


# The participant's three pages are sent gzipped to phones that accept it (a 21 KB paper becomes 4 KB, for about
# 0.2 ms of CPU; static files come precompressed from whitenoise). Safe from BREACH: the one secret on these pages an
# attacker could want is the CSRF token, which Django masks afresh on every response, and no text an attacker chooses
# is written into them (the attempt's token and signed sheet are already in the URL the attacker would need to know;
# the name shown is the participant's own). Django's GZipMiddleware also pads each response with random bytes.
@gzip_page
def entry(request, slug):
    # Starts per client address are limited generously (a whole building may share one address): a script hammering
    # the start form gets a 429 before any work is done.
    if request.method == "POST" and not throttle.allow(
        "quiz-start", throttle.client_address(request), settings.QUIZ_START_RATE
    ):
        message = _("同一网络开始答题的次数太多，请 %(minutes)d 分钟后再试。") % {
            "minutes": max(1, settings.QUIZ_START_RATE[1] // 60)
        }
        return render(request, "429.html", {"message": message}, status=429)
    quiz = public.get_public_quiz(slug)
    now = timezone.now()
    form = StartForm(request.POST or None, quiz=quiz)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = attempts.start_attempt(
                quiz,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                org=form.cleaned_data["org"],
                now=now,
            )
        except DomainError as exc:
            # A refused start may be the same person back on another browser (quiz.services.resume).
            try:
                attempt = resume.reopen_same_person(quiz, **form.cleaned_data, now=now)
            except (DomainError, ValidationError) as better:
                form.add_error(None, better)
            else:
                if attempt is not None:
                    return _hand_over(request, quiz, attempt, "quiz:paper")
                form.add_error(None, str(exc))
        else:
            return _hand_over(request, quiz, attempt, "quiz:paper")
    # Only a page that is shown looks up the attempt this phone already has (a successful start never does).
    existing = access.attempt_of_cookie(quiz, request.COOKIES.get(_cookie_name(quiz)))
    status = quiz_status.window_status(quiz, now)
    start, end = quiz.local_window()
    sms = public.has_sms_channel(quiz)
    context = {
        "quiz": quiz,
        "form": form,
        "existing": existing,
        "status": status,
        "start": start,
        "end": end,
        "sms": sms,
    }
    if request.method == "GET" and existing is None and not _may_have_messages(request):
        # A first visit's page is the same for every visitor but its CSRF token: rendered once per hold of the quiz
        # with a slot where the token goes, then filled in for each visitor (same bytes as rendering it).
        page = public.held_page(
            ("entry", slug, status, sms),
            lambda: render_to_string("quiz/entry.html", {**context, "csrf_token": _CSRF_SLOT}, request),
        )
        return HttpResponse(page.replace(_CSRF_SLOT, get_token(request)))
    return render(request, "quiz/entry.html", context, status=400 if request.method == "POST" else 200)


_CSRF_SLOT = "\x00csrf\x00"


def _may_have_messages(request) -> bool:
    """Whether a page could have messages to show this visitor: they are kept in a cookie, or in the session when
    too many for it (the default FallbackStorage)."""
    return CookieStorage.cookie_name in request.COOKIES or settings.SESSION_COOKIE_NAME in request.COOKIES


def by_code(request, slug, purpose):
    """继续作答 / 查询成绩 on another device: the phone, a code sent to it by SMS, then the attempt on this device."""
    quiz = public.get_public_quiz(slug)
    purpose = AccessCode.Purpose(purpose)  # fixed by the URL pattern
    form = CodeForm(request.POST or None)
    sent_to = ""
    if request.method == "POST":
        if not throttle.allow("quiz-code", throttle.client_address(request), settings.QUIZ_START_RATE):
            return render(request, "429.html", {"message": _("同一网络请求验证码的次数太多，请稍后再试。")}, status=429)
        if form.is_valid():
            phone, code = form.cleaned_data["phone"], form.cleaned_data["code"]
            try:
                if request.POST.get("action") == "verify":
                    attempt = resume.redeem_code(quiz, phone, code, purpose)
                    to = "quiz:paper" if purpose == AccessCode.Purpose.RESUME else "quiz:result"
                    return _hand_over(request, quiz, attempt, to)
                sent_to = resume.send_code(quiz, phone, purpose)
            except (DomainError, ValidationError) as exc:
                form.add_error(None, exc)
            else:
                form = CodeForm(initial={"phone": phone})
    verifying = bool(sent_to) or (request.POST.get("action") == "verify" and "phone" not in form.errors)
    return render(
        request,
        "quiz/by_code.html",
        {
            "quiz": quiz,
            "form": form,
            "purpose": purpose,
            "sms": public.has_sms_channel(quiz),
            "sent_to": sent_to,
            "verifying": verifying,
        },
        status=400 if form.errors else 200,
    )


# Never stored: the back button after 交卷 asks again, and a submitted attempt's paper redirects to its result.
@never_cache
@gzip_page  # see entry
def paper(request, token):
    attempt = attempts.finalize_if_expired(access.get_attempt(token))
    if attempt.is_submitted:
        return redirect("quiz:result", attempt.token)
    now = timezone.now()
    remaining = max(0, int((attempt.deadline - now).total_seconds()))
    questions = attempts.paper_questions(attempt)
    return render(
        request,
        "quiz/paper.html",
        {
            "quiz": attempt.quiz,
            "attempt": attempt,
            "questions": questions,
            "blocks": paper_html.paper_blocks(attempt.quiz_id, attempt.quiz.bank_version, questions),
            "answered": {q["number"] for q in questions if any(o["checked"] for o in q["options"])},
            "sheet": sheet.sheet_for(attempt),
            "remaining": remaining,
            "save_every": settings.QUIZ_AUTOSAVE_SECONDS,
            "error": request.GET.get("e") == "1",
        },
    )


# The paper's writes are authorized by the attempt's unguessable token in the URL, never by a cookie or a login, so a
# cross-site request can do nothing the token's holder could not do directly: CSRF protection has nothing to protect
# here, and its check took about a tenth of the submit's time in the worker.
@csrf_exempt
def save(request, token):
    """Autosave (quiz.js posts the form here at most every QUIZ_AUTOSAVE_SECONDS, and by sendBeacon, the same multipart
    post without a reply read, when the page is left); answers JSON with the time left, and JSON with a Chinese
    message on every error, since quiz.js shows the message and an HTML error page would read as a lost network."""
    if request.method != "POST":
        response = _save_error(_("自动保存只接受 POST 请求。"), 405)
        response["Allow"] = "POST"
        return response
    try:
        saved = attempts.autosave(token, request.POST)
    except NotFound:
        return _save_error(_("没有这份答卷。"), 404)
    except TokenMismatch as exc:
        return _save_error(str(exc), 403)
    except DomainError as exc:
        return _save_error(str(exc), 400)
    except PermissionDenied:
        return _save_error(_("没有权限保存这份答卷。"), 403)
    except (SuspiciousOperation, MultiPartParserError, UnreadablePostError):
        # A body Django refuses to read: too many fields, too large, malformed multipart, cut off.
        return _save_error(_("提交的内容无法读取，答案未保存，请刷新页面后重试。"), 400)
    except Exception:
        logger.exception("autosave of %s failed", token[:8])
        return _save_error(_("服务器出错，答案未保存，请稍后再试。"), 500)
    remaining = max(0, int((saved.deadline - timezone.now()).total_seconds()))
    return JsonResponse(
        {"ok": True, "saved_at": timezone.localtime(saved.saved_at).strftime("%H:%M:%S"), "remaining": remaining}
    )


def _save_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message}, status=status)


@csrf_exempt  # see save
@require_POST
def submit(request, token):
    """The busiest write of the quiz: one read, grading in Python, one conditional update, then a redirect."""
    try:
        _pk, late = attempts.close_attempt(token, request.POST)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("quiz:paper", token)
    if late:
        messages.warning(request, _("已超过答题时限，最后一次提交的答案未计入，按时限内已保存的答案评分。"))
    return HttpResponseRedirect(_result_url(token))


_RESULT_URLS: dict[str, tuple[str, str]] = {}


def _result_url(token: str) -> str:
    """reverse("quiz:result", token) without resolving the pattern on every submit (cached per script prefix; the
    token is one the database or the signed sheet vouched for, and URL-safe by construction)."""
    prefix = get_script_prefix()
    parts = _RESULT_URLS.get(prefix)
    if parts is None:
        head, _marker, tail = reverse("quiz:result", args=["TOKEN"]).rpartition("TOKEN")
        parts = _RESULT_URLS[prefix] = (head, tail)
    return parts[0] + token + parts[1]


@gzip_page  # see entry
def result(request, token):
    """The score, the rank in the leaderboard's order (one query off the leaderboard's index), the share card, and
    the review as configured."""
    attempt = attempts.finalize_if_expired(access.get_attempt(token))
    if not attempt.is_submitted:
        return redirect("quiz:paper", attempt.token)
    quiz = attempt.quiz
    show = quiz.answers_visible()
    return render(
        request,
        "quiz/result.html",
        {
            "quiz": quiz,
            "attempt": attempt,
            "show_review": show,
            "review": paper_html.review_blocks(quiz.pk, quiz.bank_version, results.review(attempt)) if show else "",
            "eligible": attempt.score >= quiz.prize_threshold,
            "standing": results.standing(attempt),
        },
    )


def share_card(request, token):
    """The result's share card (PNG), keyed by the attempt's token like the result page; 404 until submitted."""
    attempt = attempts.finalize_if_expired(access.get_attempt(token))
    response = HttpResponse(share_card_service.draw_card(attempt), content_type="image/png")
    # The rank moves as others finish: a minute in the phone's own cache, never in a shared one.
    patch_cache_control(response, private=True, max_age=60)
    return response


# -- management --------------------------------------------------------------------------------------------------


def _managed_quiz(request, pk) -> Quiz:
    return access.get_quiz_for_user(request.user, pk)


def _admin_or_message(request) -> bool:
    try:
        access.require_quiz_admin(request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    return True


@login_required
def manage_index(request):
    weeks = weeks_for_user(request.user).order_by("-start_date", "slug").prefetch_related("quizzes")
    return render(request, "quiz/manage/index.html", {"weeks": weeks})


@login_required
def manage_week(request, slug):
    week = get_week_for_user(request.user, slug)
    if request.method == "POST":
        if _admin_or_message(request):
            try:
                quiz = setup.create_quiz_for_week(week, request.user)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已创建竞答，请导入题库并检查设置。"))
                return redirect("quiz:manage_quiz", quiz.pk)
        return redirect("quiz:manage_week", week.slug)
    quizzes = access.quizzes_of_week(week)
    return render(request, "quiz/manage/week.html", {"week": week, "quizzes": quizzes})


@login_required
def manage_quiz(request, pk):
    quiz = _managed_quiz(request, pk)
    counts = access.quiz_counts(quiz)
    start, end = quiz.local_window()
    public_url = request.build_absolute_uri(quiz.get_absolute_url())
    return render(
        request,
        "quiz/manage/quiz.html",
        {
            "quiz": quiz,
            "counts": counts,
            "start": start,
            "end": end,
            "public_url": public_url,
            "shortfalls": [m for _f, m in setup.paper_shortfalls(quiz, quiz.paper_spec, quiz.question_count)],
            "tab": "overview",
        },
    )


@login_required
def manage_settings(request, pk):
    quiz = _managed_quiz(request, pk)
    form = QuizForm(request.POST or None, instance=quiz, week=quiz.week)
    if request.method == "POST" and _admin_or_message(request) and form.is_valid():
        try:
            with transaction.atomic():
                setup.save_quiz(form.save(commit=False), user=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("竞答设置已保存。"))
            return redirect("quiz:manage_quiz", quiz.pk)
    return render(request, "quiz/manage/settings.html", {"quiz": quiz, "form": form, "tab": "settings"})


@login_required
def manage_bank(request, pk):
    quiz = _managed_quiz(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and _admin_or_message(request):
        if request.POST.get("action") == "sample":
            added = setup.load_sample_bank(quiz)
            messages.success(request, _("已加入示范题库中的 %(n)d 道题。") % {"n": added})
            return redirect("quiz:manage_bank", quiz.pk)
        if form.is_valid():
            try:
                added = bank.import_bank(quiz, form.cleaned_data["file"], user=request.user)
            except bank.BankImportError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("已导入 %(n)d 道题。") % {"n": added})
                return redirect("quiz:manage_bank", quiz.pk)
    questions = access.questions_of_quiz(quiz)
    return render(
        request,
        "quiz/manage/bank.html",
        {"quiz": quiz, "form": form, "errors": errors, "questions": questions, "tab": "bank"},
        status=400 if errors else 200,
    )


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def bank_template(request, pk):
    _managed_quiz(request, pk)
    return _xlsx_response(bank.template_xlsx(), "question-bank-template.xlsx")


@login_required
def bank_export(request, pk):
    quiz = _managed_quiz(request, pk)
    return _xlsx_response(bank.export_bank_xlsx(quiz), f"{quiz.slug}-bank.xlsx")


@login_required
def manage_leaderboard(request, pk):
    quiz = _managed_quiz(request, pk)
    return render(
        request,
        "quiz/manage/leaderboard.html",
        {
            "quiz": quiz,
            "rows": results.leaderboard(quiz, 100),
            "awaiting": results.awaiting_grade(quiz),
            "show_phones": access.can_see_phones(request.user, quiz),
            "tab": "leaderboard",
        },
    )


@login_required
def manage_participation(request, pk):
    quiz = _managed_quiz(request, pk)
    data = participation.quiz_participation(quiz)
    return render(
        request,
        "quiz/manage/participation.html",
        {
            "quiz": quiz,
            "data": data,
            "charts": charts.participation_charts(data),
            "score_chart": charts.score_chart(quiz),
            "tab": "participation",
        },
    )


@login_required
def manage_questions(request, pk):
    quiz = _managed_quiz(request, pk)
    sort = request.GET.get("sort", "order")
    descending = request.GET.get("dir") == "desc"
    rows = results.sort_question_stats(results.question_stats(quiz), sort, descending)
    return render(
        request,
        "quiz/manage/questions.html",
        {
            "quiz": quiz,
            "rows": rows,
            "chart": charts.question_rate_chart(rows),
            "sort": sort if sort in results.QUESTION_SORTS else "order",
            "descending": descending,
            "tab": "questions",
        },
    )


@login_required
def manage_draw(request, pk):
    quiz = _managed_quiz(request, pk)
    form = DrawForm(request.POST or None, initial={"prize_count": quiz.prize_count})
    if request.method == "POST" and _admin_or_message(request) and form.is_valid():
        try:
            drawn = draw.run_draw(
                quiz, prize_count=form.cleaned_data["prize_count"], seed=form.cleaned_data["seed"], user=request.user
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("quiz:manage_draw_detail", quiz.pk, drawn.pk)
    draws = access.draws_of_quiz(quiz)
    return render(request, "quiz/manage/draw.html", {"quiz": quiz, "form": form, "draws": draws, "tab": "draw"})


@login_required
def manage_draw_detail(request, pk, draw_id):
    quiz, recorded = access.get_draw_for_user(request.user, pk, draw_id)
    return render(
        request,
        "quiz/manage/draw_detail.html",
        {
            "quiz": quiz,
            "draw": recorded,
            "winners": draw.draw_winners(recorded),
            "verified": draw.verify_draw(recorded),
            "show_phones": access.can_see_phones(request.user, quiz),
            "tab": "draw",
        },
    )


@login_required
def manage_exports(request, pk):
    quiz = _managed_quiz(request, pk)
    form = ExportForm(request.POST or None)
    show_phones = access.can_see_phones(request.user, quiz)
    if request.method == "POST" and form.is_valid():
        try:
            job = exporters.start_export(quiz, form.cleaned_data["kind"], request.user)
        except DomainError as exc:
            form.add_error("kind", str(exc))
        else:
            return redirect("quiz:manage_export", quiz.pk, job.pk)
    jobs = access.exports_of_quiz(quiz)
    return render(
        request,
        "quiz/manage/exports.html",
        {"quiz": quiz, "form": form, "jobs": jobs, "show_phones": show_phones, "tab": "exports"},
        status=400 if form.errors else 200,
    )


@login_required
def manage_export(request, pk, job_id):
    quiz, job = access.get_export_for_user(request.user, pk, job_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "label": job.get_status_display(),
                "percent": job.percent,
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "error": job.error,
            }
        )
    can_download = job.kind != ExportJob.Kind.ATTEMPTS or access.can_see_phones(request.user, quiz)
    return render(
        request, "quiz/manage/export.html", {"quiz": quiz, "job": job, "can_download": can_download, "tab": "exports"}
    )


@login_required
def export_download(request, pk, job_id):
    _quiz, job = access.get_export_for_user(request.user, pk, job_id, download=True)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("文件尚未生成。"))
    path = exporters.export_path(job)
    if not path.exists():
        raise Http404(_("文件已被清理，请重新导出。"))
    exporters.record_download(job, request.user)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename)
