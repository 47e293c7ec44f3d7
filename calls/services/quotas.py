"""The quota board: per demonstration unit, 市直单位 and county, cases and essays required versus submitted."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, Entry
from eventweek.models import Org
from eventweek.outbox import ensure_schedule
from notifications.models import NoticeKind
from notifications.services.deliveries import queue_notice

TITLED = (Org.Category.DEMONSTRATION, Org.Category.THRIFTY)


@dataclass
class QuotaRow:
    """One org's line on the board."""

    org: Org
    group: str
    cases_required: int
    essays_required: int
    cases: int
    essays: int

    @property
    def met(self) -> bool:
        return self.cases >= self.cases_required and self.essays >= self.essays_required

    @property
    def short(self) -> str:
        parts = []
        if self.cases < self.cases_required:
            parts.append(_("差案例 %(n)s 个") % {"n": self.cases_required - self.cases})
        if self.essays < self.essays_required:
            parts.append(_("差征文 %(n)s 篇") % {"n": self.essays_required - self.essays})
        return "，".join(parts)


def _expected(call: Call) -> list[tuple[Org, str, int, int, bool]]:
    """(org, group, cases, essays, whole subtree counts) for every org the call expects something from."""
    rows = []
    below = call.org.descendants(include_self=False).order_by("path")
    for org in below:
        if org.level == Org.Level.COUNTY:
            rows.append((org, _("县（市、区）"), call.county_cases, call.county_essays, True))
        elif org.category == Org.Category.DEMONSTRATION:
            rows.append((org, _("示范单位"), call.demo_cases, call.demo_essays, False))
        elif org.parent_id == call.org_id and org.level == Org.Level.INSTITUTION:
            rows.append((org, _("市直单位"), 0, call.direct_essays, False))
    return rows


def quota_board(call: Call) -> list[QuotaRow]:
    """Each expected org's required and submitted cases and essays (a county counts its whole subtree)."""
    submitted = list(
        Entry.objects.filter(call=call, state=Entry.State.SUBMITTED, org__isnull=False).values_list("kind", "org__path")
    )
    board = []
    for org, group, cases_required, essays_required, subtree in _expected(call):

        def counts(kind, org=org, subtree=subtree):
            if subtree:
                return sum(1 for k, path in submitted if k == kind and path.startswith(org.path))
            return sum(1 for k, path in submitted if k == kind and path == org.path)

        board.append(
            QuotaRow(org, group, cases_required, essays_required, counts(Entry.Kind.CASE), counts(Entry.Kind.ESSAY))
        )
    return board


def quota_totals(board: list[QuotaRow]) -> dict:
    """How many orgs met or fell short."""
    return {"met": sum(1 for row in board if row.met), "short": sum(1 for row in board if not row.met)}


@transaction.atomic
def remind_short(call: Call, now=None) -> int:
    """Queue a reminder to every org still short before the deadline (the 未报送提醒 kind), once per org and day."""
    now = now or timezone.now()
    if now > call.deadline:
        return 0
    count = 0
    for row in quota_board(call):
        if row.met:
            continue
        queue_notice(
            row.org,
            NoticeKind.REPORT_MISSING,
            key=f"call:{call.pk}:{row.org.pk}:{timezone.localdate(now).isoformat()}",
            subject=_("【征集提醒】%(title)s") % {"title": call.title},
            body=_("%(org)s：%(title)s将于 %(deadline)s 截止，贵单位%(short)s。\n")
            % {
                "org": row.org.name,
                "title": call.title,
                "deadline": timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M"),
                "short": row.short,
            },
        )
        count += 1
    return count


REMIND_DAYS = 3  # reminders start this many days before a call's deadline


def remind_due_calls(now=None) -> int:
    """Remind the short orgs of every published call closing within REMIND_DAYS; returns the reminders queued."""
    now = now or timezone.now()
    calls = Call.objects.filter(
        published_at__isnull=False, deadline__gte=now, deadline__lte=now + datetime.timedelta(days=REMIND_DAYS)
    )
    return sum(remind_short(call, now) for call in calls)


def ensure_schedules() -> None:
    """The hourly reminder sweep and the certificate jobs' recovery sweep (idempotent: run at every migrate)."""
    ensure_schedule("calls-quota-reminders", "calls.tasks.remind_due", minutes=60)
    ensure_schedule("calls-certificates-recover", "calls.tasks.recover_certificates", minutes=1)
