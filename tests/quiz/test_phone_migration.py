"""The data migration that stores every attempt's phone in the normalised spelling, and reports collisions."""

import importlib

import pytest
from django.apps import apps

from quiz.models import Attempt
from quiz.services.attempts import normalize_phone
from tests.quiz.conftest import at, start
from tests.quiz.test_phone_spellings import SPELLINGS

migration = importlib.import_module("quiz.migrations.0006_normalise_attempt_phones")


def _stored(quiz, demo, minute, as_typed):
    """An attempt whose phone is stored as it was typed, as before the normalisation."""
    attempt = start(quiz, demo, phone=f"1370000{minute:04d}", now=at(4, 10, minute))
    Attempt.objects.filter(pk=attempt.pk).update(phone=as_typed)
    return attempt.pk


def test_stored_phones_are_normalised_oldest_first_and_collisions_are_left_and_reported(
    demo, national_quiz, jiangsu_quiz
):
    earlier_full_width = _stored(national_quiz, demo, 1, "１３９００００００２０")
    ascii_one = _stored(national_quiz, demo, 2, "13900000020")
    arabic = _stored(national_quiz, demo, 3, "139٠٠٠٠٠٠٢١")
    later_mixed = _stored(national_quiz, demo, 4, "1390000002１")
    other_quiz = _stored(jiangsu_quiz, demo, 5, "１３９００００００２０")
    not_a_phone = _stored(jiangsu_quiz, demo, 6, "电话待补")
    lines = []
    rewritten, report = migration.normalise_phones(apps, None, out=lines.append)
    phones = dict(Attempt.objects.values_list("pk", "phone"))
    assert phones == {
        earlier_full_width: "１３９００００００２０",  # an already normalised attempt keeps its number
        ascii_one: "13900000020",
        arabic: "13900000021",
        later_mixed: "1390000002１",  # the older attempt took the number first
        other_quiz: "13900000020",  # another quiz: no collision
        not_a_phone: "电话待补",
    }
    assert rewritten == 2
    n, j = national_quiz.pk, jiangsu_quiz.pk
    assert report == [
        f"答卷 {earlier_full_width}（竞答 {n}）：手机号 '１３９００００００２０' 即 13900000020，与答卷 {ascii_one} 重复"
        "（第 1 次作答），保留原样，请主办单位核对。",
        f"答卷 {later_mixed}（竞答 {n}）：手机号 '1390000002１' 即 13900000021，与答卷 {arabic} 重复（第 1 次作答），"
        "保留原样，请主办单位核对。",
        f"答卷 {not_a_phone}（竞答 {j}）：手机号 '电话待补' 不是手机号，保留原样。",
    ]
    assert lines == ["\n  答卷手机号规范化：改写 2 份，3 份保留原样。", *("  " + line for line in report)]


def test_running_it_again_changes_nothing_and_says_nothing_when_all_are_normalised(demo, national_quiz):
    _stored(national_quiz, demo, 1, "１３９００００００２０")
    assert migration.normalise_phones(apps, None, out=print)[0] == 1
    lines = []
    assert migration.normalise_phones(apps, None, out=lines.append) == (0, [])
    assert lines == []


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_migration_spells_numbers_as_the_service_does(spelling):
    assert migration.normalised(spelling) == normalize_phone(spelling) == "13900000020"
