"""Highlights: marking items, the week's highlight list, and forwarding a day's highlights upward as a package."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Org, User, Week
from inbox.services.delivery import deliver_package
from reporting.models import ForwardedPackage, Highlight, ReportItem
from reporting.services.access import check_can_review


def highlights_for(week: Week, org: Org | None = None, day: datetime.date | None = None) -> list[Highlight]:
    """The week's highlights in order (day, order), optionally only items of org's subtree and of one day.

    Each highlight comes with item, item.report and item.report.org loaded and its chosen pictures prefetched
    (`highlight.pictures.all()`), so looping over them costs no further queries.
    """
    qs = Highlight.objects.filter(week=week, item__removed=False)
    if org is not None:
        qs = qs.filter(item__report__org__path__startswith=org.path)
    if day is not None:
        qs = qs.filter(day=day)
    return list(
        qs.select_related("item__report__org", "marked_by", "package")
        .prefetch_related("pictures")
        .order_by("day", "order", "pk")
    )


@transaction.atomic
def mark_highlight(
    item: ReportItem, *, user: User, comment: str = "", order: int = 0, picture_ids: list[int] | None = None
) -> Highlight:
    """Mark an item as a highlight (or update the mark) with a comment, an order and chosen pictures of the item."""
    report = item.report
    check_can_review(user, report.week)
    if not report.is_submitted:
        raise DomainError(_("该报送尚未提交，不能标记亮点。"))
    highlight, _created = Highlight.objects.select_for_update().get_or_create(
        item=item, defaults={"week": report.week, "day": report.day, "marked_by": user}
    )
    if highlight.package_id:
        raise DomainError(_("该亮点已于 %(at)s 上报，不能再修改。") % {"at": _local(highlight.package.forwarded_at)})
    allowed = set(item.pictures.filter(removed=False).values_list("pk", flat=True))
    chosen = [pk for pk in (picture_ids or []) if pk in allowed]
    highlight.comment = comment.strip()
    highlight.order = order
    highlight.marked_by = user
    highlight.save()
    highlight.pictures.set(chosen)
    return highlight


@transaction.atomic
def unmark_highlight(item: ReportItem, *, user: User) -> None:
    """Remove an item's highlight mark, unless it was already forwarded."""
    check_can_review(user, item.report.week)
    highlight = Highlight.objects.select_for_update().filter(item=item).first()
    if highlight is None:
        return
    if highlight.package_id:
        raise DomainError(_("该亮点已上报，不能取消。"))
    highlight.delete()


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def forward_highlights(
    week: Week, day: datetime.date, *, user: User, now: datetime.datetime | None = None
) -> ForwardedPackage:
    """Freeze a day's not yet forwarded highlights into a package from the week's organizer to the parent week's."""
    now = now or timezone.now()
    check_can_review(user, week)
    if not week.contains_date(day):
        raise ValidationError({"day": _("%(day)s 不在活动周之内。") % {"day": day}})
    # The package is always the organizer's, whoever of its reviewers (or a superuser) presses the button.
    org = week.organizer
    # Lock the week's highlights of the day so two reviewers forwarding at once make one package.
    list(Highlight.objects.select_for_update().filter(week=week, day=day).values_list("pk", flat=True))
    highlights = [h for h in highlights_for(week, org=None, day=day) if h.package_id is None]
    if not highlights:
        raise DomainError(_("%(day)s 没有待上报的亮点，请先标记亮点。") % {"day": day})
    number = (ForwardedPackage.objects.filter(week=week, org=org, day=day).aggregate(n=Max("number"))["n"] or 0) + 1
    payload = []
    picture_ids = []
    for h in highlights:
        item = h.item
        pictures = [{"id": p.pk, "caption": p.caption} for p in h.pictures.all()]
        picture_ids += [p["id"] for p in pictures]
        payload.append(
            {
                "highlight": h.pk,
                "item": item.pk,
                "org": item.report.org.code,
                "org_name": item.report.org.name,
                "day": day.isoformat(),
                "title": item.title,
                "kind": item.get_kind_display(),
                "place": item.place,
                "mode": item.get_mode_display(),
                "participants": item.participants,
                "description": item.description,
                "comment": h.comment,
                "order": h.order,
                "pictures": pictures,
            }
        )
    package = ForwardedPackage.objects.create(
        week=week,
        org=org,
        recipient=week.parent.organizer if week.parent_id else None,
        day=day,
        number=number,
        forwarded_at=now,
        forwarded_by=user,
        forwarded_by_name=user.get_full_name() or user.first_name or user.username,
        payload=payload,
    )
    package.pictures.set(picture_ids)
    Highlight.objects.filter(pk__in=[h.pk for h in highlights]).update(package=package)
    # The receiver's inbox gets it in this transaction: a package is never forwarded without arriving.
    deliver_package(package)
    log_action(
        user, actions.HIGHLIGHTS_FORWARD, package, org=org, data={"day": day, "number": number, "items": len(payload)}
    )
    return package


def packages_for(week: Week, user: User) -> list[ForwardedPackage]:
    """Forwarded packages of the week sent by orgs the user may see."""
    qs = ForwardedPackage.objects.filter(week=week).select_related("org", "recipient", "forwarded_by")
    if not user.is_superuser:
        qs = qs.filter(org__path__startswith=user.org.path) if user.org_id else qs.none()
    return list(qs.order_by("day", "number"))


def item_pictures(item: ReportItem) -> list:
    """An item's live pictures in order, the ones a highlight may choose from."""
    return list(item.pictures.filter(removed=False).order_by("position", "pk"))


def package_entries(package: ForwardedPackage) -> list[dict]:
    """A package's frozen entries, each with the pictures still kept as `picture_objects`."""
    kept = set(package.pictures.values_list("pk", flat=True))
    return [
        {
            **entry,
            "picture_objects": [{"pk": p["id"], "caption": p["caption"]} for p in entry["pictures"] if p["id"] in kept],
        }
        for entry in package.payload
    ]
