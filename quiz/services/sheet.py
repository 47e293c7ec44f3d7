"""The signed sheet and every raw statement of the quiz's hot path (the submit and the autosave), in one place.

The paper page carries a signed sheet (sheet_for): with it a submit or an autosave is one conditional UPDATE through
eventweek.db.execute_hot (close_from_sheet, save_from_sheet). Without it, or when it misses, the submit reads the
attempt in one raw query and claims it with one conditional UPDATE (close_by_reading). Only statements that are
harmless to run twice go through execute_hot (it retries once on a dead kept-alive connection).
"""

import datetime
import json
from dataclasses import dataclass

from django.core import signing
from django.db import connection
from django.utils.translation import gettext as _

from eventweek.db import execute_hot
from eventweek.errors import DomainError, NotFound
from quiz.models import Attempt
from quiz.services.bank_cache import bank_of
from quiz.services.grading import check_token, clean_answers, grade, is_within_time, paper_keys

_SUBMIT_RETRIES = 5
SHEET_FIELD = "sheet"
_SHEET_SALT = "quiz.sheet"
# quiz id → (bank version, points per question) as this process last read them; only a hint: the fast path's UPDATE
# checks both against the quiz row, so a stale hint makes it miss (and fall back), never grade with old keys.
_FACTS: dict[int, tuple[int, int]] = {}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def remember_facts(quiz_id: int, bank_version: int, points: int) -> None:
    """Note the quiz's bank version and points as just read (what a signed sheet is graded with in this process)."""
    _FACTS[quiz_id] = (bank_version, points)


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
        raise NotFound(_("没有这份答卷。"))
    pk, token, paper, answers, started, deadline, status, saved, late, quiz_id, version, points = row
    _FACTS[quiz_id] = (version, points)
    sheet = _Sheet(
        pk, token, _json(paper), _json(answers), _aware(started), _aware(deadline), status, _aware(saved),
        bool(late), version, points,
    )  # fmt: skip
    return sheet, quiz_id


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
    keys = paper_keys(sheet, bank_of(quiz_id, sheet.bank_version))
    try:
        return sheet, quiz_id, keys, clean_answers(sheet, data, keys)
    except DomainError:
        return None


def close_from_sheet(token: str, data, now: datetime.datetime) -> bool | None:
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


def close_by_reading(token: str, data, now: datetime.datetime, *, auto: bool = False) -> tuple[int, bool]:
    """Grade and close an attempt by reading it first; returns (attempt id, whether late answers were ignored).

    What attempts.close_attempt runs when the post carries no signed sheet, or close_from_sheet missed. Two
    statements, no transaction and no model instances: one raw read of the attempt with its quiz's bank version and
    points, grading in Python against this process's copy of the keys, then one conditional UPDATE
    that claims and finishes the attempt only while it is still open and its saved answers are the ones graded.
    Answers posted after the limit (plus grace) do not count; saved ones do. Submitting twice is harmless (the first
    grade stands). An autosave landing between the read and the claim makes the claim miss; the attempt is then read
    and graded again with that save included.
    """
    ops = connection.ops
    for _round in range(_SUBMIT_RETRIES):
        sheet, quiz_id = _read_sheet(token)
        if data is not None:
            check_token(sheet, data)
        if sheet.is_submitted:
            return sheet.pk, sheet.late_answers_ignored
        answers = dict(sheet.answers)
        late = False
        keys = paper_keys(sheet, bank_of(quiz_id, sheet.bank_version))
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


_SHEET_SAVE = {
    vendor: (
        f"UPDATE quiz_attempt SET answers = {merge}, saved_at = %s WHERE id = %s AND token = %s AND status = 'open' "
        "AND EXISTS (SELECT 1 FROM quiz_quiz WHERE id = %s AND bank_version = %s)"
        # PostgreSQL: SET LOCAL's function form, in the statement's own transaction (autocommit): its commit does not
        # wait for the WAL flush. Still one prepared statement (a separate SET LOCAL needs BEGIN, SET, COMMIT).
        + (" AND set_config('synchronous_commit', 'off', true) = 'off'" if vendor == "postgresql" else "")
    )
    # The vendors of _SHEET_CLAIM (_posted_on_sheet checks them). Both merge the posted answers into the saved ones
    # key by key (the post never carries a null, which json_patch would read as "remove").
    for vendor, merge in (("postgresql", "answers || %s"), ("sqlite", "json_patch(answers, %s)"))
}


def save_from_sheet(token: str, data, now: datetime.datetime) -> datetime.datetime | None:
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
