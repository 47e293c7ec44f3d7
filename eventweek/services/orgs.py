"""Orgs of an admin's subtree: edit their details, add child orgs, move an org (its subtree's paths rewritten in the
same transaction). Every write is one transaction with its audit entry."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import changed_fields, log_action
from eventweek.errors import DomainError
from eventweek.models import Org

# What an admin may change on an org's page (code, level and parent have their own rules).
EDITABLE_FIELDS = ("name", "short_name", "email", "phone", "headcount", "category", "sort_order")


@transaction.atomic
def update_org(actor, org: Org, changes: dict) -> Org:
    """Save changed details of an org; the audit entry holds the fields that changed, before and after."""
    old = Org.objects.select_for_update().get(pk=org.pk)
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            raise DomainError(_("不能修改该项。"))
        setattr(org, field, value)
    before, after = changed_fields(old, org)
    if not after:
        return org
    org.save(update_fields=list(after))
    log_action(actor, actions.ORG_CHANGE, org, org=org, before=before, after=after)
    return org


@transaction.atomic
def add_child_org(actor, parent: Org, fields: dict) -> Org:
    """Create an org under parent (which the actor manages)."""
    if not actor.can_see_org(parent):
        raise DomainError(_("上级单位不在您管理的范围内。"))
    if Org.objects.filter(code=fields["code"]).exists():
        raise DomainError(_("单位代码“%(code)s”已被使用。") % {"code": fields["code"]})
    org = Org.objects.create(parent=parent, **fields)
    _before, after = changed_fields(None, org)
    log_action(actor, actions.ORG_CHANGE, org, org=parent, after={**after, "parent": parent.code})
    return org


@transaction.atomic
def move_org(actor, org: Org, new_parent: Org) -> Org:
    """Put org (with its whole subtree) under new_parent; both must lie in the actor's subtree, and the actor's own
    org stays where it is. Refused under the org itself or one of its descendants."""
    # Lock only the org's row: PostgreSQL refuses FOR UPDATE on the nullable side of the LEFT JOIN to parent.
    org = Org.objects.select_for_update(of=("self",)).select_related("parent").get(pk=org.pk)
    new_parent = Org.objects.select_for_update().get(pk=new_parent.pk)
    if not actor.is_superuser and (org.pk == actor.org_id or not actor.can_see_org(org)):
        raise DomainError(_("不能移动本单位；只能移动下级单位。"))
    if not actor.can_see_org(new_parent):
        raise DomainError(_("新的上级单位不在您管理的范围内。"))
    if new_parent.is_within(org):
        raise DomainError(
            _("不能把“%(org)s”移到它自己或它的下级单位“%(parent)s”之下。")
            % {"org": org.name, "parent": new_parent.name}
        )
    if org.parent_id == new_parent.pk:
        return org
    old_parent, old_path = org.parent, org.path
    org.parent = new_parent
    # Org.save rewrites the subtree's paths in the same transaction.
    org.save(update_fields=["parent", "path"])
    log_action(
        actor,
        actions.ORG_MOVE,
        org,
        org=org,
        before={"parent": old_parent.code if old_parent else None, "path": old_path},
        after={"parent": new_parent.code, "path": org.path},
    )
    return org
