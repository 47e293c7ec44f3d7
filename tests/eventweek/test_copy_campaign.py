"""Copying a campaign from last year: every date moves by the offset, nothing is published until reviewed."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django_q.models import Schedule

from audit.models import AuditEntry
from eventweek.models import LOCAL_TZ, Week
from eventweek.services.copying import copy_campaign, next_year_same_weekday, offset_for
from eventweek.services.publishing import publish_due_weeks
from quiz.models import Quiz
from quiz.services.setup import create_quiz_for_week, load_sample_bank


def _local(value: datetime.datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def jiangsu_2020(demo):
    """The 2020 Jiangsu week with a quiz (tied to the national week's quiz activity) and its sample bank."""
    week = demo.jiangsu
    with TestCase.captureOnCommitCallbacks(execute=True):
        quiz = create_quiz_for_week(week)
    load_sample_bank(quiz)
    return week


def test_the_default_offset_is_the_same_weekday_next_year(demo):
    monday = datetime.date(2020, 6, 29)
    assert next_year_same_weekday(monday) == datetime.timedelta(days=364)
    assert (monday + next_year_same_weekday(monday)).isoformat() == "2021-06-28"
    assert (monday + next_year_same_weekday(monday)).weekday() == monday.weekday()
    # 2023-01-02 is a Monday; 52 weeks on is 2024-01-01, the same date a day earlier: still 364.
    assert next_year_same_weekday(datetime.date(2023, 1, 2)) == datetime.timedelta(days=364)


def test_a_copy_moves_every_date_by_the_offset_and_publishes_nothing(jiangsu_2020, demo):
    source = jiangsu_2020
    source_quiz = Quiz.objects.get(week=source)
    admin = demo.user("jiangsu_admin")
    with TestCase.captureOnCommitCallbacks(execute=True):
        copy = copy_campaign(source, actor=admin, offset=datetime.timedelta(days=364))

    assert (copy.slug, copy.title, copy.kind, copy.edition) == (
        "2021-jiangsu",
        "2021年江苏省公共机构节能宣传周",
        "energy",
        31,
    )
    assert (copy.start_date.isoformat(), copy.end_date.isoformat()) == ("2021-06-28", "2021-07-04")
    assert _local(copy.publish_at) == _local(source.publish_at + datetime.timedelta(days=364))
    assert _local(copy.summary_due_at) == _local(source.summary_due_at + datetime.timedelta(days=364))
    assert [(d.date.isoformat(), d.name) for d in copy.special_days.order_by("date")] == [
        ((d.date + datetime.timedelta(days=364)).isoformat(), d.name) for d in source.special_days.order_by("date")
    ]
    old = [(a.title, _local(a.start), _local(a.end)) for a in source.activities.order_by("start", "pk")]
    new = [(a.title, _local(a.start), _local(a.end)) for a in copy.activities.order_by("start", "pk")]
    shifted = [
        (
            t,
            _local(
                datetime.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ) + datetime.timedelta(days=364)
            ),
            _local(
                datetime.datetime.strptime(e, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ) + datetime.timedelta(days=364)
            ),
        )
        for t, s, e in old
    ]
    assert new == shifted and len(new) == 3
    assert set(copy.report_orgs.values_list("code", flat=True)) == set(
        source.report_orgs.values_list("code", flat=True)
    )
    assert (copy.daily_cutoff, copy.summary_char_limit) == (source.daily_cutoff, source.summary_char_limit)
    quiz = Quiz.objects.get(week=copy)
    assert quiz.title == source_quiz.title.replace("2020", "2021")
    assert (_local(quiz.window_start), _local(quiz.window_end)) == (
        _local(source_quiz.window_start + datetime.timedelta(days=364)),
        _local(source_quiz.window_end + datetime.timedelta(days=364)),
    )
    assert quiz.questions.count() == source_quiz.questions.count() > 0
    # Nothing published, no schedule for the copy or its quiz, and the safety net leaves it alone even when due.
    assert (copy.published_at, copy.needs_review, copy.copied_from_id) == (None, True, source.pk)
    assert list(Schedule.objects.filter(name__contains=f":{copy.pk}").values_list("name", flat=True)) == []
    assert (
        list(
            Schedule.objects.filter(name__contains=f":{quiz.pk}")
            .exclude(args__contains=str(source_quiz.pk))
            .values_list("name", flat=True)
        )
        == []
    )
    with time_machine.travel(copy.starts_at, tick=False):
        publish_due_weeks()
    copy.refresh_from_db()
    assert copy.published_at is None
    entry = AuditEntry.objects.get(action="week.copy")
    assert (entry.actor_id, entry.org_id) == (admin.pk, demo.org("320000").pk)


def test_the_copy_page_confirms_the_new_dates_before_copying(jiangsu_2020, demo, client_for):
    admin = client_for(demo.user("jiangsu_admin"))
    url = reverse("eventweek:manage_week_copy", args=["2020-jiangsu"])

    preview = admin.post(url, {"mode": "days", "days": "371"})
    assert not Week.objects.filter(slug="2021-jiangsu").exists()
    assert "新日期：2021年7月5日 至 7月11日，所有日期偏移 371 天；复制活动 3 项。" in preview.content.decode()

    done = admin.post(url, {"mode": "days", "days": "371", "confirm": "371"})
    copy = Week.objects.get(slug="2021-jiangsu")
    assert done["Location"] == reverse("eventweek:manage_week", args=["2021-jiangsu"])
    assert (copy.start_date.isoformat(), copy.published_at) == ("2021-07-05", None)


def test_a_copy_to_an_impossible_date_is_refused_in_chinese(jiangsu_2020, demo, client_for):
    leap = jiangsu_2020
    Week.objects.filter(pk=leap.pk).update(start_date=datetime.date(2020, 2, 29))
    leap.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        offset_for(leap, same_date=True)
    assert refused.value.message_dict["offset"] == [
        "2020-02-29 是闰日，明年没有同一日期，请改用“同一星期几”或指定天数。"
    ]

    admin = client_for(demo.user("jiangsu_admin"))
    response = admin.post(
        reverse("eventweek:manage_week_copy", args=["2020-jiangsu"]),
        {"mode": "days", "days": "2950000", "confirm": "2950000"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["days"] == ["确保该值小于或等于36500。"]
    with pytest.raises(ValidationError) as overflow:
        copy_campaign(leap, actor=None, offset=datetime.timedelta(days=3_000_000))
    assert overflow.value.message_dict["offset"][0].startswith("偏移后的日期超出可用范围（2020-02-29 加 3000000 天）")
    assert Week.objects.count() == 2
