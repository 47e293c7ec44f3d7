"""Review up the chain: reviewers score on the call's criteria and comment; the org shortlists and selects; its
selection is forwarded to the org above and lands in its inbox; the sender sees what was adopted above."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from calls.models import Call, Decision, Entry, Forwarding, Score
from eventweek.errors import DomainError
from eventweek.models import Org
from inbox.services.delivery import deliver_call_selection


@transaction.atomic
def score_entry(entry: Entry, reviewer, points: dict, comment: str = "") -> Score:
    """The reviewer's scores on each criterion (0 to its maximum) and comment; a new scoring replaces theirs."""
    clean = {}
    for criterion in entry.call.criteria:
        name, top = criterion["name"], int(criterion["max"])
        try:
            value = int(points.get(name, ""))
        except (TypeError, ValueError):
            raise ValidationError(
                {"points": _("“%(name)s”请填写 0 到 %(max)s 的整数。") % {"name": name, "max": top}}
            ) from None
        if not 0 <= value <= top:
            raise ValidationError({"points": _("“%(name)s”应在 0 到 %(max)s 之间。") % {"name": name, "max": top}})
        clean[name] = value
    score, _created = Score.objects.update_or_create(
        entry=entry,
        reviewer=reviewer,
        defaults={"org": reviewer.org, "points": clean, "total": sum(clean.values()), "comment": comment.strip()},
    )
    return score


@transaction.atomic
def decide(
    entry: Entry, org: Org, *, shortlisted: bool | None = None, selected: bool | None = None, actor=None
) -> Decision:
    """Shortlist and/or select the entry at org's level (selected implies shortlisted); a change is audited."""
    decision, _created = Decision.objects.select_for_update().get_or_create(entry=entry, org=org)
    before = {"shortlisted": decision.shortlisted, "selected": decision.selected}
    if shortlisted is not None:
        decision.shortlisted = shortlisted
    if selected is not None:
        decision.selected = selected
        if selected:
            decision.shortlisted = True
    decision.save()
    after = {"shortlisted": decision.shortlisted, "selected": decision.selected}
    if after != before:
        log_action(actor, actions.CALL_SELECT, entry, org=org, before=before, after=after)
    return decision


def entries_to_review(call: Call, org: Org):
    """The submitted entries before org: all of the call at the call's org, else those forwarded to org."""
    entries = Entry.objects.filter(call=call, state=Entry.State.SUBMITTED).select_related("org")
    if call.org_id != org.pk:
        entries = entries.filter(forwardings__receiver=org).distinct()
    return entries.annotate(average=Avg("scores__total")).order_by("kind", "pk")


def selected_entries(call: Call, org: Org):
    """The entries org selected, in review order."""
    return entries_to_review(call, org).filter(decisions__org=org, decisions__selected=True)


@transaction.atomic
def forward_selection(call: Call, org: Org, user=None) -> Forwarding:
    """Send org's selection to the org above; it lands in the receiver's inbox (kind 案例征文)."""
    receiver = org.parent
    if receiver is None:
        raise DomainError(_("%(org)s没有上级单位，无需报送。") % {"org": org.name})
    entries = list(selected_entries(call, org))
    if not entries:
        raise DomainError(_("还没有入选的作品，请先评审入选后再报送。"))
    now = timezone.now()
    forwarding = Forwarding.objects.create(call=call, sender=org, receiver=receiver, forwarded_at=now)
    forwarding.entries.set(entries)
    log_action(
        user,
        actions.CALL_FORWARD,
        forwarding,
        org=org,
        data={"receiver": receiver.code, "entries": sorted(e.pk for e in entries)},
    )
    deliver_call_selection(
        forwarding,
        _("%(org)s%(title)s入选作品（%(count)s 件）") % {"org": org.name, "title": call.title, "count": len(entries)},
    )
    return forwarding


def adoption_of(entry: Entry) -> list[Org]:
    """The orgs above the entry's call org that selected it (what was adopted, shown back to the sender)."""
    return [
        decision.org
        for decision in entry.decisions.filter(selected=True).select_related("org").order_by("-org__path")
        if decision.org_id != entry.call.org_id
    ]


@transaction.atomic
def mark_forward_adopted(forwarding: Forwarding, user) -> None:
    """The receiver adopted the forwarded selection: its inbox entry says so."""
    entry = forwarding.inbox_entry
    if entry.adopted_at is None:
        entry.adopted_at, entry.adopted_by = timezone.now(), user
        entry.save(update_fields=["adopted_at", "adopted_by"])
        log_action(user, actions.CALL_ADOPT, forwarding, org=forwarding.receiver)
