"""Write one audit entry: called by every logged write service, inside the write's own transaction."""

from django.contrib.contenttypes.models import ContentType

from audit import actions
from audit.models import AuditEntry
from eventweek.models import Org


def org_of(obj) -> Org | None:
    """The org whose subtree sees an entry about obj: the Org itself, or its org / organizer / week's organizer /
    quiz's week's organizer; None when obj names none."""
    seen = 0
    while obj is not None and seen < 4:
        if isinstance(obj, Org):
            return obj
        for attr in ("org", "organizer"):
            value = getattr(obj, attr, None)
            if isinstance(value, Org):
                return value
        obj = getattr(obj, "week", None) or getattr(obj, "quiz", None)
        seen += 1
    return None


def log_action(actor, action: str, obj=None, *, org=None, before=None, after=None, data=None) -> AuditEntry:
    """Record that actor (a user, or None for the system) did action to obj, visible to org's subtree."""
    if action not in actions.LABELS:
        raise ValueError(f"unknown audit action {action!r}")
    if org is None:
        org = org_of(obj)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username())[:150] if actor else "",
        org=org,
        org_path=org.path if org else "",
        action=action,
        before=before,
        after=after,
        data=data,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    entry.save()
    return entry


def changed_fields(old, new) -> tuple[dict | None, dict]:
    """The editable concrete fields whose value differs between two versions of a row, as (before, after) dicts;
    before is None when there is no old version (a new row: after holds every field)."""
    before, after = ({} if old is not None else None), {}
    for field in new._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        value = field.value_from_object(new)
        if old is None:
            after[field.attname] = value
        elif field.value_from_object(old) != value:
            before[field.attname] = field.value_from_object(old)
            after[field.attname] = value
    return before, after
