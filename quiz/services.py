"""Writes and reads of the quiz: papers, autosave, grading, results, participation, the prize draw."""

import datetime
import json
import logging
import random
import re
import secrets
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from eventweek.db import execute_hot
from eventweek.models import LOCAL_TZ, Activity, Org, Week
from eventweek.services import DomainError, weeks_for_user
from quiz.models import LETTERS, Attempt, ParticipationHour, PrizeDraw, Question, Quiz

# ASCII digits only: `\d` would also match every other script's digits, and each spelling would be another person.
logger = logging.getLogger(__name__)

PHONE_RE = re.compile(r"1[3-9][0-9]{9}")
# What people type between the digits of a phone number (after NFKC, so full-width forms are already ASCII).
_PHONE_SEPARATORS = frozenset(" -.()")
ANSWER_PREFIX = "q_"
# Hours are rolled up only once they are this far in the past: no transaction stays open that long.
ROLLUP_SLACK = datetime.timedelta(minutes=5)
FINALIZE_SCHEDULE = "quiz:finalize-expired"
ROLLUP_SCHEDULE = "quiz:participation-rollup"
EXPORT_SWEEP_SCHEDULE = "quiz:export-sweep"


def grace() -> datetime.timedelta:
    """How long after the time limit a save or submit still counts (network latency, a slow phone)."""
    return datetime.timedelta(seconds=getattr(settings, "QUIZ_GRACE_SECONDS", 10))


# -- access ------------------------------------------------------------------------------------------------------


def quizzes_for_user(user):
    """Quizzes of the weeks the user may manage (the week's organizer is the user's org or below)."""
    return Quiz.objects.filter(week__in=weeks_for_user(user)).select_related("week__organizer", "activity")


def get_quiz_for_user(user, pk: int) -> Quiz:
    """A quiz the user may manage; Quiz.DoesNotExist (a 404) for outsiders."""
    return quizzes_for_user(user).get(pk=pk)


def can_see_phones(user, quiz: Quiz) -> bool:
    """Phone numbers are personal data: in full only for an admin of the quiz week's organizer org (or a
    superuser). Everyone else, on every page and in every export, sees them masked (138****5678)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role == user.Role.ADMIN and user.org_id is not None and user.org_id == quiz.week.organizer_id


def require_phone_access(user, quiz: Quiz) -> None:
    """The attempts export lists every phone in full: only those who may see them start or download it."""
    if not can_see_phones(user, quiz):
        raise DomainError(_("答卷明细含完整手机号，只有主办单位的管理员可以导出。"))


# What every participant's entry page and start read, held for a few seconds per process: the public quiz by slug (with
# week, organizer and activity) and the units of its organizer's subtree. Building those queries took more of the worker
# than the start's own insert. Saving a quiz, week, activity or unit, or changing a bank, in this process forgets them
# at once; other processes follow within QUIZ_CACHE_SECONDS. Shared between threads, so read-only.
_HELD: dict[tuple, tuple[float, object]] = {}


def _held(key: tuple, load):
    held = _HELD.get(key)
    if held is not None and held[0] > time.time():
        return held[1]
    value = load()
    seconds = getattr(settings, "QUIZ_CACHE_SECONDS", 5)
    if seconds > 0:
        _HELD[key] = (time.time() + seconds, value)
    return value


def forget_held(**_signal) -> None:
    """Drop what this process holds of the public quizzes (on any save of what they are built from)."""
    _HELD.clear()


def get_public_quiz(slug: str) -> Quiz:
    """A quiz anyone may take; Quiz.DoesNotExist (a 404) until its week is published."""
    return _held(
        ("quiz", slug),
        lambda: Quiz.objects.select_related("week__organizer", "activity").get(
            slug=slug, week__published_at__isnull=False
        ),
    )


def get_attempt(token: str) -> Attempt:
    """An attempt by its unguessable token; Attempt.DoesNotExist when the token is unknown."""
    return Attempt.objects.select_related("quiz__activity", "quiz__week", "org").get(token=token)


def participant_orgs(quiz: Quiz):
    """The units a participant can pick: the week organizer's subtree."""
    return quiz.week.organizer.descendants().order_by("path")


def participant_units(quiz: Quiz) -> tuple[str, dict[str, Org]]:
    """participant_orgs as the entry form needs them, held: the <option>s of a plain <select> (labels indented by depth
    so the tree reads; a national quiz lists thousands of units, too many to render one template each), and the units
    by id."""

    def load():
        orgs = list(participant_orgs(quiz))
        depth0 = quiz.week.organizer.path.count("/")
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((org.pk, "\u3000" * (org.path.count("/") - depth0) + org.name) for org in orgs),
        )
        return options, {str(org.pk): org for org in orgs}

    return _held(("units", quiz.week.organizer_id), load)


# -- settings ----------------------------------------------------------------------------------------------------


def parse_paper_spec(text: str) -> dict[str, int]:
    """'节能:5\\n节水:5' → {'节能': 5, '节水': 5}; a ValueError with a Chinese message names the bad line."""
    spec: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = re.split(r"[:：]", line)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip().isdigit():
            raise ValueError(
                _("第%(n)d行“%(line)s”格式不对，应为“分类:题数”，如“节能:5”。") % {"n": number, "line": line}
            )
        category, count = parts[0].strip(), int(parts[1].strip())
        if count == 0:
            raise ValueError(_("第%(n)d行：“%(cat)s”的题数必须大于 0。") % {"n": number, "cat": category})
        if category in spec:
            raise ValueError(_("第%(n)d行：分类“%(cat)s”重复。") % {"n": number, "cat": category})
        spec[category] = count
    return spec


def paper_shortfalls(quiz: Quiz, spec: dict[str, int], question_count: int | None) -> list[tuple[str, str]]:
    """Why papers of these settings cannot be drawn from the quiz's bank as it stands: [(settings field, message)],
    empty when they can. For the organizer, who owns the bank, so the messages give its counts."""
    if quiz.pk is None:
        return []
    active = Counter(Question.objects.filter(quiz_id=quiz.pk, active=True).values_list("category", flat=True))
    if spec:
        return [
            (
                "paper_spec_text",
                _("分类“%(cat)s”要抽 %(need)d 道，题库中该分类只有 %(have)d 道启用题目。")
                % {"cat": category, "need": count, "have": active.get(category, 0)},
            )
            for category, count in spec.items()
            if count > active.get(category, 0)
        ]
    have = sum(active.values())
    if question_count is not None and question_count > have:
        return [
            (
                "question_count",
                _("每卷 %(need)d 道题，题库中只有 %(have)d 道启用题目，请先导入题目或减少题数。")
                % {"need": question_count, "have": have},
            )
        ]
    return []


def format_paper_spec(spec: dict[str, int]) -> str:
    return "\n".join(f"{category}:{count}" for category, count in spec.items())


def quiz_activity_for(week: Week) -> Activity | None:
    """The week's own quiz activity, else its parent week's."""
    for candidate in week.ancestry():
        activity = candidate.activities.filter(kind=Activity.Kind.QUIZ).order_by("start").first()
        if activity:
            return activity
    return None


@transaction.atomic
def save_quiz(quiz: Quiz) -> Quiz:
    """Validate and save quiz settings; reschedule the close-time finalization after commit."""
    if quiz.window_start is None or quiz.window_end is None:
        raise DomainError(_("请关联竞答活动，或填写开始时间和结束时间。"))
    if quiz.window_end <= quiz.window_start:
        raise DomainError(_("结束时间必须晚于开始时间。"))
    quiz.full_clean()
    quiz.save()
    quiz_id, run_at = quiz.pk, quiz.window_end + grace() + datetime.timedelta(seconds=1)
    transaction.on_commit(lambda: schedule_close(quiz_id, run_at))
    return quiz


def schedule_close(quiz_id: int, run_at: datetime.datetime) -> None:
    """A one-off django-q2 schedule that submits the attempts still open when the window closes (idempotent)."""
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=f"quiz:close:{quiz_id}",
        defaults={
            "func": "quiz.tasks.close_quiz_task",
            "args": repr((quiz_id,)),
            "schedule_type": Schedule.ONCE,
            "repeats": -1,
            "next_run": run_at,
        },
    )


def ensure_schedules() -> None:
    """Periodic sweeps (idempotent: safe at every migrate): submit attempts whose time ran out, and roll up the
    participation of past hours so no page view pays for it."""
    from django_q.models import Schedule

    for name, func in (
        (FINALIZE_SCHEDULE, "quiz.tasks.finalize_expired_task"),
        (ROLLUP_SCHEDULE, "quiz.tasks.refresh_participation_task"),
    ):
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": 5, "repeats": -1},
        )
    # Exports whose worker died are taken over within minutes (quiz.exporters.recover_stale_exports).
    Schedule.objects.update_or_create(
        name=EXPORT_SWEEP_SCHEDULE,
        defaults={
            "func": "quiz.tasks.recover_exports_task",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )


# -- starting an attempt -----------------------------------------------------------------------------------------


def normalize_phone(phone: str) -> str:
    """The one spelling of a mainland mobile number ("13812345678") that is stored, looked up and made unique; a
    ValueError with a Chinese message when it is not one.

    NFKC first (a full-width １３８… typed on a Chinese input method is ASCII after it), then every other decimal digit
    (Arabic-Indic ١٣٨…, Devanagari…, which NFKC leaves alone) as its ASCII digit, so no script spells a second person;
    then spaces, dashes (any kind), dots, parentheses and invisible format characters go, then a leading +86 or 0086.
    """
    text = unicodedata.normalize("NFKC", phone or "")
    kept = []
    for char in text:
        if char.isdecimal():
            kept.append(str(unicodedata.decimal(char)))
        elif char in _PHONE_SEPARATORS or char.isspace() or unicodedata.category(char) in ("Pd", "Cf"):
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    for prefix in ("+86", "0086"):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    if not PHONE_RE.fullmatch(cleaned):
        raise ValueError(_("手机号应为 11 位数字、以 1 开头，例如 13812345678。"))
    return cleaned


# (quiz id, bank version) → (key rows, the questions as model instances), as bank_rows and _paper_questions read them.
_BANKS: dict[tuple[int, int], tuple[dict[int, tuple], dict[int, Question]]] = {}


def bank_rows(quiz: Quiz) -> dict[int, tuple[str, str, str, int, bool]]:
    """{question id: (category, kind, answer, option count, active)}, cached per process by the bank's version.

    Every change to the bank bumps Quiz.bank_version, and the version is read with the quiz on each request, so a
    cached copy is never used after the bank changed. Keeps the key lookups of a busy quiz off the database.
    """
    return _bank(quiz.pk, quiz.bank_version)


def _bank(quiz_id: int, version: int) -> dict[int, tuple[str, str, str, int, bool]]:
    return _bank_held(quiz_id, version)[0]


def _bank_held(quiz_id: int, version: int) -> tuple[dict[int, tuple], dict[int, Question]]:
    key = (quiz_id, version)
    held = _BANKS.get(key)
    if held is None:
        questions = {q.pk: q for q in Question.objects.filter(quiz_id=quiz_id).order_by("sort_order", "pk")}
        rows = {pk: (q.category, q.kind, q.answer, len(q.options), q.active) for pk, q in questions.items()}
        for older in [k for k in list(_BANKS) if k[0] == quiz_id]:  # one version per quiz: memory follows the banks
            _BANKS.pop(older, None)
        if len(_BANKS) > 64:
            _BANKS.clear()
        held = _BANKS[key] = (rows, questions)
    return held


def bump_bank_version(quiz_id: int) -> None:
    """Invalidate every process's cached copy of the quiz's bank."""
    from quiz.models import new_bank_version

    Quiz.objects.filter(pk=quiz_id).update(bank_version=new_bank_version())
    forget_held()


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
        raise DomainError(
            _("竞答尚未开始，开始时间为 %(start)s。")
            % {"start": timezone.localtime(start, LOCAL_TZ).strftime("%m月%d日 %H:%M")}
        )
    if now >= end:
        raise DomainError(
            _("竞答已于 %(end)s 结束，不能再开始答题。")
            % {"end": timezone.localtime(end, LOCAL_TZ).strftime("%m月%d日 %H:%M")}
        )
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


def _paper_with_questions(attempt: Attempt):
    """(number on the paper, paper item, question) in paper order, from the bank held for the quiz's version (the
    paper and result pages of every participant show the same questions; shared between threads, so read-only); a
    question deleted since the paper was drawn is left out (its number stays taken)."""
    questions = _bank_held(attempt.quiz_id, attempt.quiz.bank_version)[1]
    for number, item in enumerate(attempt.paper, start=1):
        question = questions.get(item["q"])
        if question is not None:
            yield number, item, question


def paper_questions(attempt: Attempt) -> list[dict]:
    """The attempt's questions in paper order with options in display order; no answer key in here.

    An option posts the letter it is shown under on this paper, never the bank's letter: with shuffled options the
    bank's letters would give away their order (always posting the bank's "A" scored 52% on the demo bank).
    clean_answers maps the shown letter back through the paper (or the signed sheet) to the bank's letter."""
    items = []
    for number, item, question in _paper_with_questions(attempt):
        saved = set(attempt.answers.get(str(question.pk), ""))
        options = [
            {"value": LETTERS[pos], "label": LETTERS[pos], "text": question.options[i], "checked": LETTERS[i] in saved}
            for pos, i in enumerate(item["o"])
            if i < len(question.options)
        ]
        items.append(
            {
                "number": number,
                "id": question.pk,
                "field": f"{ANSWER_PREFIX}{question.pk}",
                "kind": question.kind,
                "kind_label": question.get_kind_display(),
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


def paper_keys(attempt: Attempt, bank: dict | None = None) -> dict[int, tuple[str, str]]:
    """{question id: (kind, answer)} for the attempt's paper. Server-side only."""
    bank = bank_rows(attempt.quiz) if bank is None else bank
    return {item["q"]: bank[item["q"]][1:3] for item in attempt.paper if item["q"] in bank}


def clean_answers(attempt: Attempt, data, keys: dict[int, tuple[str, str]] | None = None) -> dict[str, str]:
    """Read q_<id> fields from a POST as the bank's letters; refuse questions not on the paper and options the question
    does not have. A posted value is the letter the option is shown under on this paper (see paper_questions)."""
    on_paper = {str(item["q"]): item for item in attempt.paper}
    keys = paper_keys(attempt) if keys is None else keys
    kinds = {pk: kind for pk, (kind, _answer) in keys.items()}
    numbers = {str(item["q"]): n for n, item in enumerate(attempt.paper, start=1)}
    answers: dict[str, str] = {}
    for key in data:
        if not key.startswith(ANSWER_PREFIX):
            continue
        qid = key[len(ANSWER_PREFIX) :]
        if qid not in on_paper:
            raise DomainError(_("提交的题目（编号 %(id)s）不在您的试卷上，答案未保存。") % {"id": qid})
        values = data.getlist(key) if hasattr(data, "getlist") else list(data[key])
        shown = on_paper[qid]["o"]
        chosen = set()
        for value in values:
            if value == "":
                continue
            position = LETTERS.find(value) if len(value) == 1 else -1
            if not 0 <= position < len(shown):
                raise DomainError(
                    _("第 %(n)d 题的选项“%(v)s”不存在，答案未保存。") % {"n": numbers[qid], "v": value[:10]}
                )
            chosen.add(LETTERS[shown[position]])
        if len(chosen) > 1 and kinds.get(int(qid)) != Question.Kind.MULTIPLE:
            raise DomainError(_("第 %(n)d 题是单选题，只能选一个答案。") % {"n": numbers[qid]})
        answers[qid] = "".join(sorted(chosen))
    return answers


class TokenMismatch(DomainError):
    """The post's hidden token is not the attempt's: the post is not authorized by this attempt (a 403 for JSON)."""


def check_token(attempt: Attempt, data) -> None:
    """The form carries the attempt token in a hidden field; a mismatch means the page was tampered with."""
    if data.get("token") != attempt.token:
        raise TokenMismatch(_("表单中的答卷标识与本答卷不符，请刷新页面后重试。"))


def is_within_time(attempt: Attempt, now: datetime.datetime) -> bool:
    return now <= attempt.deadline + grace()


@transaction.atomic
def save_answers(token: str, data, now: datetime.datetime | None = None) -> Attempt:
    """Autosave: merge the posted answers into the open attempt, while its time has not run out."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(token=token)
    _FACTS[attempt.quiz_id] = (attempt.quiz.bank_version, attempt.quiz.points_per_question)
    check_token(attempt, data)
    if attempt.is_submitted:
        raise DomainError(_("答卷已提交，不能再修改答案。"))
    if not is_within_time(attempt, now):
        raise DomainError(_("已超过答题时限，答案未保存。"))
    attempt.answers = {**attempt.answers, **clean_answers(attempt, data)}
    attempt.saved_at = now
    attempt.save(update_fields=["answers", "saved_at"])
    return attempt


def grade(
    attempt: Attempt,
    answers: dict[str, str],
    keys: dict[int, tuple[str, str]] | None = None,
    points: int | None = None,
) -> tuple[int, int, dict[str, str], list[int]]:
    """Score a paper in pure Python: a question counts only when the chosen set equals the answer set (multiple
    choice all or nothing). Returns (correct count, score, the graded answer to every question on the paper with ""
    when unanswered, the ids of the questions answered correctly in paper order)."""
    keys = paper_keys(attempt) if keys is None else keys
    points = attempt.quiz.points_per_question if points is None else points
    graded: dict[str, str] = {}
    right: list[int] = []
    for item in attempt.paper:
        qid = item["q"]
        key = keys.get(qid)
        if key is None:
            continue
        chosen = "".join(sorted(set(answers.get(str(qid), ""))))
        graded[str(qid)] = chosen
        if chosen and chosen == "".join(sorted(key[1])):
            right.append(qid)
    return len(right), len(right) * points, graded, right


_SUBMIT_RETRIES = 5


@dataclass(frozen=True)
class _Sheet:
    """What grading needs of an attempt, read in one raw query on the hot path (no model instance)."""

    pk: int
    token: str
    paper: list
    answers: dict
    started_at: datetime.datetime
    deadline: datetime.datetime
    status: str
    saved_at: datetime.datetime | None
    late_answers_ignored: bool
    bank_version: int
    points: int

    @property
    def is_submitted(self) -> bool:
        return self.status == Attempt.Status.SUBMITTED


_READ_SHEET = (
    "SELECT a.id, a.token, a.paper, a.answers, a.started_at, a.deadline, a.status, a.saved_at, "
    "a.late_answers_ignored, a.quiz_id, q.bank_version, q.points_per_question "
    "FROM quiz_attempt a INNER JOIN quiz_quiz q ON q.id = a.quiz_id WHERE a.token = %s"
)
_CLAIM = (
    "UPDATE quiz_attempt SET status = %s, answers = %s, correct_questions = %s, submitted_at = %s, "
    "auto_submitted = %s, late_answers_ignored = %s, score = %s, correct_count = %s, duration_ms = %s "
    "WHERE id = %s AND status = %s AND "
)


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _aware(value) -> datetime.datetime | None:
    """A datetime column read by a raw query: aware on PostgreSQL, naive UTC (or text) on SQLite."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def _read_sheet(token: str) -> tuple[_Sheet, int]:
    with connection.cursor() as cursor:
        cursor.execute(_READ_SHEET, [token])
        row = cursor.fetchone()
    if row is None:
        raise Attempt.DoesNotExist
    pk, token, paper, answers, started, deadline, status, saved, late, quiz_id, version, points = row
    _FACTS[quiz_id] = (version, points)
    sheet = _Sheet(
        pk, token, _json(paper), _json(answers), _aware(started), _aware(deadline), status, _aware(saved),
        bool(late), version, points,
    )  # fmt: skip
    return sheet, quiz_id


# -- the signed sheet: the submit's one-statement path --------------------------------------------------------------

SHEET_FIELD = "sheet"
_SHEET_SALT = "quiz.sheet"
# quiz id → (bank version, points per question) as this process last read them; only a hint: the fast path's UPDATE
# checks both against the quiz row, so a stale hint makes it miss (and fall back), never grade with old keys.
_FACTS: dict[int, tuple[int, int]] = {}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _ms(moment: datetime.datetime) -> int:
    return (moment - _EPOCH) // datetime.timedelta(milliseconds=1)


def sheet_for(attempt: Attempt) -> str:
    """What the paper page carries back on submit, signed with SECRET_KEY: the attempt's token, id and quiz, its
    start and deadline, and its questions with their option orders. No answers: the key never leaves the server."""
    quiz = attempt.quiz
    _FACTS[quiz.pk] = (quiz.bank_version, quiz.points_per_question)
    paper = ",".join(f"{item['q']}-{''.join(str(i) for i in item['o'])}" for item in attempt.paper)
    value = f"{attempt.token}.{attempt.pk}.{quiz.pk}.{_ms(attempt.started_at)}.{_ms(attempt.deadline)}.{paper}"
    return signing.Signer(salt=_SHEET_SALT).sign(value)


def _read_signed_sheet(token: str, data) -> tuple[_Sheet, int] | None:
    """The posted sheet, when it is genuine, for this token, and this process knows the quiz's bank version."""
    raw = data.get(SHEET_FIELD)
    if not raw or data.get("token") != token:
        return None
    try:
        value = signing.Signer(salt=_SHEET_SALT).unsign(raw)
        signed_token, pk, quiz_id, started_ms, deadline_ms, paper_text = value.split(".", 5)
        pk, quiz_id = int(pk), int(quiz_id)
        paper = [
            {"q": int(q), "o": [int(i) for i in order]}
            for q, order in (part.split("-") for part in paper_text.split(","))
        ]
        started = _EPOCH + datetime.timedelta(milliseconds=int(started_ms))
        deadline = _EPOCH + datetime.timedelta(milliseconds=int(deadline_ms))
    except (signing.BadSignature, ValueError):
        return None
    facts = _FACTS.get(quiz_id)
    if signed_token != token or facts is None:
        return None
    version, points = facts
    sheet = _Sheet(pk, token, paper, {}, started, deadline, Attempt.Status.OPEN, None, False, version, points)
    return sheet, quiz_id


# The constants are written into the statement: fewer parameters for the driver to adapt on the busiest write.
_SHEET_CLAIM = {
    vendor: (
        "UPDATE quiz_attempt SET status = 'submitted', answers = %s, correct_questions = %s, submitted_at = %s, "
        "auto_submitted = FALSE, late_answers_ignored = FALSE, score = %s, correct_count = %s, duration_ms = %s "
        "WHERE id = %s AND token = %s AND status = 'open' AND "
        + covered
        # Uncorrelated, so it is checked once (a one-time filter) and the row is still found by its key.
        + " AND EXISTS (SELECT 1 FROM quiz_quiz WHERE id = %s AND bank_version = %s AND points_per_question = %s)"
    )
    for vendor, covered in (
        # Every saved answer's question is among the posted ones (their ids as one comma-joined string: a single
        # text parameter is cheaper to send than an array).
        ("postgresql", "(answers - string_to_array(%s, ',')) = '{}'::jsonb"),
        (
            "sqlite",
            "NOT EXISTS (SELECT 1 FROM json_each(quiz_attempt.answers) j "
            "WHERE j.key NOT IN (SELECT value FROM json_each(%s)))",
        ),
    )
}


def _posted_on_sheet(token: str, data, now: datetime.datetime) -> tuple[_Sheet, int, dict, dict[str, str]] | None:
    """What the one-statement submit and autosave start from: the post checked in Python against its signed sheet,
    as (sheet, quiz id, the paper's keys, the posted answers). None when anything is off (a database without those
    statements, no sheet or a forged one, late, an answer it refuses): the caller then takes the path that reads the
    attempt, which words any error."""
    if connection.vendor not in _SHEET_CLAIM:
        return None
    found = _read_signed_sheet(token, data)
    if found is None:
        return None
    sheet, quiz_id = found
    if not is_within_time(sheet, now):
        return None
    keys = paper_keys(sheet, _bank(quiz_id, sheet.bank_version))
    try:
        return sheet, quiz_id, keys, clean_answers(sheet, data, keys)
    except DomainError:
        return None


def _close_from_sheet(token: str, data, now: datetime.datetime) -> bool | None:
    """One statement: grade the signed paper in Python and claim the attempt with one conditional UPDATE that holds
    only while it is open, every saved answer is overridden by a posted one (so the posted answers are the saved
    ones merged with the post), and the quiz's bank version and points are the ones graded with.

    True when it closed the attempt; None when anything is off (no sheet or a forged one, late, an answer it refuses,
    an autosave the post does not cover, a changed bank, already submitted): the caller then takes the two-statement
    path, which reads the attempt and decides (and words any error) exactly as without a sheet."""
    checked = _posted_on_sheet(token, data, now)
    if checked is None:
        return None
    sheet, quiz_id, keys, posted = checked
    correct, score, graded, right = grade(sheet, posted, keys, sheet.points)
    ops, vendor = connection.ops, connection.vendor
    covered = ",".join(posted) if vendor == "postgresql" else json.dumps(list(posted))
    params = [
        ops.adapt_json_value(graded, None),
        ops.adapt_json_value(right, None),
        ops.adapt_datetimefield_value(now),
        score,
        correct,
        max(0, int((min(now, sheet.deadline) - sheet.started_at).total_seconds() * 1000)),
        sheet.pk,
        token,
        covered,
        quiz_id,
        sheet.bank_version,
        sheet.points,
    ]
    return True if execute_hot(_SHEET_CLAIM[vendor], params) == 1 else None


def close_attempt(
    token: str, data=None, now: datetime.datetime | None = None, *, auto: bool = False
) -> tuple[int | None, bool]:
    """Grade and close an attempt; returns (attempt id or None, whether late answers were ignored). The hot path.

    A post carrying the page's signed sheet is closed by _close_from_sheet in one statement. Otherwise (or when
    that misses), two statements, no transaction and no model instances: one raw read of the attempt with its quiz's
    bank version and points, grading in Python against this process's copy of the keys, then one conditional UPDATE
    that claims and finishes the attempt only while it is still open and its saved answers are the ones graded.
    Answers posted after the limit (plus grace) do not count; saved ones do. Submitting twice is harmless (the first
    grade stands). An autosave landing between the read and the claim makes the claim miss; the attempt is then read
    and graded again with that save included.
    """
    now = now or timezone.now()
    if data is not None and not auto and _close_from_sheet(token, data, now):
        return None, False
    ops = connection.ops
    for _round in range(_SUBMIT_RETRIES):
        sheet, quiz_id = _read_sheet(token)
        if data is not None:
            check_token(sheet, data)
        if sheet.is_submitted:
            return sheet.pk, sheet.late_answers_ignored
        answers = dict(sheet.answers)
        late = False
        keys = paper_keys(sheet, _bank(quiz_id, sheet.bank_version))
        if data is not None:
            posted = clean_answers(sheet, data, keys)
            if is_within_time(sheet, now):
                answers.update(posted)
            else:
                late = any(answers.get(k, "") != v for k, v in posted.items())
        correct, score, graded, right = grade(sheet, answers, keys, sheet.points)
        finished = min(now, sheet.deadline)
        params = [
            Attempt.Status.SUBMITTED,
            ops.adapt_json_value(graded, None),
            ops.adapt_json_value(right, None),
            ops.adapt_datetimefield_value(finished if auto else now),
            auto,
            late,
            score,
            correct,
            max(0, int((finished - sheet.started_at).total_seconds() * 1000)),
            sheet.pk,
            Attempt.Status.OPEN,
        ]
        if sheet.saved_at is None:
            sql = _CLAIM + "saved_at IS NULL"
        else:
            sql = _CLAIM + "saved_at = %s"
            params.append(ops.adapt_datetimefield_value(sheet.saved_at))
        if execute_hot(sql, params) == 1:
            return sheet.pk, late
    raise DomainError(_("答卷正在保存，请稍后再提交。"))


@dataclass(frozen=True)
class Saved:
    """What the paper page shows after an autosave: when it was saved, and the deadline to count down to."""

    saved_at: datetime.datetime
    deadline: datetime.datetime


_SHEET_SAVE = {
    vendor: (
        f"UPDATE quiz_attempt SET answers = {merge}, saved_at = %s WHERE id = %s AND token = %s AND status = 'open' "
        "AND EXISTS (SELECT 1 FROM quiz_quiz WHERE id = %s AND bank_version = %s)"
    )
    # The vendors of _SHEET_CLAIM (_posted_on_sheet checks them). Both merge the posted answers into the saved ones
    # key by key (the post never carries a null, which json_patch would read as "remove").
    for vendor, merge in (("postgresql", "answers || %s"), ("sqlite", "json_patch(answers, %s)"))
}


def _save_from_sheet(token: str, data, now: datetime.datetime) -> datetime.datetime | None:
    """One statement: check the post against the signed paper in Python and merge it into the attempt with one
    conditional UPDATE that holds only while the attempt is open and the quiz's bank is the one checked against.
    The attempt's deadline when it saved; None when anything is off (no sheet or a forged one, late, an answer it
    refuses, a changed bank, already submitted): the caller then takes save_answers, which words any error."""
    checked = _posted_on_sheet(token, data, now)
    if checked is None:
        return None
    sheet, quiz_id, _keys, posted = checked
    ops = connection.ops
    params = [
        ops.adapt_json_value(posted, None),
        ops.adapt_datetimefield_value(now),
        sheet.pk,
        token,
        quiz_id,
        sheet.bank_version,
    ]
    return sheet.deadline if execute_hot(_SHEET_SAVE[connection.vendor], params) == 1 else None


def autosave(token: str, data, now: datetime.datetime | None = None) -> Saved:
    """Autosave as the paper page posts it (on every change): one statement when the post carries the page's signed
    sheet (the busiest write of the quiz: about twenty per participant), otherwise save_answers. Either way the
    posted answers are merged into the saved ones, only while the attempt is open and within its time."""
    now = now or timezone.now()
    deadline = _save_from_sheet(token, data, now)
    if deadline is not None:
        return Saved(now, deadline)
    attempt = save_answers(token, data, now)
    return Saved(attempt.saved_at, attempt.deadline)


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
    for token in list(due.values_list("token", flat=True)[:10000]):
        attempt = submit_attempt(token, None, now, auto=True)
        done += attempt.auto_submitted
    return done


def finalize_if_expired(attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    """Called when an open attempt is opened again: submit it if its time has run out."""
    now = now or timezone.now()
    if not attempt.is_submitted and not is_within_time(attempt, now):
        return submit_attempt(attempt.token, None, now, auto=True)
    return attempt


# What the review says of one option, as (css class, badge): a right option ticked, one a multiple-choice answer
# missed (it teaches what was not known, so it looks unlike a hit), one ticked wrongly, the right one of a single-choice
# or true/false question not picked.
_MARKS = {
    "hit": ("is-hit", _lazy("正确")),
    "missed": ("is-missed", _lazy("漏选")),
    "wrong": ("is-wrong", _lazy("错选")),
    "answer": ("is-answer", _lazy("正确答案")),
}


def _review_mark(picked: bool, correct: bool, multiple: bool) -> dict | None:
    if correct:
        name = "hit" if picked else "missed" if multiple else "answer"
    elif picked:
        name = "wrong"
    else:
        return None
    css, badge = _MARKS[name]
    return {"name": name, "css": css, "badge": badge}


def review(attempt: Attempt) -> list[dict]:
    """The graded paper with correct answers and explanations; only for submitted attempts."""
    if not attempt.is_submitted:
        raise DomainError(_("答卷尚未提交。"))
    items = []
    for number, item, question in _paper_with_questions(attempt):
        chosen = set(attempt.answers.get(str(question.pk), ""))
        multiple = question.kind == Question.Kind.MULTIPLE
        options = []
        for pos, i in enumerate(item["o"]):
            if i >= len(question.options):
                continue
            picked, correct = LETTERS[i] in chosen, LETTERS[i] in question.answer
            options.append(
                {
                    "label": LETTERS[pos],
                    "text": question.options[i],
                    "chosen": picked,
                    "correct": correct,
                    "mark": _review_mark(picked, correct, multiple),
                }
            )
        items.append(
            {
                "number": number,
                "text": question.text,
                "kind": question.kind,
                "kind_label": question.get_kind_display(),
                "options": options,
                "is_correct": chosen == set(question.answer),
                "explanation": question.explanation,
            }
        )
    return items


# -- results -----------------------------------------------------------------------------------------------------


def leaderboard(quiz: Quiz, limit: int = 50) -> list[Attempt]:
    """Top attempts: higher score, then less time taken, then the earlier finish."""
    return list(
        Attempt.objects.filter(quiz=quiz, status=Attempt.Status.SUBMITTED)
        .select_related("org")
        .order_by("-score", "duration_ms", "submitted_at", "id")[:limit]
    )


def rank_of(attempt: Attempt) -> int | None:
    """1-based leaderboard position of a submitted attempt."""
    if not attempt.is_submitted:
        return None
    ahead = Attempt.objects.filter(quiz_id=attempt.quiz_id, status=Attempt.Status.SUBMITTED).filter(
        Q(score__gt=attempt.score)
        | Q(score=attempt.score, duration_ms__lt=attempt.duration_ms)
        | Q(score=attempt.score, duration_ms=attempt.duration_ms, submitted_at__lt=attempt.submitted_at)
        | Q(score=attempt.score, duration_ms=attempt.duration_ms, submitted_at=attempt.submitted_at, id__lt=attempt.id)
    )
    return ahead.count() + 1


def _hour_counts(quiz_ids, since=None, until=None):
    """(org_id, hour, count) of participants (first attempts) grouped in the database."""
    qs = Attempt.objects.filter(quiz_id__in=quiz_ids, number=1)
    if since is not None:
        qs = qs.filter(started_at__gte=since)
    if until is not None:
        qs = qs.filter(started_at__lt=until)
    # Asia/Shanghai is a whole-hour offset, so UTC hours are local hours.
    return (
        qs.annotate(h=TruncHour("started_at", tzinfo=datetime.UTC))
        .values_list("org_id", "h")
        .annotate(n=Count("id"))
        .order_by()
    )


def refresh_participation(quiz: Quiz, now: datetime.datetime | None = None) -> int:
    """Roll whole past hours of participation into ParticipationHour once; returns rows written.

    A conditional update of rolled_until claims the range, so two workers never count an hour twice.
    """
    now = now or timezone.now()
    cutoff = (now - ROLLUP_SLACK).astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    previous = Quiz.objects.filter(pk=quiz.pk).values_list("rolled_until", flat=True).get()
    if previous is not None and previous >= cutoff:
        return 0
    with transaction.atomic():
        claim = Quiz.objects.filter(pk=quiz.pk)
        claim = claim.filter(rolled_until__isnull=True) if previous is None else claim.filter(rolled_until=previous)
        if claim.update(rolled_until=cutoff) != 1:
            return 0
        rows = [
            ParticipationHour(quiz_id=quiz.pk, org_id=org_id, hour=hour, count=n)
            for org_id, hour, n in _hour_counts([quiz.pk], previous, cutoff)
        ]
        ParticipationHour.objects.bulk_create(rows, batch_size=1000)
    quiz.rolled_until = cutoff
    return len(rows)


def refresh_all_participation(now: datetime.datetime | None = None) -> int:
    """Roll up every quiz whose window has started and whose past hours are not all rolled up yet."""
    now = now or timezone.now()
    written = 0
    for quiz in Quiz.objects.select_related("activity"):
        start, end = quiz.window_start, quiz.window_end
        if start is None or start > now or (quiz.rolled_until and end and quiz.rolled_until > end):
            continue
        written += refresh_participation(quiz, now)
    return written


def participation_hours(
    quizzes: list[Quiz], now: datetime.datetime | None = None
) -> list[tuple[int, datetime.datetime, int]]:
    """(org_id, hour, count) for the quizzes: rolled-up past hours plus a live count of the recent ones."""
    result = []
    for quiz in quizzes:
        refresh_participation(quiz, now)
        result.extend(ParticipationHour.objects.filter(quiz=quiz).values_list("org_id", "hour", "count").order_by())
        result.extend(_hour_counts([quiz.pk], since=quiz.rolled_until))
    return result


def _counts_by_org(quizzes: list[Quiz], now=None) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for org_id, _hour, n in participation_hours(quizzes, now):
        counts[org_id] += n
    return counts


def _subtree_rows(orgs: list[Org], direct: dict[int, int], all_orgs: list[Org]) -> list[dict]:
    """Participants, headcount and rate of each org's whole subtree, always on one base.

    An org's headcount is its own staff (the people who name it as their unit), so a subtree's headcount is the sum
    over its units. A unit whose headcount is unknown (empty or 0) is left out of the rate on both sides: the rate is
    the participants of the units with a headcount divided by those units' headcount, and "coverage" says so
    ("覆盖 N/M 个单位") whenever some unit is left out. `all_orgs` must hold every unit of the subtrees (with
    headcount). Row keys: org, count (every participant of the subtree), headcount (known units' sum, None if none),
    rate (None without any headcount), covered_count, covered_units, units, coverage ("" when all are covered).
    """
    wanted = {org.path: org.pk for org in orgs}
    totals = {org.pk: {"count": 0, "covered_count": 0, "headcount": 0, "units": 0, "covered_units": 0} for org in orgs}
    for unit in all_orgs:
        known = bool(unit.headcount)
        n = direct.get(unit.pk, 0)
        codes = unit.path.strip("/").split("/")
        # Every ancestor-or-self path of the unit that is a row gets the unit added to its subtree.
        for depth in range(1, len(codes) + 1):
            row_pk = wanted.get("/" + "/".join(codes[:depth]) + "/")
            if row_pk is None:
                continue
            total = totals[row_pk]
            total["count"] += n
            total["units"] += 1
            if known:
                total["covered_count"] += n
                total["headcount"] += unit.headcount
                total["covered_units"] += 1
    rows = []
    for org in orgs:
        total = totals[org.pk]
        headcount = total["headcount"] or None
        partial = total["covered_units"] < total["units"]
        rows.append(
            {
                "org": org,
                "count": total["count"],
                "headcount": headcount,
                "rate": total["covered_count"] / headcount if headcount else None,
                "covered_count": total["covered_count"],
                "covered_units": total["covered_units"],
                "units": total["units"],
                "coverage": _("覆盖 %(n)s/%(m)s 个单位") % {"n": total["covered_units"], "m": total["units"]}
                if partial and headcount
                else "",
            }
        )
    return rows


def participation_by_org(week: Week, orgs=None) -> list[dict]:
    """Quiz participation per unit for a week, for the summary.

    Counts the participants (first attempts; one phone is one person per quiz) of the quizzes of `week` and of its
    parent week whose unit is the org or one of its descendants. `orgs` defaults to the week organizer and its direct
    children, in tree order. Each row is as `_subtree_rows` makes it: the rate is the subtree's participants over the
    same subtree's headcount, counting only the units whose headcount is known, and says how many units it covers.
    """
    week_ids = [week.pk] + ([week.parent_id] if week.parent_id else [])
    quizzes = list(Quiz.objects.filter(week_id__in=week_ids))
    if orgs is None:
        orgs = list(Org.objects.filter(Q(pk=week.organizer_id) | Q(parent_id=week.organizer_id)).order_by("path"))
    else:
        orgs = list(orgs)
    direct = _counts_by_org(quizzes)
    subtrees = Q(pk__in=[])
    for org in orgs:
        subtrees |= Q(path__startswith=org.path)
    all_orgs = list(Org.objects.filter(subtrees).only("pk", "path", "headcount")) if orgs else []
    return _subtree_rows(orgs, direct, all_orgs)


def quiz_participation(quiz: Quiz, now=None) -> dict:
    """Participation of one quiz: by unit (its subtree counted in), by local day and by local hour."""
    hours = participation_hours([quiz], now)
    direct: dict[int, int] = defaultdict(int)
    by_hour: dict[datetime.datetime, int] = defaultdict(int)
    for org_id, hour, n in hours:
        direct[org_id] += n
        by_hour[timezone.localtime(hour, LOCAL_TZ)] += n
    by_day: dict[datetime.date, int] = defaultdict(int)
    for hour, n in by_hour.items():
        by_day[hour.date()] += n
    tree = list(participant_orgs(quiz))
    root = quiz.week.organizer
    depth0 = root.path.count("/")
    units = [o for o in tree if o.path.count("/") - depth0 <= 2]
    rows = _subtree_rows(units, direct, tree)
    for row in rows:
        row["depth"] = row["org"].path.count("/") - depth0
        row["percent"] = row["rate"] * 100 if row["rate"] is not None else None
    total = sum(direct.values())
    hour_rows = sorted(by_hour.items())
    peak = max((n for _h, n in hour_rows), default=0)
    return {
        "total": total,
        "by_org": rows,
        "by_day": sorted(by_day.items()),
        "by_hour": [{"hour": h, "count": n, "peak": peak} for h, n in hour_rows],
    }


def _graded_counts(quiz: Quiz) -> tuple[list, list]:
    """Grouped in the database from the submitted attempts' JSON: [(question id, chosen, n)], [(question id, n)]."""
    if connection.vendor == "postgresql":
        picks_sql = (
            "SELECT e.key, e.value, COUNT(*) FROM quiz_attempt a CROSS JOIN LATERAL jsonb_each_text(a.answers) e "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1, 2"
        )
        right_sql = (
            "SELECT c.value, COUNT(*) FROM quiz_attempt a "
            "CROSS JOIN LATERAL jsonb_array_elements_text(a.correct_questions) c "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1"
        )
    else:
        picks_sql = (
            "SELECT e.key, e.value, COUNT(*) FROM quiz_attempt a, json_each(a.answers) e "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1, 2"
        )
        right_sql = (
            "SELECT c.value, COUNT(*) FROM quiz_attempt a, json_each(a.correct_questions) c "
            "WHERE a.quiz_id = %s AND a.status = %s GROUP BY 1"
        )
    params = [quiz.pk, Attempt.Status.SUBMITTED]
    with connection.cursor() as cursor:
        cursor.execute(picks_sql, params)
        picks = [(int(qid), chosen or "", n) for qid, chosen, n in cursor.fetchall()]
        cursor.execute(right_sql, params)
        right = [(int(qid), n) for qid, n in cursor.fetchall()]
    return picks, right


def question_stats(quiz: Quiz) -> list[dict]:
    """Per question: how many answered, the correct rate, and how often each option was picked."""
    questions = list(Question.objects.filter(quiz=quiz).order_by("sort_order", "pk"))
    grouped, correct_counts = _graded_counts(quiz)
    answered: dict[int, int] = defaultdict(int)
    right: dict[int, int] = dict(correct_counts)
    picks: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for qid, chosen, n in grouped:
        answered[qid] += n
        for letter in chosen:
            picks[qid][letter] += n
    rows = []
    for question in questions:
        total = answered.get(question.pk, 0)
        rows.append(
            {
                "question": question,
                "answered": total,
                "correct": right.get(question.pk, 0),
                "rate": right.get(question.pk, 0) / total if total else None,
                "options": [
                    {
                        "label": letter,
                        "text": text,
                        "count": picks[question.pk].get(letter, 0),
                        "is_answer": letter in question.answer,
                    }
                    for letter, text in question.lettered_options()
                ],
            }
        )
    return rows


# -- the prize draw ----------------------------------------------------------------------------------------------


def eligible_attempt_ids(quiz: Quiz, min_score: int) -> list[int]:
    """Submitted attempts scoring at least min_score, by id ascending (a stable order anyone can rebuild)."""
    return list(
        Attempt.objects.filter(quiz=quiz, status=Attempt.Status.SUBMITTED, score__gte=min_score)
        .order_by("id")
        .values_list("id", flat=True)
    )


def pick_winners(seed: str, eligible: list[int], count: int) -> list[int]:
    """The draw itself: Python's Mersenne Twister seeded with the seed string, sampling the sorted eligible list."""
    return random.Random(seed).sample(sorted(eligible), min(count, len(eligible)))


@transaction.atomic
def run_draw(quiz: Quiz, *, prize_count: int, seed: str = "", user=None, now=None) -> PrizeDraw:
    """Draw winners among the eligible attempts; the seed and eligible list are recorded for anyone to re-run."""
    now = now or timezone.now()
    if not quiz.is_closed(now):
        raise DomainError(_("竞答尚未结束，结束后才能抽奖。"))
    finalize_expired(quiz.pk, now)
    if prize_count < 1:
        raise DomainError(_("奖品数量必须至少为 1。"))
    seed = (seed or "").strip() or secrets.token_hex(16)
    eligible = eligible_attempt_ids(quiz, quiz.prize_threshold)
    if not eligible:
        raise DomainError(
            _("没有达到获奖资格（%(score)d 分及以上）的答卷，无法抽奖。") % {"score": quiz.prize_threshold}
        )
    winners = pick_winners(seed, eligible, prize_count)
    return PrizeDraw.objects.create(
        quiz=quiz,
        seed=seed,
        min_score=quiz.prize_threshold,
        eligible=eligible,
        winners=winners,
        prize_count=prize_count,
        created_by=user,
        created_at=now,
    )


def verify_draw(draw: PrizeDraw) -> bool:
    """Re-run a recorded draw from its seed and eligible list; True when it gives the same winners."""
    return pick_winners(draw.seed, draw.eligible, draw.prize_count) == draw.winners


def draw_winners(draw: PrizeDraw) -> list[Attempt]:
    by_id = Attempt.objects.select_related("org").in_bulk(draw.winners)
    return [by_id[pk] for pk in draw.winners if pk in by_id]


# -- creating quizzes --------------------------------------------------------------------------------------------


def sample_bank() -> list[dict]:
    """The demo bank in fixtures/quiz_bank.json (written for this project)."""
    import json
    from pathlib import Path

    path = Path(settings.BASE_DIR) / "fixtures" / "quiz_bank.json"
    return json.loads(path.read_text(encoding="utf-8"))["questions"]


@transaction.atomic
def load_sample_bank(quiz: Quiz) -> int:
    """Add the demo bank's questions that the quiz does not have yet; returns how many were added."""
    have = set(Question.objects.filter(quiz=quiz).values_list("text", flat=True))
    start = Question.objects.filter(quiz=quiz).count()
    rows = [
        Question(
            quiz=quiz,
            kind=item["kind"],
            category=item["category"],
            difficulty=item.get("difficulty", 1),
            text=item["text"],
            options=item["options"] if item["kind"] != Question.Kind.TRUE_FALSE else ["正确", "错误"],
            answer=item["answer"],
            explanation=item.get("explanation", ""),
            sort_order=start + i,
        )
        for i, item in enumerate(q for q in sample_bank() if q["text"] not in have)
    ]
    Question.objects.bulk_create(rows)
    bump_bank_version(quiz.pk)
    return len(rows)


@transaction.atomic
def create_quiz_for_week(week: Week, user=None) -> Quiz:
    """A quiz for the week with default settings, tied to the week's (or its parent's) quiz activity."""
    if user is not None and not user.is_org_admin:
        raise DomainError(_("只有管理员可以创建和修改竞答。"))
    base = f"{week.slug}-quiz"
    slug, n = base, 1
    while Quiz.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    activity = quiz_activity_for(week)
    quiz = Quiz(
        week=week,
        slug=slug,
        title=_("%(week)s“云竞答”") % {"week": week.title},
        activity=activity,
        intro=activity.description if activity else "",
    )
    if activity is None:
        quiz.opens_at, quiz.closes_at = week.starts_at, week.ends_at
    return save_quiz(quiz)


def require_quiz_admin(user) -> None:
    if not user.is_org_admin:
        raise DomainError(_("只有管理员可以修改竞答设置、导入题目和抽奖。"))


def public_quizzes_for_week(week: Week) -> list[Quiz]:
    """Quizzes a week's public page can link to: its own and its parent weeks', tied activity prefetched."""
    return list(
        Quiz.objects.filter(week_id__in=[w.pk for w in week.ancestry()]).select_related("activity").order_by("pk")
    )
