"""People: create, deactivate and re-role users of an admin's subtree, hand out password resets, change one's own
password. Every write is one transaction with its audit entry."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from eventweek.errors import DomainError, NotFound
from eventweek.models import Org, User
from eventweek.passwords import temporary_password


@dataclass
class NewPerson:
    """What an admin types (or an import row holds) to create a user."""

    username: str
    full_name: str
    org: Org
    role: str
    phone: str = ""
    email: str = ""


def check_org_in_subtree(actor, org: Org) -> None:
    """Refuse an org outside the actor's subtree (the form offers none, this guards every other caller)."""
    if not actor.can_see_org(org):
        raise DomainError(_("单位“%(org)s”不在您管理的范围内。") % {"org": org.name})


def username_taken(username: str) -> bool:
    """True when a user (active or not) already has this username, compared as Django's login does."""
    return User.objects.filter(username__iexact=username).exists()


def _create(actor, person: NewPerson) -> tuple[User, str]:
    check_org_in_subtree(actor, person.org)
    if username_taken(person.username):
        raise DomainError(_("用户名“%(username)s”已存在。") % {"username": person.username})
    password = temporary_password()
    user = User(
        username=person.username,
        first_name=person.full_name,
        org=person.org,
        role=person.role,
        phone=person.phone,
        email=person.email,
        is_staff=False,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    log_action(
        actor,
        actions.USER_CREATE,
        user,
        org=person.org,
        after={"username": user.username, "name": user.first_name, "org": person.org.code, "role": user.role},
    )
    return user, password


@transaction.atomic
def create_user(actor, person: NewPerson) -> tuple[User, str]:
    """Create a user of the actor's subtree with a temporary password (returned, to be shown once)."""
    return _create(actor, person)


@transaction.atomic
def create_users(actor, people: list[NewPerson]) -> list[tuple[User, str]]:
    """Create several users at once: all of them, or (on the first refusal) none."""
    return [_create(actor, person) for person in people]


def _active_admins(org: Org):
    return User.objects.filter(org=org, role=User.Role.ADMIN, is_active=True)


def _check_not_last_admin(person: User) -> None:
    """An org keeps at least one active admin: nobody else could manage its people afterwards."""
    if person.role == User.Role.ADMIN and person.is_active and person.org_id:
        # Lock the org's admins so two admins removing each other at once cannot both succeed.
        admins = list(_active_admins(person.org).select_for_update().values_list("pk", flat=True))
        if admins == [person.pk]:
            raise DomainError(
                _("“%(name)s”是“%(org)s”最后一位在用的管理员，不能停用或改为其他角色；请先为该单位添加另一位管理员。")
                % {"name": person.get_full_name() or person.username, "org": person.org.name}
            )


@transaction.atomic
def deactivate_user(actor, person: User) -> User:
    """Deactivate a user (they can no longer sign in; their reports stay). Refused for oneself and an org's last
    active admin."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.pk == actor.pk:
        raise DomainError(_("不能停用自己的账号。"))
    if not person.is_active:
        raise DomainError(_("该用户已停用。"))
    _check_not_last_admin(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    log_action(
        actor, actions.USER_DEACTIVATE, person, org=person.org, before={"is_active": True}, after={"is_active": False}
    )
    return person


@transaction.atomic
def set_role(actor, person: User, role: str) -> User:
    """Give a user another role; taking the admin role from an org's last active admin is refused."""
    if role not in User.Role.values:
        raise DomainError(_("未知的角色。"))
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.role == role:
        return person
    if role != User.Role.ADMIN:
        _check_not_last_admin(person)
    before = person.role
    person.role = role
    person.save(update_fields=["role"])
    log_action(actor, actions.USER_ROLE, person, org=person.org, before={"role": before}, after={"role": role})
    return person


@transaction.atomic
def reset_with_temporary_password(actor, person: User) -> str:
    """Give the user a new temporary password (returned, shown once); they must change it at the next sign-in."""
    person = User.objects.select_for_update().get(pk=person.pk)
    password = temporary_password()
    person.set_password(password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    log_action(actor, actions.USER_PASSWORD_RESET, person, org=person.org, data={"method": "temporary_password"})
    return password


@transaction.atomic
def reset_link(actor, person: User) -> str:
    """A one-time link (path) letting the user choose a new password; it dies when used or after
    PASSWORD_RESET_HOURS."""
    log_action(actor, actions.USER_PASSWORD_RESET, person, org=person.org, data={"method": "link"})
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    # The token hashes the current password and last login: setting a password through it spends it.
    token = default_token_generator.make_token(person)
    return reverse("eventweek:manage_password_reset_confirm", args=[uid, token])


def user_for_reset_link(uidb64: str, token: str) -> User:
    """The active user a reset link is for; NotFound when the link is wrong, used or expired."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        pk = None
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        raise NotFound(_("该重置密码链接无效、已使用或已过期，请联系管理员重新获取。"))
    return user


@transaction.atomic
def set_own_password(user: User, password: str) -> User:
    """Set the user's password (already validated by the form) and lift the temporary-password flag."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user
