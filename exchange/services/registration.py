"""Registration (备案): a unit registers before the exchange day; the organizer approves it or returns it with a reason."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError
from eventweek.models import LOCAL_TZ, Activity, Org, User
from eventweek.phones import normalize_phone
from exchange.models import Registration


@dataclass
class RegistrationInput:
    contact_name: str
    contact_phone: str
    expected_items: str
    poverty_area: str


def md(day: datetime.date) -> str:
    """7月1日."""
    return f"{day.month}月{day.day}日"


def check_registration_open(activity: Activity, now: datetime.datetime) -> None:
    """Refuse a registration once the exchange day is over (DomainError naming the day)."""
    today = timezone.localtime(now, LOCAL_TZ).date()
    if today > activity.last_day:
        raise DomainError(_("备案截止于 %(day)s（云兑换当天），已不能备案。") % {"day": md(activity.last_day)})


def _validated(data: RegistrationInput) -> RegistrationInput:
    errors = {}
    for field, label in (
        ("contact_name", _("联系人")),
        ("expected_items", _("预计回收物品")),
        ("poverty_area", _("定点扶贫地区或产品")),
    ):
        if not (getattr(data, field) or "").strip():
            errors[field] = _("请填写%(label)s。") % {"label": label}
    try:
        phone = normalize_phone(data.contact_phone)
    except ValueError as exc:
        errors["contact_phone"] = str(exc)
        phone = ""
    if errors:
        raise ValidationError(errors)
    return RegistrationInput(data.contact_name.strip(), phone, data.expected_items.strip(), data.poverty_area.strip())


@transaction.atomic
def register_unit(
    activity: Activity, org: Org, user: User, data: RegistrationInput, now: datetime.datetime | None = None
) -> Registration:
    """Register org for the exchange (or change a pending or returned registration, which goes back to pending)."""
    now = now or timezone.now()
    check_registration_open(activity, now)
    if not org.is_within(activity.week.organizer):
        raise DomainError(_("%(org)s不在该云兑换活动的范围内。") % {"org": org.name})
    data = _validated(data)
    registration = Registration.objects.select_for_update().filter(activity=activity, org=org).first()
    if registration is not None and registration.is_approved:
        raise DomainError(_("备案已通过，不能再修改；如需变更请联系%(org)s。") % {"org": activity.week.organizer.name})
    if registration is None:
        registration = Registration(activity=activity, org=org)
    registration.contact_name = data.contact_name
    registration.contact_phone = data.contact_phone
    registration.expected_items = data.expected_items
    registration.poverty_area = data.poverty_area
    registration.status = Registration.Status.PENDING
    registration.submitted_at = now
    registration.submitted_by = user
    registration.save()
    return registration


def _claim(registration: Registration, status: str, user: User, now, reason: str = "") -> None:
    """Move a pending registration on; a second decision (another tab, a colleague) is refused, not repeated."""
    claimed = Registration.objects.filter(pk=registration.pk, status=Registration.Status.PENDING).update(
        status=status, return_reason=reason, decided_at=now, decided_by=user
    )
    if claimed != 1:
        current = Registration.objects.get(pk=registration.pk)
        raise DomainError(_("该备案当前为“%(status)s”，不能再审核。") % {"status": current.get_status_display()})
    registration.refresh_from_db()


@transaction.atomic
def approve_registration(registration: Registration, user: User, now: datetime.datetime | None = None) -> None:
    """Approve a pending registration: the unit may record its exchange."""
    _claim(registration, Registration.Status.APPROVED, user, now or timezone.now())
    log_action(user, actions.EXCHANGE_APPROVE, registration, after={"status": registration.status})


@transaction.atomic
def return_registration(
    registration: Registration, user: User, reason: str, now: datetime.datetime | None = None
) -> None:
    """Return a pending registration to its unit with a reason (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    _claim(registration, Registration.Status.RETURNED, user, now or timezone.now(), reason[:500])
    log_action(
        user, actions.EXCHANGE_RETURN, registration, after={"status": registration.status, "reason": reason[:500]}
    )
