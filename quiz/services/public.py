"""What every participant's entry page and start read, held for a few seconds per process.

The public quiz by slug (with week, organizer and activity) and the units of its organizer's subtree: building those
queries took more of the worker than the start's own insert. An attempt's quiz by id likewise (the paper, result and
card pages of every participant read it). Saving a quiz, week, activity or unit, or changing a bank,
in this process forgets them at once (quiz.receivers); other processes follow within QUIZ_CACHE_SECONDS.

The hold is shared between threads, so it keeps plain values (each row's field values in a frozen dataclass) and every
read builds fresh model instances from them: no request ever sees another request's instance.
"""

import copy
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from eventweek.errors import NotFound
from eventweek.models import Org, Week
from notifications.services.routing import sms_channel_for
from quiz.models import Quiz

_HELD: dict[tuple, tuple[float, object]] = {}


@dataclass(frozen=True)
class Row:
    """One model row as plain values; build() makes a fresh instance of it (as if just read from the database)."""

    model: type[models.Model]
    db: str
    names: tuple[str, ...]
    values: tuple

    @classmethod
    def of(cls, instance: models.Model) -> "Row":
        # No copy here: the instance was just read for the hold and is handed to no one; build() copies on the way out.
        names = tuple(field.attname for field in instance._meta.concrete_fields)
        return cls(type(instance), instance._state.db, names, tuple(getattr(instance, name) for name in names))

    def build(self) -> models.Model:
        # JSON values (dicts, lists) are copied so no instance can change what the next request reads.
        values = tuple(copy.deepcopy(v) if isinstance(v, dict | list) else v for v in self.values)
        return self.model.from_db(self.db, self.names, values)


def _held(key: tuple, load):
    held = _HELD.get(key)
    if held is not None and held[0] > time.time():
        return held[1]
    value = load()
    seconds = settings.QUIZ_CACHE_SECONDS
    if seconds > 0:
        _HELD[key] = (time.time() + seconds, value)
    return value


def forget_held(**_signal) -> None:
    """Drop what this process holds of the public quizzes (on any save of what they are built from)."""
    _HELD.clear()


@dataclass(frozen=True)
class _PublicQuiz:
    quiz: Row
    week: Row
    organizer: Row
    activity: Row | None


def _load_public_quiz(slug: str) -> _PublicQuiz:
    try:
        quiz = Quiz.objects.select_related("week__organizer", "activity").get(
            slug=slug, week__published_at__isnull=False
        )
    except Quiz.DoesNotExist:
        raise NotFound(_("没有这个竞答。")) from None
    return _held_quiz_of(quiz)


def _held_quiz_of(quiz: Quiz) -> _PublicQuiz:
    activity = Row.of(quiz.activity) if quiz.activity is not None else None
    return _PublicQuiz(Row.of(quiz), Row.of(quiz.week), Row.of(quiz.week.organizer), activity)


def get_public_quiz(slug: str) -> Quiz:
    """A quiz anyone may take (a fresh instance, with its week, organizer and activity); NotFound until its week is
    published."""
    return _build(_held(("quiz", slug), lambda: _load_public_quiz(slug)))


def get_attempt_quiz(quiz_id: int) -> Quiz:
    """An attempt's quiz by id, with its week, organizer and activity (a fresh instance; the week need not be
    published any more): what the paper, result and card of every participant read, so held like get_public_quiz."""
    return _build(
        _held(
            ("quiz-id", quiz_id),
            lambda: _held_quiz_of(Quiz.objects.select_related("week__organizer", "activity").get(pk=quiz_id)),
        )
    )


def _build(held: _PublicQuiz) -> Quiz:
    quiz, week = held.quiz.build(), held.week.build()
    week.organizer = held.organizer.build()
    quiz.week = week
    quiz.activity = held.activity.build() if held.activity is not None else None
    return quiz


def has_sms_channel(quiz: Quiz) -> bool:
    """Whether an SMS channel sends the quiz's codes (notifications.services.routing.sms_channel_for), held: the entry
    page of every participant asks."""
    organizer = quiz.week.organizer
    return _held(("sms", organizer.pk), lambda: sms_channel_for(organizer) is not None)


def held_page(key: tuple, render) -> str:
    """A page's text as render() gives it, held like the quiz it shows (forgotten with it): for pages that are the same
    for every visitor, whose one per-visitor part the caller writes in afterwards."""
    return _held(("page", *key), render)


def participant_orgs(quiz: Quiz):
    """The units a participant can pick: the week organizer's subtree."""
    return quiz.week.organizer.descendants().order_by("path")


class Units:
    """The units of a quiz's subtree by id (as the form posts them); get() builds a fresh Org, None for another id."""

    def __init__(self, rows: dict[str, Row]):
        self._rows = rows

    def get(self, key: str) -> Org | None:
        row = self._rows.get(key)
        return row.build() if row is not None else None

    def __len__(self) -> int:
        return len(self._rows)


def participant_units(quiz: Quiz) -> tuple[str, Units]:
    """participant_orgs as the entry form needs them, held: the <option>s of a plain <select> (labels indented by depth
    so the tree reads; a national quiz lists thousands of units, too many to render one template each), and the units
    by id."""

    def load():
        orgs = list(participant_orgs(quiz))
        depth0 = quiz.week.organizer.path.count("/")
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((org.pk, "\u3000" * (org.path.count("/") - depth0) + org.name) for org in orgs),
        )
        return options, Units({str(org.pk): Row.of(org) for org in orgs})

    return _held(("units", quiz.week.organizer_id), load)


def public_quizzes_for_week(week: Week) -> list[Quiz]:
    """Quizzes a week's public page can link to: its own and its parent weeks', tied activity prefetched."""
    return list(
        Quiz.objects.filter(week_id__in=[w.pk for w in week.ancestry()]).select_related("activity").order_by("pk")
    )
