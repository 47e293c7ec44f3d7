"""The drill week's 云竞答 (slug drill-quiz): open now, with the sample bank and a few finished attempts.

Its window is the drill national week's quiz activity (eventweek/demo_drill.py: yesterday 09:00 to the day after
tomorrow 17:00); the attempts were started and submitted through the quiz services at instants before now.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from eventweek.models import LOCAL_TZ, Org, Week
from quiz.demo import GIVEN, PAPER_SPEC, SURNAMES, _answers_for
from quiz.models import Question
from quiz.services import attempts, setup

DRILL_WEEK = "drill-jiangsu"
DRILL_QUIZ = "drill-quiz"
ATTEMPTS = 12


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Create the open drill quiz and its first attempts; returns the summary line."""
    week = Week.objects.filter(slug=DRILL_WEEK).first()
    if week is None:
        return []
    now = timezone.now()
    quiz = setup.create_quiz_for_week(week)
    quiz.slug = DRILL_QUIZ
    quiz.title = "江苏省公共机构节能知识“云竞答”（演练）"
    quiz.prize_note = "满分答卷中抽取 5 名（演练，不发奖）。"
    quiz.paper_spec = PAPER_SPEC
    quiz.prize_count = 5
    setup.save_quiz(quiz)
    setup.load_sample_bank(quiz)
    rng = random.Random(2026)
    questions = Question.objects.in_bulk()
    orgs = list(Org.objects.filter(path__startswith=week.organizer.path).order_by("path"))
    start = quiz.window_start
    # Every attempt begins and ends before now (the window opened yesterday at 09:00, at least 15 hours ago).
    span = (now - start).total_seconds() - quiz.time_limit_seconds - 60
    for i in range(ATTEMPTS):
        begun = start + datetime.timedelta(seconds=int(span * i / ATTEMPTS))
        attempt = attempts.start_attempt(
            quiz,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            phone=str(13700000000 + i),
            org=orgs[i % len(orgs)],
            now=begun,
        )
        took = datetime.timedelta(seconds=120 + 30 * i)
        skill = [1.0, 0.9, 0.8, 0.7][i % 4]
        attempts.submit_attempt(attempt.token, _answers_for(attempt, questions, rng, skill), begun + took)
    end = timezone.localtime(quiz.window_end, LOCAL_TZ)
    if stdout is not None:
        stdout.write(f"drill quiz: {quiz.slug}, {ATTEMPTS} attempts")
    return [f"演练周竞答 {quiz.slug}：进行中，至 {end.month}月{end.day}日 {end:%H:%M}，已有答卷 {ATTEMPTS} 份"]
