"""The prize draw: winners sampled from the eligible attempts with a recorded seed, so anyone can re-run it."""

import random
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError
from quiz.models import Attempt, PrizeDraw, Quiz
from quiz.services.results import awaiting_grade


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
    # Attempts whose time ran out are graded by the close task and the minute sweep, not here: a draw before they
    # ran would leave those people out of the eligible list, so it waits for them.
    pending = awaiting_grade(quiz, now)
    if pending:
        raise DomainError(_("还有 %(n)d 份超时答卷等待系统自动交卷（每分钟处理一次），请稍后再抽奖。") % {"n": pending})
    if prize_count < 1:
        raise DomainError(_("奖品数量必须至少为 1。"))
    seed = (seed or "").strip() or secrets.token_hex(16)
    eligible = eligible_attempt_ids(quiz, quiz.prize_threshold)
    if not eligible:
        raise DomainError(
            _("没有达到获奖资格（%(score)d 分及以上）的答卷，无法抽奖。") % {"score": quiz.prize_threshold}
        )
    winners = pick_winners(seed, eligible, prize_count)
    draw = PrizeDraw.objects.create(
        quiz=quiz,
        seed=seed,
        min_score=quiz.prize_threshold,
        eligible=eligible,
        winners=winners,
        prize_count=prize_count,
        created_by=user,
        created_at=now,
    )
    data = {"quiz": quiz.pk, "seed": seed, "prize_count": prize_count, "eligible": len(eligible), "winners": winners}
    log_action(user, actions.QUIZ_DRAW, draw, org=quiz.week.organizer, data=data)
    return draw


def verify_draw(draw: PrizeDraw) -> bool:
    """Re-run a recorded draw from its seed and eligible list; True when it gives the same winners."""
    return pick_winners(draw.seed, draw.eligible, draw.prize_count) == draw.winners


def draw_winners(draw: PrizeDraw) -> list[Attempt]:
    """The winners' attempts (with their units) in the order drawn."""
    by_id = Attempt.objects.select_related("org").in_bulk(draw.winners)
    return [by_id[pk] for pk in draw.winners if pk in by_id]
