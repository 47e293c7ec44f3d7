"""Participation: first attempts counted by unit and hour, past hours rolled up once into ParticipationHour (the
periodic task), the live hours counted on read; the rate by unit for the summary and the quiz's participation page."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from eventweek.models import LOCAL_TZ, Org, Week
from quiz.models import Attempt, ParticipationHour, Quiz
from quiz.services.public import participant_orgs

# Hours are rolled up only once they are this far in the past: no transaction stays open that long.
ROLLUP_SLACK = datetime.timedelta(minutes=5)


def _hour_counts(quiz_ids, since=None, until=None):
    """(org_id, hour, count) of participants (first attempts) grouped in the database."""
    qs = Attempt.objects.filter(quiz_id__in=quiz_ids, number=1)
    if since is not None:
        qs = qs.filter(started_at__gte=since)
    if until is not None:
        qs = qs.filter(started_at__lt=until)
    # Asia/Shanghai is a whole-hour offset, so UTC hours are local hours.
    return (
        qs.annotate(h=TruncHour("started_at", tzinfo=datetime.UTC))
        .values_list("org_id", "h")
        .annotate(n=Count("id"))
        .order_by()
    )


def refresh_participation(quiz: Quiz, now: datetime.datetime | None = None) -> int:
    """Roll whole past hours of participation into ParticipationHour once; returns rows written (the quiz passed in
    is left as it was).

    A conditional update of rolled_until claims the range, so two workers never count an hour twice.
    """
    return _roll_up(quiz.pk, now)[0]


def _roll_up(quiz_id: int, now: datetime.datetime | None) -> tuple[int, datetime.datetime | None]:
    """refresh_participation's work: (rows written, the quiz's rolled_until as it now stands in the database)."""
    now = now or timezone.now()
    cutoff = (now - ROLLUP_SLACK).astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    previous = Quiz.objects.filter(pk=quiz_id).values_list("rolled_until", flat=True).get()
    if previous is not None and previous >= cutoff:
        return 0, previous
    with transaction.atomic():
        claim = Quiz.objects.filter(pk=quiz_id)
        claim = claim.filter(rolled_until__isnull=True) if previous is None else claim.filter(rolled_until=previous)
        if claim.update(rolled_until=cutoff) != 1:
            # Another worker rolled up meanwhile: read where it got to.
            return 0, Quiz.objects.filter(pk=quiz_id).values_list("rolled_until", flat=True).get()
        rows = [
            ParticipationHour(quiz_id=quiz_id, org_id=org_id, hour=hour, count=n)
            for org_id, hour, n in _hour_counts([quiz_id], previous, cutoff)
        ]
        ParticipationHour.objects.bulk_create(rows, batch_size=1000)
    return len(rows), cutoff


def refresh_all_participation(now: datetime.datetime | None = None) -> int:
    """Roll up every quiz whose window has started and whose past hours are not all rolled up yet."""
    now = now or timezone.now()
    written = 0
    for quiz in Quiz.objects.select_related("activity"):
        start, end = quiz.window_start, quiz.window_end
        if start is None or start > now or (quiz.rolled_until and end and quiz.rolled_until > end):
            continue
        written += refresh_participation(quiz, now)
    return written


def participation_hours(
    quizzes: list[Quiz], now: datetime.datetime | None = None
) -> list[tuple[int, datetime.datetime, int]]:
    """(org_id, hour, count) for the quizzes: rolled-up past hours plus a live count of the recent ones."""
    result = []
    for quiz in quizzes:
        _written, rolled_until = _roll_up(quiz.pk, now)
        result.extend(ParticipationHour.objects.filter(quiz=quiz).values_list("org_id", "hour", "count").order_by())
        result.extend(_hour_counts([quiz.pk], since=rolled_until))
    return result


def _counts_by_org(quizzes: list[Quiz], now=None) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for org_id, _hour, n in participation_hours(quizzes, now):
        counts[org_id] += n
    return counts


def _subtree_rows(orgs: list[Org], direct: dict[int, int], all_orgs: list[Org]) -> list[dict]:
    """Participants, headcount and rate of each org's whole subtree, always on one base.

    An org's headcount is its own staff (the people who name it as their unit), so a subtree's headcount is the sum
    over its units. A unit whose headcount is unknown (empty or 0) is left out of the rate on both sides: the rate is
    the participants of the units with a headcount divided by those units' headcount, and "coverage" says so
    ("覆盖 N/M 个单位") whenever some unit is left out. `all_orgs` must hold every unit of the subtrees (with
    headcount). Row keys: org, count (every participant of the subtree), headcount (known units' sum, None if none),
    rate (None without any headcount), covered_count, covered_units, units, coverage ("" when all are covered).
    """
    wanted = {org.path: org.pk for org in orgs}
    totals = {org.pk: {"count": 0, "covered_count": 0, "headcount": 0, "units": 0, "covered_units": 0} for org in orgs}
    for unit in all_orgs:
        known = bool(unit.headcount)
        n = direct.get(unit.pk, 0)
        codes = unit.path.strip("/").split("/")
        # Every ancestor-or-self path of the unit that is a row gets the unit added to its subtree.
        for depth in range(1, len(codes) + 1):
            row_pk = wanted.get("/" + "/".join(codes[:depth]) + "/")
            if row_pk is None:
                continue
            total = totals[row_pk]
            total["count"] += n
            total["units"] += 1
            if known:
                total["covered_count"] += n
                total["headcount"] += unit.headcount
                total["covered_units"] += 1
    rows = []
    for org in orgs:
        total = totals[org.pk]
        headcount = total["headcount"] or None
        partial = total["covered_units"] < total["units"]
        rows.append(
            {
                "org": org,
                "count": total["count"],
                "headcount": headcount,
                "rate": total["covered_count"] / headcount if headcount else None,
                "covered_count": total["covered_count"],
                "covered_units": total["covered_units"],
                "units": total["units"],
                "coverage": _("覆盖 %(n)s/%(m)s 个单位") % {"n": total["covered_units"], "m": total["units"]}
                if partial and headcount
                else "",
            }
        )
    return rows


def participation_by_org(week: Week, orgs=None) -> list[dict]:
    """Quiz participation per unit for a week, for the summary.

    Counts the participants (first attempts; one phone is one person per quiz) of the quizzes of `week` and of its
    parent week whose unit is the org or one of its descendants. `orgs` defaults to the week organizer and its direct
    children, in tree order. Each row is as `_subtree_rows` makes it: the rate is the subtree's participants over the
    same subtree's headcount, counting only the units whose headcount is known, and says how many units it covers.
    """
    week_ids = [week.pk] + ([week.parent_id] if week.parent_id else [])
    quizzes = list(Quiz.objects.filter(week_id__in=week_ids))
    if orgs is None:
        orgs = list(Org.objects.filter(Q(pk=week.organizer_id) | Q(parent_id=week.organizer_id)).order_by("path"))
    else:
        orgs = list(orgs)
    direct = _counts_by_org(quizzes)
    subtrees = Q(pk__in=[])
    for org in orgs:
        subtrees |= Q(path__startswith=org.path)
    all_orgs = list(Org.objects.filter(subtrees).only("pk", "path", "headcount")) if orgs else []
    return _subtree_rows(orgs, direct, all_orgs)


def quiz_participation(quiz: Quiz, now=None) -> dict:
    """Participation of one quiz: by unit (its subtree counted in), by local day and by local hour."""
    hours = participation_hours([quiz], now)
    direct: dict[int, int] = defaultdict(int)
    by_hour: dict[datetime.datetime, int] = defaultdict(int)
    for org_id, hour, n in hours:
        direct[org_id] += n
        by_hour[timezone.localtime(hour, LOCAL_TZ)] += n
    by_day: dict[datetime.date, int] = defaultdict(int)
    for hour, n in by_hour.items():
        by_day[hour.date()] += n
    tree = list(participant_orgs(quiz))
    root = quiz.week.organizer
    depth0 = root.path.count("/")
    units = [o for o in tree if o.path.count("/") - depth0 <= 2]
    rows = _subtree_rows(units, direct, tree)
    for row in rows:
        row["depth"] = row["org"].path.count("/") - depth0
        row["percent"] = row["rate"] * 100 if row["rate"] is not None else None
    total = sum(direct.values())
    hour_rows = sorted(by_hour.items())
    peak = max((n for _h, n in hour_rows), default=0)
    return {
        "total": total,
        "by_org": rows,
        "by_day": sorted(by_day.items()),
        "by_hour": [{"hour": h, "count": n, "peak": peak} for h, n in hour_rows],
    }
