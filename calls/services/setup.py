"""Setting up a call: created by an org with the seed's themes as the default, published with its public page."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services.log import log_action
from calls.models import Call
from eventweek.errors import DomainError
from eventweek.models import Org


@transaction.atomic
def create_call(org: Org, *, slug: str, title: str, deadline, reviewers=(), **fields) -> Call:
    """A new, unpublished call of org."""
    if Call.objects.filter(slug=slug).exists():
        raise DomainError(_("网址标识“%(slug)s”已被使用。") % {"slug": slug})
    call = Call.objects.create(org=org, slug=slug, title=title, deadline=deadline, **fields)
    call.reviewers.set(reviewers)
    return call


@transaction.atomic
def update_call(call: Call, *, reviewers=None, **fields) -> Call:
    """Save the call's settings."""
    for name, value in fields.items():
        setattr(call, name, value)
    call.save()
    if reviewers is not None:
        call.reviewers.set(reviewers)
    return call


@transaction.atomic
def publish_call(call: Call, actor=None) -> Call:
    """Publish the call: its public page and QR code answer from now on (audited, once)."""
    if call.published_at is None:
        call.published_at = timezone.now()
        call.save(update_fields=["published_at"])
        log_action(
            actor, actions.CALL_PUBLISH, call, org=call.org, after={"published_at": call.published_at.isoformat()}
        )
    return call


def open_calls():
    """Published calls whose deadline has not passed, for the home page."""
    return Call.objects.filter(published_at__isnull=False, deadline__gte=timezone.now()).select_related("org")
