"""A participant's attempt: starting it (the phone, the per-phone limit, the paper drawn), its paper page, the
autosave and submit entry points (the statements themselves are in quiz.services.sheet), and finalising attempts
whose time ran out (the close task and the periodic sweep, never a page view)."""

import datetime
import logging
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.dates import cn_datetime
from eventweek.errors import DomainError, NotFound
from eventweek.models import Org
from eventweek.phones import normalize_phone
from quiz.models import LETTERS, Attempt, Question, Quiz
from quiz.services import sheet
from quiz.services.bank_cache import bank_questions, bank_rows
from quiz.services.grading import ANSWER_PREFIX, check_token, clean_answers, grace, is_within_time

logger = logging.getLogger(__name__)

# At most this many expired attempts are finalised by one run of the sweep (the next run takes the rest).
FINALIZE_BATCH = 10000


def draw_paper(quiz: Quiz, rng: random.Random | None = None) -> list[dict]:
    """Pick this attempt's questions (by category as configured) and option orders; never includes answers."""
    rng = rng or random.SystemRandom()
    active = [
        (pk, category, kind, count)
        for pk, (category, kind, _answer, count, is_active) in bank_rows(quiz).items()
        if is_active
    ]
    by_category: dict[str, list] = defaultdict(list)
    for row in active:
        by_category[row[1]].append(row)
    chosen = []
    shortfall = False
    if quiz.paper_spec:
        for category, count in quiz.paper_spec.items():
            pool = by_category.get(category, [])
            shortfall = shortfall or len(pool) < count
            if not shortfall:
                chosen.extend(rng.sample(pool, count))
    elif len(active) < quiz.question_count:
        shortfall = True
    else:
        chosen = rng.sample(active, quiz.question_count)
    if shortfall:
        # The bank is the organizer's: a participant is not told its counts (the settings page and the quiz's overview
        # give them to the organizer, see paper_shortfalls).
        logger.warning("quiz %s: the bank cannot fill a paper of %s", quiz.pk, quiz.paper_spec or quiz.question_count)
        raise DomainError(_("本次竞答的题目尚未准备好，暂时不能开始答题，请稍后再试或联系主办单位。"))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    else:
        order = {row[0]: index for index, row in enumerate(active)}
        chosen.sort(key=lambda row: order[row[0]])
    paper = []
    for pk, _category, kind, option_count in chosen:
        indexes = list(range(option_count))
        if quiz.shuffle_options and kind != Question.Kind.TRUE_FALSE:
            rng.shuffle(indexes)
        paper.append({"q": pk, "o": indexes})
    return paper


def start_attempt(quiz: Quiz, *, name: str, phone: str, org: Org, now: datetime.datetime | None = None) -> Attempt:
    """Start a timed attempt: check the window and the per-phone limit, draw the paper, record the start.

    The (quiz, phone, number) unique constraint is what stops a second attempt when two requests race.
    """
    now = now or timezone.now()
    start, end = quiz.window_start, quiz.window_end
    if start is None or end is None:
        raise DomainError(_("本次竞答尚未设置答题时间。"))
    if now < start:
        raise DomainError(_("竞答尚未开始，开始时间为 %(start)s。") % {"start": cn_datetime(start)})
    if now >= end:
        raise DomainError(_("竞答已于 %(end)s 结束，不能再开始答题。") % {"end": cn_datetime(end, deadline=True)})
    phone = normalize_phone(phone)
    if not org.is_within(quiz.week.organizer):
        raise DomainError(_("所选单位不在本次竞答的范围内。"))
    # With one attempt per person (the default) the unique constraint alone decides: the first attempt is inserted
    # without looking, and only a refused insert looks up why, to say so. With more, the number comes from a count.
    used = 0 if quiz.attempts_per_person == 1 else _check_used(quiz, phone, now)
    paper = draw_paper(quiz)
    deadline = min(now + datetime.timedelta(seconds=quiz.time_limit_seconds), end)
    attempt = Attempt(
        quiz=quiz,
        name=name.strip(),
        phone=phone,
        org=org,
        number=used + 1,
        paper=paper,
        started_at=now,
        deadline=deadline,
        max_score=len(paper) * quiz.points_per_question,
    )
    try:
        if connection.in_atomic_block:  # a savepoint keeps the caller's transaction usable after a lost race
            with transaction.atomic():
                attempt.save(force_insert=True)
        else:  # one INSERT in autocommit: no BEGIN and COMMIT round trips around it
            attempt.save(force_insert=True)
        return attempt
    except IntegrityError:
        _check_used(quiz, phone, now)  # words the refusal when the phone's attempts explain it
        raise DomainError(
            _("该手机号已参加过本次竞答（每人限答 %(n)d 次）。") % {"n": quiz.attempts_per_person}
        ) from None


def _check_used(quiz: Quiz, phone: str, now: datetime.datetime) -> int:
    """How many attempts the phone has used; a DomainError when it has one still open or none left."""
    already = list(Attempt.objects.filter(quiz=quiz, phone=phone).values_list("status", "deadline"))
    if any(status == Attempt.Status.OPEN and deadline > now - grace() for status, deadline in already):
        raise DomainError(_("该手机号有一份未提交的答卷，请在原设备上继续答题。"))
    used = len(already)
    if used >= quiz.attempts_per_person:
        raise DomainError(_("该手机号已参加过本次竞答（每人限答 %(n)d 次）。") % {"n": quiz.attempts_per_person})
    return used


# -- answering ---------------------------------------------------------------------------------------------------


def paper_with_questions(attempt: Attempt):
    """(number on the paper, paper item, question) in paper order, from the bank held for the quiz's version (the
    paper and result pages of every participant show the same questions; shared between threads, so read-only); a
    question deleted since the paper was drawn is left out (its number stays taken)."""
    questions = bank_questions(attempt.quiz_id, attempt.quiz.bank_version)
    for number, item in enumerate(attempt.paper, start=1):
        question = questions.get(item["q"])
        if question is not None:
            yield number, item, question


def shown_options(item: dict, question):
    """(letter shown on this paper, the bank's letter, text) of one paper item's options in display order; an option
    the question has lost since the paper was drawn is left out."""
    for pos, i in enumerate(item["o"]):
        if i < len(question.options):
            yield LETTERS[pos], LETTERS[i], question.options[i]


def paper_questions(attempt: Attempt) -> list[dict]:
    """The attempt's questions in paper order with options in display order; no answer key in here.

    An option posts the letter it is shown under on this paper, never the bank's letter: with shuffled options the
    bank's letters would give away their order (always posting the bank's "A" scored 52% on the demo bank).
    clean_answers maps the shown letter back through the paper (or the signed sheet) to the bank's letter."""
    items = []
    for number, item, question in paper_with_questions(attempt):
        saved = set(attempt.answers.get(str(question.pk), ""))
        options = [
            {"value": shown, "label": shown, "text": text, "checked": letter in saved}
            for shown, letter, text in shown_options(item, question)
        ]
        items.append(
            {
                "number": number,
                "id": question.pk,
                "order": tuple(item["o"]),
                "field": f"{ANSWER_PREFIX}{question.pk}",
                "kind": question.kind,
                "kind_label": question.kind_label,
                "category": question.category,
                "text": question.text,
                "options": options,
                "multiple": question.kind == Question.Kind.MULTIPLE,
            }
        )
    return items


def shown_values(item: dict, letters: str) -> list[str]:
    """What the paper page posts for the bank's letters of one paper item: the letters those options are shown under
    (for scripts that answer as a participant would: the demo data, the benchmark, the tests)."""
    return [LETTERS[item["o"].index(LETTERS.index(letter))] for letter in letters]


@transaction.atomic
def save_answers(token: str, data, now: datetime.datetime | None = None) -> Attempt:
    """Autosave: merge the posted answers into the open attempt, while its time has not run out."""
    now = now or timezone.now()
    try:
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(token=token)
    except Attempt.DoesNotExist:
        raise NotFound(_("没有这份答卷。")) from None
    sheet.remember_facts(attempt.quiz_id, attempt.quiz.bank_version, attempt.quiz.points_per_question)
    check_token(attempt, data)
    if attempt.is_submitted:
        raise DomainError(_("答卷已提交，不能再修改答案。"))
    if not is_within_time(attempt, now):
        raise DomainError(_("已超过答题时限，答案未保存。"))
    attempt.answers = {**attempt.answers, **clean_answers(attempt, data)}
    attempt.saved_at = now
    attempt.save(update_fields=["answers", "saved_at"])
    return attempt


@dataclass(frozen=True)
class Saved:
    """What the paper page shows after an autosave: when it was saved, and the deadline to count down to."""

    saved_at: datetime.datetime
    deadline: datetime.datetime


def autosave(token: str, data, now: datetime.datetime | None = None) -> Saved:
    """Autosave as the paper page posts it (at most every QUIZ_AUTOSAVE_SECONDS, and when the page is left): one
    statement when the post carries the page's signed sheet, otherwise save_answers. Either way the posted answers are
    merged into the saved ones, only while the attempt is open and within its time.

    On PostgreSQL the one statement turns synchronous_commit off for its own transaction (set_config in its WHERE,
    quiz.services.sheet), so its commit does not wait for its WAL to reach the disk. A database crash may lose the last
    moment of autosaves (the phone still holds those answers, and 交卷 posts them all), never corrupts anything; the
    rare fallback without a sheet and the submit stay durable."""
    now = now or timezone.now()
    deadline = sheet.save_from_sheet(token, data, now)
    if deadline is not None:
        return Saved(now, deadline)
    attempt = save_answers(token, data, now)
    return Saved(attempt.saved_at, attempt.deadline)


def close_attempt(
    token: str, data=None, now: datetime.datetime | None = None, *, auto: bool = False
) -> tuple[int | None, bool]:
    """Grade and close an attempt; returns (attempt id or None, whether late answers were ignored). The hot path.

    A post carrying the page's signed sheet is closed by sheet.close_from_sheet in one statement; otherwise (or when
    that misses) by sheet.close_by_reading, which reads the attempt and words any error. Answers posted after the
    limit (plus grace) do not count; saved ones do. Submitting twice is harmless (the first grade stands)."""
    now = now or timezone.now()
    if data is not None and not auto and sheet.close_from_sheet(token, data, now):
        return None, False
    return sheet.close_by_reading(token, data, now, auto=auto)


def submit_attempt(token: str, data=None, now: datetime.datetime | None = None, *, auto: bool = False) -> Attempt:
    """close_attempt, then the attempt as it now stands (for callers that show or count it)."""
    pk, _late = close_attempt(token, data, now, auto=auto)
    return Attempt.objects.get(pk=pk) if pk is not None else Attempt.objects.get(token=token)


def finalize_expired(quiz_id: int | None = None, now: datetime.datetime | None = None) -> int:
    """Submit, with their saved answers, attempts whose time limit (or the window) ran out; return how many."""
    now = now or timezone.now()
    due = Attempt.objects.filter(status=Attempt.Status.OPEN, deadline__lt=now - grace()).order_by()
    if quiz_id is not None:
        due = due.filter(quiz_id=quiz_id)
    done = 0
    for token in list(due.values_list("token", flat=True)[:FINALIZE_BATCH]):
        attempt = submit_attempt(token, None, now, auto=True)
        done += attempt.auto_submitted
    return done


def finalize_if_expired(attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    """Called when an open attempt is opened again: submit it if its time has run out."""
    now = now or timezone.now()
    if not attempt.is_submitted and not is_within_time(attempt, now):
        return submit_attempt(attempt.token, None, now, auto=True)
    return attempt
