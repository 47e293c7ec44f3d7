"""Who may see and change which notification rows: every row a view shows is fetched here, with the user.

An org sees its own and its subtree's channels and deliveries, never a sibling's or a parent's; only an org admin
changes channels, routes and contacts. Missing and invisible rows both raise `NotFound`.
"""

from django.utils.translation import gettext as _

from eventweek.errors import Forbidden, NotFound
from eventweek.models import Org
from notifications.models import Campaign, Channel, Contact, Delivery, OptOut


def require_admin(user) -> None:
    """Forbidden unless the user is an org admin (or a superuser) with an org to configure."""
    if not user.is_org_admin:
        raise Forbidden(_("只有单位管理员可以设置通知渠道。"))


def org_of_user(user) -> Org:
    """The org whose settings the pages show: the user's own; NotFound for an account without one."""
    if user.org_id is None:
        raise NotFound(_("您的账号未关联单位。"))
    return user.org


def channels_for_user(user):
    """Channels of the orgs the user sees (their org and its subtree)."""
    return Channel.objects.filter(org__in=user.visible_orgs()).select_related("org")


def get_channel_for_user(user, pk: int, *, change: bool = False) -> Channel:
    """A channel the user sees; NotFound for outsiders and missing rows, Forbidden to change for a non-admin."""
    try:
        channel = channels_for_user(user).get(pk=pk)
    except Channel.DoesNotExist:
        raise NotFound(_("没有这个通知渠道。")) from None
    if change:
        require_admin(user)
    return channel


def contacts_of_org(org: Org):
    """The contacts of an org the caller already fetched for the user."""
    return Contact.objects.filter(org=org)


def get_contact_org_for_user(user, code: str = "") -> Org:
    """The org an admin adds contacts to: their own (no code), or any org of their subtree by its code; NotFound
    for an org outside it (a parent, a sibling) or a missing one, Forbidden for a non-admin."""
    require_admin(user)
    if not code:
        return org_of_user(user)
    org = user.visible_orgs().filter(code=code).first()
    if org is None:
        raise NotFound(_("没有这个单位。"))
    return org


def contacts_for_user(user):
    """The contacts of every org of an admin's subtree, by org (the page where contacts of lower orgs are kept)."""
    require_admin(user)
    return Contact.objects.filter(org__in=user.visible_orgs()).select_related("org").order_by("org__path", "pk")


def contact_orgs_for_user(user):
    """The orgs of an admin's subtree, in tree order, to add contacts to."""
    require_admin(user)
    return user.visible_orgs().order_by("path")


def get_contact_for_user(user, pk: int) -> Contact:
    """A contact of an org the user sees, for an admin to change; NotFound otherwise."""
    try:
        contact = Contact.objects.filter(org__in=user.visible_orgs()).select_related("org").get(pk=pk)
    except Contact.DoesNotExist:
        raise NotFound(_("没有这个联系人。")) from None
    require_admin(user)
    return contact


def deliveries_for_user(user, *, status: str = "", channel_id: int | None = None):
    """Delivery rows of the orgs the user sees, newest first, optionally of one status and one channel."""
    rows = Delivery.objects.filter(org__in=user.visible_orgs()).select_related("channel", "org")
    if status:
        rows = rows.filter(status=status)
    if channel_id:
        rows = rows.filter(channel_id=channel_id)
    return rows.order_by("-created_at", "-pk")


def campaigns_for_user(user):
    """Campaigns of the orgs the user sees (an admin only), newest first."""
    require_admin(user)
    return Campaign.objects.filter(org__in=user.visible_orgs()).select_related("org", "channel")


def get_campaign_for_user(user, pk: int, *, change: bool = False):
    """A campaign of the user's subtree (NotFound otherwise); to change it, the user must be an admin of its org."""
    try:
        campaign = campaigns_for_user(user).get(pk=pk)
    except Campaign.DoesNotExist:
        raise NotFound(_("没有这条公益短信。")) from None
    if change and not may_change_campaign(user, campaign):
        raise Forbidden(_("只有组织这条公益短信的单位可以发送、定时或暂停它。"))
    return campaign


def can_see_campaign_phones(user, campaign) -> bool:
    """Mobiles in full only on the organizer's own pages (an admin of the campaign's org); masked for everyone else."""
    return may_change_campaign(user, campaign)


def opt_outs_for_user(user):
    """The opt-out list (shared by every campaign), for an admin."""
    require_admin(user)
    return OptOut.objects.select_related("org")


def may_change_campaign(user, campaign: Campaign) -> bool:
    """Only the organizer org's admins send, schedule, stop and resume a campaign."""
    return user.is_superuser or (user.is_org_admin and user.org_id == campaign.org_id)


def recipients_of_campaign(campaign: Campaign):
    """The recipient rows of a campaign the caller already fetched for the user, in queued order."""
    return campaign.recipients.select_related("unit").order_by("pk")
