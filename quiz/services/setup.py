"""Setting a quiz up: creating it for a week, its settings and paper spec, the demo bank, and the django-q2
schedules that close it and sweep expired attempts."""

import datetime
import json
import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import changed_fields, log_action
from eventweek.errors import DomainError
from eventweek.models import Activity, Week
from eventweek.outbox import ensure_schedule
from quiz.models import Question, Quiz
from quiz.services.bank_cache import bump_bank_version
from quiz.services.grading import grace
from quiz.services.opening import schedule_opening

FINALIZE_SCHEDULE = "quiz:finalize-expired"
ROLLUP_SCHEDULE = "quiz:participation-rollup"
EXPORT_SWEEP_SCHEDULE = "quiz:export-sweep"


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
def save_quiz(quiz: Quiz, *, user=None) -> Quiz:
    """Validate and save quiz settings; reschedule the opening notice and the close-time finalization after commit."""
    if quiz.window_start is None or quiz.window_end is None:
        raise DomainError(_("请关联竞答活动，或填写开始时间和结束时间。"))
    if quiz.window_end <= quiz.window_start:
        raise DomainError(_("结束时间必须晚于开始时间。"))
    quiz.full_clean()
    old = Quiz.objects.select_for_update().filter(pk=quiz.pk).first() if quiz.pk else None
    quiz.save()
    before, after = changed_fields(old, quiz)
    if after:
        log_action(user, actions.QUIZ_SETTINGS, quiz, org=quiz.week.organizer, before=before, after=after)
    quiz_id, run_at = quiz.pk, quiz.window_end + grace() + datetime.timedelta(seconds=1)
    transaction.on_commit(lambda: schedule_close(quiz_id, run_at))
    opens_at = quiz.window_start
    transaction.on_commit(lambda: schedule_opening(quiz_id, opens_at))
    return quiz


def schedule_close(quiz_id: int, run_at: datetime.datetime) -> None:
    """A one-off django-q2 schedule that submits the attempts still open when the window closes (idempotent)."""
    from django_q.models import Schedule

    ensure_schedule(
        f"quiz:close:{quiz_id}",
        "quiz.tasks.close_quiz_task",
        minutes=None,
        args=repr((quiz_id,)),
        schedule_type=Schedule.ONCE,
        next_run=run_at,
    )


def ensure_schedules() -> None:
    """Periodic sweeps (idempotent: safe at every migrate): submit attempts whose time ran out (every minute, so the
    leaderboard, the exports and the draw wait at most a minute for an attempt no page view finalises), roll up the
    participation of past hours so no page view pays for it, and take over exports whose worker died."""
    for name, func, minutes in (
        (FINALIZE_SCHEDULE, "quiz.tasks.finalize_expired_task", 1),
        (ROLLUP_SCHEDULE, "quiz.tasks.refresh_participation_task", 5),
        # Exports whose worker died are taken over within minutes (quiz.exporters.recover_stale_exports).
        (EXPORT_SWEEP_SCHEDULE, "quiz.tasks.recover_exports_task", 1),
    ):
        ensure_schedule(name, func, minutes=minutes)


def sample_bank() -> list[dict]:
    """The demo bank in fixtures/quiz_bank.json (written for this project)."""
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
    return save_quiz(quiz, user=user)
