"""The window and the time limit are enforced by the server, with the clock moved."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from eventweek.errors import DomainError
from quiz.models import Attempt
from quiz.services.attempts import finalize_expired, save_answers, submit_attempt
from quiz.services.grading import grade
from quiz.services.setup import ensure_schedules, save_quiz
from tests.quiz.conftest import CLOSES, OPENS, answers, at, start, wrong


def test_quiz_window_is_the_quiz_activitys_start_and_end(national_quiz):
    assert national_quiz.activity.kind == "quiz"
    assert (national_quiz.window_start, national_quiz.window_end) == (OPENS, CLOSES)


def test_start_before_the_window_is_refused_with_the_opening_time(national_quiz, demo):
    with pytest.raises(DomainError) as error:
        start(national_quiz, demo, now=at(4, 8, 59, 59))
    assert str(error.value) == "竞答尚未开始，开始时间为 7月4日 周六 09:00。"
    assert Attempt.objects.count() == 0


def test_start_after_the_window_is_refused(national_quiz, demo):
    with pytest.raises(DomainError) as error:
        start(national_quiz, demo, now=CLOSES)
    assert str(error.value) == "竞答已于 7月5日 周日 17:00 结束，不能再开始答题。"


def test_start_at_the_opening_second_is_accepted(national_quiz, demo):
    attempt = start(national_quiz, demo, now=OPENS)
    assert attempt.started_at == OPENS
    assert attempt.deadline == OPENS + datetime.timedelta(seconds=600)


def test_entry_page_before_the_window_says_when_it_opens(client, national_quiz, demo):
    with time_machine.travel(at(3, 12), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[national_quiz.slug]),
            {"name": "张三", "phone": "13812345678", "org": demo.org("320100").pk},
        )
    assert "竞答尚未开始，开始时间为 7月4日 周六 09:00。" in response.content.decode()
    assert Attempt.objects.count() == 0


def test_deadline_is_capped_at_the_window_close(national_quiz, demo):
    attempt = start(national_quiz, demo, now=at(5, 16, 55))
    assert attempt.deadline == CLOSES


def test_answers_saved_within_the_limit_count(national_quiz, demo):
    attempt = start(national_quiz, demo, now=at(4, 10))
    save_answers(attempt.token, answers(attempt), now=at(4, 10, 9, 59))
    graded = submit_attempt(attempt.token, None, now=at(4, 10, 9, 59))
    assert (graded.score, graded.correct_count, graded.max_score) == (100, 20, 100)
    assert graded.duration_ms == 599_000


def test_autosave_after_the_limit_and_grace_is_refused(national_quiz, demo, settings):
    settings.QUIZ_GRACE_SECONDS = 10
    attempt = start(national_quiz, demo, now=at(4, 10))
    save_answers(attempt.token, answers(attempt), now=at(4, 10, 10, 10))  # inside the grace
    with pytest.raises(DomainError) as error:
        save_answers(attempt.token, answers(attempt, wrong), now=at(4, 10, 10, 11))
    assert str(error.value) == "已超过答题时限，答案未保存。"
    attempt.refresh_from_db()
    assert grade(attempt, attempt.answers)[0] == 20


def test_a_submit_after_the_limit_grades_only_the_answers_saved_in_time(national_quiz, demo, settings):
    settings.QUIZ_GRACE_SECONDS = 10
    attempt = start(national_quiz, demo, now=at(4, 10))
    first = attempt.paper[0]["q"]
    saved = answers(attempt, wrong)
    saved.setlist(f"q_{first}", list(answers(attempt).getlist(f"q_{first}")))
    save_answers(attempt.token, saved, now=at(4, 10, 5))  # one right, nineteen wrong
    graded = submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 10, 30))
    assert (graded.correct_count, graded.score) == (1, 5)
    assert graded.late_answers_ignored is True
    assert graded.duration_ms == 600_000


def test_submitting_twice_keeps_the_first_grade(national_quiz, demo):
    attempt = start(national_quiz, demo, now=at(4, 10))
    submit_attempt(attempt.token, answers(attempt, wrong), now=at(4, 10, 2))
    again = submit_attempt(attempt.token, answers(attempt), now=at(4, 10, 3))
    again.refresh_from_db()
    assert (again.score, again.correct_questions, len(again.answers)) == (0, [], 20)


def test_an_attempt_open_when_the_window_closes_is_submitted_with_its_saved_answers(national_quiz, demo):
    attempt = start(national_quiz, demo, now=at(5, 16, 58))
    save_answers(attempt.token, answers(attempt), now=at(5, 16, 59))
    assert finalize_expired(national_quiz.pk, now=at(5, 17, 0, 5)) == 0  # still within the grace
    assert finalize_expired(national_quiz.pk, now=at(5, 17, 1)) == 1
    attempt.refresh_from_db()
    assert (attempt.status, attempt.auto_submitted, attempt.score) == ("submitted", True, 100)
    assert attempt.submitted_at == CLOSES
    assert attempt.duration_ms == 120_000


def test_opening_an_expired_paper_submits_it_and_shows_the_score(client, national_quiz, demo):
    attempt = start(national_quiz, demo, now=at(4, 10))
    save_answers(attempt.token, answers(attempt), now=at(4, 10, 1))
    with time_machine.travel(at(4, 11), tick=False):
        response = client.get(reverse("quiz:paper", args=[attempt.token]), follow=True)
    assert response.redirect_chain == [(reverse("quiz:result", args=[attempt.token]), 302)]
    assert response.context["attempt"].score == 100
    assert "系统已按已保存的答案代为交卷" in response.content.decode()


def test_close_task_is_scheduled_for_the_window_end(national_quiz, django_capture_on_commit_callbacks):
    from django_q.models import Schedule

    with django_capture_on_commit_callbacks(execute=True):
        save_quiz(national_quiz)
    schedule = Schedule.objects.get(name=f"quiz:close:{national_quiz.pk}")
    assert schedule.func == "quiz.tasks.close_quiz_task"
    assert schedule.next_run == CLOSES + datetime.timedelta(seconds=11)


def test_a_late_submit_through_the_page_says_the_answers_did_not_count(client, national_quiz, demo, settings):
    settings.QUIZ_GRACE_SECONDS = 10
    attempt = start(national_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 10, 11), tick=False):
        response = client.post(reverse("quiz:submit", args=[attempt.token]), answers(attempt), follow=True)
    page = response.content.decode()
    assert "已超过答题时限，最后一次提交的答案未计入，按时限内已保存的答案评分。" in page
    assert '<strong id="score">0</strong>' in page


def test_the_close_task_and_the_sweep_submit_what_is_left_open(national_quiz, demo):
    from quiz import tasks

    first = start(national_quiz, demo, phone="13900000001", now=at(5, 16, 55))
    second = start(national_quiz, demo, phone="13900000002", now=at(5, 16, 56))
    with time_machine.travel(at(5, 17, 0, 12), tick=False):
        assert tasks.close_quiz_task(national_quiz.pk) == 2
        assert tasks.finalize_expired_task() == 0
    statuses = set(Attempt.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", "auto_submitted"))
    assert statuses == {("submitted", True)}


def test_the_periodic_sweep_is_scheduled_at_migrate(db):
    from django_q.models import Schedule

    ensure_schedules()
    ensure_schedules()
    sweep = Schedule.objects.get(name="quiz:finalize-expired")
    assert (sweep.func, sweep.schedule_type, sweep.minutes) == ("quiz.tasks.finalize_expired_task", "I", 1)
    rollup = Schedule.objects.get(name="quiz:participation-rollup")
    assert rollup.func == "quiz.tasks.refresh_participation_task"
