"""Who may read which audit entries: an org's admins read their subtree's log, never a sibling's or a parent's.

An entry belongs to the org named when it was written (its path copied then); after that org moves, the admins above
it then and above it now both see it. Reporters and reviewers read no log (Forbidden, a Chinese 403).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from eventweek.errors import Forbidden
from eventweek.models import LOCAL_TZ


def require_log_reader(user) -> None:
    """Forbidden unless the user is an org admin (or a superuser)."""
    if not user.is_org_admin:
        raise Forbidden(_("只有单位管理员可以查看操作日志。"))


def _visible(user):
    require_log_reader(user)
    entries = AuditEntry.objects.all()
    if user.is_superuser:
        return entries
    if user.org_id is None:
        return entries.none()
    path = user.org.path
    return entries.filter(Q(org_path__startswith=path) | Q(org__path__startswith=path))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL_TZ)


def entries_for_user(
    user,
    *,
    action: str = "",
    actor: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    kind: int | None = None,
):
    """The entries the user may read, newest first, narrowed by action code, actor name, local dates (both
    inclusive) and object kind (a content type id)."""
    entries = _visible(user).select_related("org", "content_type")
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(Q(actor_name__icontains=actor) | Q(actor__username__iexact=actor))
    if date_from:
        entries = entries.filter(at__gte=_local_midnight(date_from))
    if date_to:
        entries = entries.filter(at__lt=_local_midnight(date_to + datetime.timedelta(days=1)))
    if kind:
        entries = entries.filter(content_type_id=kind)
    return entries.order_by("-at", "-pk")


def object_kinds_for_user(user) -> list[tuple[int, str]]:
    """The kinds of object (content type id, Chinese name) found in the entries the user may read."""
    ids = set(_visible(user).exclude(content_type=None).values_list("content_type_id", flat=True).distinct())
    kinds = []
    for pk in ids:
        model = ContentType.objects.get_for_id(pk).model_class()
        kinds.append((pk, str(model._meta.verbose_name) if model else str(pk)))
    return sorted(kinds, key=lambda kind: kind[1])
