"""Saving a week with its daily reporters and special days."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eventweek.models import Org, SpecialDay, Week
from eventweek.services.publishing import schedule_publication


@transaction.atomic
def save_week(
    week: Week,
    *,
    report_orgs: Iterable[Org] | None = None,
    special_days: Iterable[tuple[datetime.date, str, str]] | None = None,
) -> Week:
    """Validate and save a week (with its daily reporters and special days), and (re)schedule its publication.

    report_orgs and special_days, when given, replace the week's current ones; special days are (date, name, theme).
    """
    week.full_clean()
    # Saving a copied campaign through the form is its review: from now on it publishes on time.
    week.needs_review = False
    if report_orgs is not None:
        report_orgs = list(report_orgs)
        outside = [org.name for org in report_orgs if not org.is_within(week.organizer)]
        if outside:
            raise ValidationError(
                {"report_orgs": _("每日报送单位必须是主办单位或其下级单位：%(orgs)s。") % {"orgs": "、".join(outside)}}
            )
    if special_days is not None:
        special_days = [(day, name.strip(), theme.strip()) for day, name, theme in special_days]
        for day, _name, _theme in special_days:
            if not week.contains_date(day):
                raise ValidationError({"special_days": _("主题日 %(day)s 不在活动周之内。") % {"day": day}})
    week.save()
    if report_orgs is not None:
        week.report_orgs.set(report_orgs)
    if special_days is not None:
        _sync_special_days(week, special_days)
    transaction.on_commit(lambda: schedule_publication(week))
    return week


def _sync_special_days(week: Week, wanted: list[tuple[datetime.date, str, str]]) -> None:
    """Keep rows that still exist (same date and name), update their theme, add and remove the rest."""
    existing = {(day.date, day.name): day for day in week.special_days.all()}
    keep = set()
    for date, name, theme in wanted:
        key = (date, name)
        if key in keep:
            continue
        keep.add(key)
        row = existing.get(key)
        if row is None:
            SpecialDay.objects.create(week=week, date=date, name=name, theme=theme)
        elif row.theme != theme:
            row.theme = theme
            row.save(update_fields=["theme"])
    stale = [row.pk for key, row in existing.items() if key not in keep]
    if stale:
        SpecialDay.objects.filter(pk__in=stale).delete()
