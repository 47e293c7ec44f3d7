"""Which of an org's channels carry each kind of notice (a per-org setting; email by default)."""

from django.db import transaction
from django.utils.translation import gettext as _

from eventweek.models import Org
from notifications.models import ROUTED_KINDS, Channel, ChannelKind, NoticeRoute


def default_email_channel(org: Org) -> Channel:
    """The org's email channel used when it chose nothing: its first email channel, or one created for the org's
    contact mailbox (no addresses configured = Org.email and the contacts' emails)."""
    channel = Channel.objects.filter(org=org, kind=ChannelKind.EMAIL).order_by("pk").first()
    if channel is None:
        channel = Channel.objects.create(org=org, kind=ChannelKind.EMAIL, name=_("单位联系邮箱"), config={})
    return channel


def channels_for_kind(org: Org, kind: str) -> list[Channel]:
    """The enabled channels the org chose for this kind of notice; without a choice, its email channel."""
    route = NoticeRoute.objects.filter(org=org, kind=kind).first()
    if route is None:
        channel = default_email_channel(org)
        return [channel] if channel.enabled else []
    return [channel for channel in route.channels.order_by("pk") if channel.enabled]


def routes_of_org(org: Org) -> dict[str, list[int]]:
    """{kind: [channel ids]} of the kinds the org chose explicitly."""
    routes = NoticeRoute.objects.filter(org=org).prefetch_related("channels")
    return {route.kind: [c.pk for c in route.channels.all()] for route in routes}


@transaction.atomic
def save_routes(org: Org, choices: dict[str, list[Channel]]) -> None:
    """Record the org's channels for each routed kind (an empty list: that kind is not sent)."""
    for kind in ROUTED_KINDS:
        if kind not in choices:
            continue
        foreign = [c for c in choices[kind] if c.org_id != org.pk]
        if foreign:
            raise ValueError("channels of another org")
        route, _created = NoticeRoute.objects.get_or_create(org=org, kind=kind)
        route.channels.set(choices[kind])


def sms_channel_for(org: Org) -> Channel | None:
    """The enabled SMS channel that sends for the org (a quiz code, a campaign): the org's own, else the nearest
    ancestor's (a city without a gateway uses the province's); None when no org up the tree has one."""
    codes = [code for code in org.path.strip("/").split("/") if code]
    candidates = Channel.objects.filter(kind=ChannelKind.SMS, enabled=True, org__code__in=codes).select_related("org")
    by_depth = sorted(candidates, key=lambda c: (-len(c.org.path), c.pk))
    return by_depth[0] if by_depth else None


def reaches(org: Org, kind: str) -> bool:
    """Whether a notice of this kind can reach the org: it has a mailbox, or it chose for this kind a channel that
    needs none (SMS to its contacts, a robot, a webhook, an email channel with its own addresses).

    The reminder loops ask this instead of `org.email`, so an org that routes its reminders to SMS is reminded.
    """
    if org.email:
        return True
    route = NoticeRoute.objects.filter(org=org, kind=kind).first()
    if route is None:
        return False
    for channel in route.channels.filter(enabled=True):
        if channel.kind != ChannelKind.EMAIL or (channel.config or {}).get("addresses"):
            return True
    return False
