"""The per-process holds are shared between threads, so they keep plain values: every read gets fresh instances that
no other request can change, and the participation roll-up leaves the quiz it is given as it was."""

import time_machine

from quiz.models import Quiz
from quiz.services.participation import refresh_participation
from quiz.services.public import get_public_quiz, participant_units
from tests.quiz.conftest import DURING, at, finish


def test_each_read_of_the_public_quiz_is_a_fresh_instance_a_request_cannot_change_for_the_next(
    demo, jiangsu_quiz, settings
):
    settings.QUIZ_CACHE_SECONDS = 5
    with time_machine.travel(DURING, tick=False):
        first = get_public_quiz(jiangsu_quiz.slug)
        first.title = "改过的标题"
        first.paper_spec["节能"] = 99
        first.week.organizer.name = "改过的单位"
        second = get_public_quiz(jiangsu_quiz.slug)
    assert second is not first
    assert (second.title, second.paper_spec, second.week.organizer.name) == (
        jiangsu_quiz.title,
        jiangsu_quiz.paper_spec,
        demo.org("320000").name,
    )


def test_each_unit_read_from_the_held_units_is_a_fresh_org(demo, jiangsu_quiz, settings):
    settings.QUIZ_CACHE_SECONDS = 5
    nanjing = str(demo.org("320100").pk)
    with time_machine.travel(DURING, tick=False):
        _options, units = participant_units(jiangsu_quiz)
        unit = units.get(nanjing)
        unit.name = "改过的单位"
        _options, again = participant_units(jiangsu_quiz)
    assert again is units  # one hold
    assert (again.get(nanjing) is unit, again.get(nanjing).name) == (False, demo.org("320100").name)
    assert again.get("0") is None


def test_the_participation_roll_up_leaves_the_quiz_it_is_given_as_it_was(demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001")
    quiz = Quiz.objects.get(pk=jiangsu_quiz.pk)
    assert refresh_participation(quiz, now=at(4, 15)) == 1
    assert quiz.rolled_until is None
    assert Quiz.objects.get(pk=quiz.pk).rolled_until == at(4, 14)  # the whole hours before 14:55
