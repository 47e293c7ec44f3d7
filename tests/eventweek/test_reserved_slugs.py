"""Slugs a URL already takes where a week's or a quiz's slug stands (/reporting/summary/, /quiz/manage/): a week or a
quiz with one would be shadowed by that URL, so its form refuses it with a message naming the slug."""

import quiz.urls
import reporting.urls
from eventweek.forms import RESERVED_WEEK_SLUGS
from quiz.forms import RESERVED_QUIZ_SLUGS, QuizForm
from tests.quiz.conftest import make_quiz


def _literal_first_segments(patterns) -> set[str]:
    return {str(p.pattern).split("/", 1)[0] for p in patterns if not str(p.pattern).startswith("<")}


def test_the_reserved_slugs_are_the_literal_first_segments_of_those_urls():
    assert _literal_first_segments(reporting.urls.urlpatterns) == RESERVED_WEEK_SLUGS == {"pictures", "summary"}
    assert _literal_first_segments(quiz.urls.urlpatterns) == RESERVED_QUIZ_SLUGS == {"a", "manage", "ping"}


def test_a_quiz_slug_taken_by_a_url_is_refused_by_name(demo):
    quiz = make_quiz(demo.jiangsu)
    form = QuizForm(
        {
            "title": quiz.title,
            "slug": "manage",
            "question_count": 10,
            "points_per_question": 10,
            "time_limit_seconds": 600,
            "attempts_per_person": 1,
            "show_answers": "after_close",
            "prize_count": 3,
        },
        instance=quiz,
        week=demo.jiangsu,
    )
    assert form.errors["slug"] == ["“manage”已被系统网址占用，请换一个网址标识。"]
