"""Exchange access: which exchange activities, registrations, records and pictures a user may see or handle.

An exchange activity belongs to its week's organizer. The organizer's subtree takes part (each unit registers and
records for itself); the organizer's admins and reviewers decide the registrations; orgs above the organizer see the
tally. A registration, a record and its pictures are seen by their unit and the orgs above it, never by a sibling.
Missing and invisible both raise `NotFound`; may see but not do raises `Forbidden` with the reason in Chinese.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from eventweek.errors import Forbidden, NotFound
from eventweek.models import Activity, User
from exchange.models import Picture, Record, Registration


def _exchanges():
    return Activity.objects.filter(kind=Activity.Kind.EXCHANGE).select_related("week__organizer", "week__parent")


def _may_see(user: User, activity: Activity) -> bool:
    organizer = activity.week.organizer
    if user.is_superuser:
        return True
    if user.org_id is None:
        return False
    # Orgs above the organizer see the tally; the organizer's subtree takes part.
    return user.can_see_org(organizer) or user.org.is_within(organizer)


def exchanges_for_user(user: User) -> list[Activity]:
    """The exchange activities the user may open, newest first."""
    qs = _exchanges()
    if not user.is_superuser:
        if user.org_id is None:
            return []
        qs = qs.filter(Q(week__organizer__in=user.visible_orgs()) | Q(week__organizer__in=user.org.ancestors()))
    return list(qs.order_by("-start", "pk"))


def get_exchange_for_user(user: User, pk: int) -> Activity:
    """An exchange activity the user may open (its organizer's subtree, or above it); NotFound otherwise."""
    activity = _exchanges().filter(pk=pk).first()
    if activity is None or not _may_see(user, activity):
        raise NotFound(_("没有找到该云兑换活动。"))
    return activity


def is_organizer(user: User, activity: Activity) -> bool:
    """Whether the user decides the activity's registrations: an admin or reviewer of the week's organizer."""
    if user.is_superuser:
        return True
    return user.org_id == activity.week.organizer_id and user.role in (User.Role.ADMIN, User.Role.REVIEWER)


def unit_refusal(user: User, activity: Activity) -> str:
    """Why the user cannot register or record for their own unit ("" when they can)."""
    if user.org_id is None:
        return _("您的账号没有所属单位，不能备案或登记兑换情况。")
    if not user.org.is_within(activity.week.organizer):
        return _("本单位不在%(org)s组织的云兑换范围内；您可以查看汇总，但不能备案。") % {
            "org": activity.week.organizer.name
        }
    return ""


def get_unit_exchange(user: User, pk: int) -> Activity:
    """An exchange activity the user's own unit takes part in; NotFound when invisible, Forbidden otherwise."""
    activity = get_exchange_for_user(user, pk)
    refusal = unit_refusal(user, activity)
    if refusal:
        raise Forbidden(refusal)
    return activity


def own_registration(user: User, activity: Activity) -> Registration | None:
    """The user's unit's registration for the activity, if any."""
    if user.org_id is None:
        return None
    return Registration.objects.filter(activity=activity, org_id=user.org_id).first()


def own_record(user: User, activity: Activity) -> Record | None:
    """The user's unit's exchange record for the activity, if any (its products and pictures loaded)."""
    if user.org_id is None:
        return None
    return Record.objects.prefetch_related("products", "pictures").filter(activity=activity, org_id=user.org_id).first()


def visible_registrations(user: User, activity: Activity):
    """The activity's registrations of units the user may see (a queryset, by the org tree)."""
    qs = Registration.objects.filter(activity=activity).select_related("org", "decided_by")
    if not user.is_superuser:
        qs = qs.filter(org__in=user.visible_orgs())
    return qs.order_by("org__path")


def visible_records(user: User, activity: Activity):
    """The activity's records of units the user may see (a queryset, products loaded)."""
    qs = Record.objects.filter(activity=activity).select_related("org").prefetch_related("products", "pictures")
    if not user.is_superuser:
        qs = qs.filter(org__in=user.visible_orgs())
    return qs.order_by("org__path")


def get_registration_for_user(user: User, activity: Activity, pk: int) -> Registration:
    """A registration of the activity whose unit the user may see; NotFound otherwise."""
    registration = Registration.objects.select_related("org", "decided_by").filter(activity=activity, pk=pk).first()
    if registration is None or not user.can_see_org(registration.org):
        raise NotFound(_("没有找到该备案。"))
    return registration


def decide_refusal(user: User, activity: Activity) -> str:
    """Why the user may see registrations but not approve or return them ("" when they may)."""
    if is_organizer(user, activity):
        return ""
    return _("备案由%(org)s的管理员或审核员审核；您可以查看，但不能审核。") % {"org": activity.week.organizer.name}


def get_registration_to_decide(user: User, activity: Activity, pk: int) -> Registration:
    """A registration the user may approve or return; NotFound when invisible, Forbidden when only visible."""
    registration = get_registration_for_user(user, activity, pk)
    refusal = decide_refusal(user, activity)
    if refusal:
        raise Forbidden(refusal)
    return registration


def get_record_for_user(user: User, activity: Activity, pk: int) -> Record:
    """A record of the activity whose unit the user may see; NotFound otherwise."""
    record = (
        Record.objects.select_related("org", "registration")
        .prefetch_related("products", "pictures")
        .filter(activity=activity, pk=pk)
        .first()
    )
    if record is None or not user.can_see_org(record.org):
        raise NotFound(_("没有找到该兑换记录。"))
    return record


def open_picture_for_user(user: User, activity: Activity, pk: int, thumbnail: bool):
    """A picture of a record the user may see, opened for reading, and its content type; NotFound otherwise."""
    picture = Picture.objects.select_related("record__org").filter(record__activity=activity, pk=pk).first()
    if picture is None or not user.can_see_org(picture.record.org):
        raise NotFound(_("没有找到该图片。"))
    file = picture.thumbnail if thumbnail else picture.image
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(_("没有找到该图片。")) from exc
    return handle, "image/jpeg" if thumbnail else picture.content_type
