"""The exchange tally: what was collected and exchanged, per org subtree and in total, for the exchange page, the
reporting dashboard, the summary draft and the .xlsx export."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from eventweek.models import Activity, Org, Week
from exchange.models import Record


@dataclass
class TallyRow:
    """The sums of one org's subtree (or of everything: the total row)."""

    label: str
    org: Org | None = None
    units: int = 0
    newspapers_kg: Decimal = Decimal("0")
    ink_cartridges: int = 0
    electronics: int = 0
    other_count: int = 0
    products_yuan: Decimal = Decimal("0")

    def add(self, record: Record) -> None:
        self.units += 1
        self.newspapers_kg += record.newspapers_kg
        self.ink_cartridges += record.ink_cartridges
        self.electronics += record.electronics
        self.other_count += record.other_count
        self.products_yuan += record.products_yuan or Decimal("0")


@dataclass
class Tally:
    root: Org
    rows: list[TallyRow] = field(default_factory=list)
    total: TallyRow = field(default_factory=lambda: TallyRow(_("合计")))
    records: list[Record] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    @property
    def has_records(self) -> bool:
        return bool(self.records)


def week_exchanges(week: Week) -> list[Activity]:
    """The exchange activities of the week's programme: its own and its parents' (not cancelled)."""
    return list(
        Activity.objects.filter(kind=Activity.Kind.EXCHANGE, week__in=week.ancestry())
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("week__organizer")
        .order_by("start", "pk")
    )


def records_under(activities: list[Activity], root: Org) -> list[Record]:
    """The activities' records of units in root's subtree, each with its products' value summed (products_yuan)."""
    return list(
        Record.objects.filter(activity__in=activities, org__path__startswith=root.path)
        .select_related("org", "registration")
        .prefetch_related("products")
        .annotate(products_yuan=Sum("products__value_yuan"))
        .order_by("org__path", "pk")
    )


def build_tally(activities: list[Activity], root: Org) -> Tally:
    """Per child subtree of root (root's own record as its own row) and in total."""
    tally = Tally(root=root, records=records_under(activities, root), activities=list(activities))
    children = sorted(root.children.all(), key=lambda o: o.path)
    rows: dict[int, TallyRow] = {}
    for record in tally.records:
        owner = next((child for child in children if record.org.path.startswith(child.path)), root)
        row = rows.get(owner.pk)
        if row is None:
            label = owner.display_name if owner.pk != root.pk else _("%(org)s（本单位）") % {"org": root.display_name}
            row = rows[owner.pk] = TallyRow(label, owner)
        row.add(record)
        tally.total.add(record)
    tally.rows = sorted(rows.values(), key=lambda row: row.org.path)
    return tally


def tally_for_user(user, activity: Activity) -> Tally:
    """The activity's tally of the user's subtree (the organizer's, for a superuser or a user without an org)."""
    root = user.org if user.org_id and not user.is_superuser else activity.week.organizer
    return build_tally([activity], root)


def dashboard_tally(week: Week) -> Tally | None:
    """The week's dashboard block: its organizer's subtree; None without a record there (one query then)."""
    with_records = set(
        Record.objects.filter(
            activity__kind=Activity.Kind.EXCHANGE,
            activity__week__in=[w.pk for w in week.ancestry()],
            org__path__startswith=week.organizer.path,
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .values_list("activity_id", flat=True)
    )
    if not with_records:
        return None
    activities = [activity for activity in week_exchanges(week) if activity.pk in with_records]
    return build_tally(activities, week.organizer)


@dataclass
class ExchangeFacts:
    """What a summary says about the exchange: the units that recorded one and their sums."""

    units: int
    newspapers_kg: Decimal
    ink_cartridges: int
    electronics: int
    products_yuan: Decimal


def summary_facts(week: Week, org: Org) -> ExchangeFacts | None:
    """The exchange sums of org's subtree for the week's programme; None without a record."""
    activities = week_exchanges(week)
    if not activities:
        return None
    tally = build_tally(activities, org)
    if not tally.has_records:
        return None
    total = tally.total
    return ExchangeFacts(total.units, total.newspapers_kg, total.ink_cartridges, total.electronics, total.products_yuan)
