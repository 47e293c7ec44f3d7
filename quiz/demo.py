"""Demo data for the quiz app (called by python manage.py load_demo after eventweek's).

The 2020 national and Jiangsu weeks each get a quiz tied to the national 云竞答 activity (7/4 09:00 – 7/5 17:00),
the demo bank from fixtures/quiz_bank.json, some finished attempts and, for the national quiz, a recorded draw.
"""

import datetime
import random

from django.db import transaction
from django.http import QueryDict

from eventweek.models import LOCAL_TZ, Org, Week
from quiz.models import Question, Quiz
from quiz.services import attempts, draw, setup

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "海燕",
    "志强",
    "文博",
    "思远",
    "雨婷",
    "子涵",
]
PAPER_SPEC = {"节能": 3, "节水": 3, "垃圾分类": 3, "反食品浪费": 3, "绿色出行": 3, "政策法规": 2, "活动周": 3}


def _answers_for(attempt, questions: dict[int, Question], rng: random.Random, skill: float) -> QueryDict:
    data = QueryDict(mutable=True)
    data["token"] = attempt.token
    for item in attempt.paper:
        question = questions[item["q"]]
        if rng.random() < skill:
            chosen = question.answer
        else:
            wrong = [letter for letter in question.letters if letter not in question.answer] or list(question.letters)
            chosen = rng.choice(wrong)
        data.setlist(f"q_{question.pk}", attempts.shown_values(item, chosen))
    return data


def _add_attempts(quiz: Quiz, orgs: list[Org], count: int, phone_base: int, rng: random.Random) -> None:
    questions = Question.objects.in_bulk()
    start = quiz.window_start
    span = (quiz.window_end - start).total_seconds() - quiz.time_limit_seconds - 60
    for i in range(count):
        begun = start + datetime.timedelta(seconds=int(span * (i / count) ** 1.6) + rng.randint(0, 600))
        attempt = attempts.start_attempt(
            quiz,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            phone=str(phone_base + i),
            org=rng.choice(orgs),
            now=begun,
        )
        skill = rng.choice([1.0, 1.0, 0.95, 0.9, 0.8, 0.7, 0.6])
        took = datetime.timedelta(seconds=rng.randint(90, quiz.time_limit_seconds - 30))
        attempts.submit_attempt(attempt.token, _answers_for(attempt, questions, rng, skill), begun + took)


@transaction.atomic
def load(stdout=None) -> list[str]:
    """Add this app's demo data; the core orgs, users and weeks already exist; returns its summary line."""
    rng = random.Random(2020)
    national = Week.objects.get(slug="2020-national")
    jiangsu = Week.objects.get(slug="2020-jiangsu")
    quizzes = {}
    for week, title, prize in (
        (national, "2020年公共机构节能宣传周“云竞答”", "满分答卷中抽取 10 名幸运奖，奖品为节能宣传纪念品。"),
        (jiangsu, "江苏省公共机构节能知识“云竞答”", "满分答卷中抽取 5 名，奖品为节水器具一套。"),
    ):
        quiz = setup.create_quiz_for_week(week)
        quiz.title = title
        quiz.prize_note = prize
        quiz.paper_spec = PAPER_SPEC
        quiz.prize_count = 10 if week == national else 5
        setup.save_quiz(quiz)
        setup.load_sample_bank(quiz)
        quizzes[week.slug] = quiz
    everyone = list(Org.objects.exclude(level=Org.Level.NATIONAL))
    in_jiangsu = list(Org.objects.filter(path__startswith=jiangsu.organizer.path))
    _add_attempts(quizzes["2020-national"], everyone, 80, 13900000000, rng)
    _add_attempts(quizzes["2020-jiangsu"], in_jiangsu, 50, 13800000000, rng)
    after = datetime.datetime(2020, 7, 6, 10, 0, tzinfo=LOCAL_TZ)
    draw.run_draw(quizzes["2020-national"], prize_count=10, seed="2020070610", now=after)
    if stdout is not None:
        stdout.write(f"quiz: {len(quizzes)} quizzes, {Question.objects.count()} questions, 130 attempts, 1 draw\n")
    return [f"2020 年竞答 {'、'.join(q.slug for q in quizzes.values())}（已结束）：答卷 130 份，已抽奖"]
