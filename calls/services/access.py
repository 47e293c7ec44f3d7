"""Which calls and entries a user may open: NotFound for missing or not visible, Forbidden for seen but not theirs."""

from django.db.models import Q
from django.utils.translation import gettext as _

from calls.models import Call, CertificatePdf, Entry, Forwarding
from eventweek.errors import Forbidden, NotFound


def _in_tree(user, org) -> bool:
    """True when org is the user's org or below it, or above it (a call from above reaches the units below)."""
    if user.is_superuser:
        return True
    if user.org_id is None:
        return False
    return user.can_see_org(org) or user.org.is_within(org)


def get_public_call(slug: str) -> Call:
    """A published call, for the public page."""
    call = Call.objects.select_related("org").filter(slug=slug, published_at__isnull=False).first()
    if call is None:
        raise NotFound(_("没有找到这个征集。"))
    return call


def get_call_for_user(user, slug: str) -> Call:
    """A call the user's org set up, sits under, or sits above."""
    call = Call.objects.select_related("org").filter(slug=slug).first()
    if call is None or not _in_tree(user, call.org):
        raise NotFound(_("没有找到这个征集。"))
    return call


def get_call_to_manage(user, slug: str) -> Call:
    """A call the user may change: an admin of the org that set it up (or above)."""
    call = get_call_for_user(user, slug)
    if not user.can_see_org(call.org):
        raise NotFound(_("没有找到这个征集。"))
    if not user.is_org_admin:
        raise Forbidden(_("只有征集单位的管理员可以修改征集。"))
    return call


def calls_for_user(user):
    """The calls reaching the user's org (set up by it, above it or below it), newest deadline first."""
    if user.is_superuser:
        return Call.objects.select_related("org")
    if user.org_id is None:
        return Call.objects.none()
    above = user.org.ancestor_codes()
    return Call.objects.select_related("org").filter(Q(org__path__startswith=user.org.path) | Q(org__code__in=above))


def get_entry_for_user(user, pk: int) -> Entry:
    """An entry of the user's org or of an org below it (a reviewing org sees what reached it)."""
    entry = Entry.objects.select_related("call", "call__org", "org").filter(pk=pk).first()
    if entry is None or entry.org_id is None:
        if entry is not None and user.is_authenticated and _reviews_here(user, entry):
            return entry
        raise NotFound(_("没有找到这份作品。"))
    if not user.can_see_org(entry.org):
        raise NotFound(_("没有找到这份作品。"))
    return entry


def get_entry_to_edit(user, pk: int) -> Entry:
    """An entry the user's own org filed: editors are the unit's, never the reviewers above."""
    entry = get_entry_for_user(user, pk)
    if entry.org_id != user.org_id:
        raise Forbidden(_("只有报送单位可以修改这份作品。"))
    return entry


def _reviews_here(user, entry: Entry) -> bool:
    """True when the user's org is the call's org or received the entry in a forwarded selection."""
    if user.org_id is None:
        return False
    if entry.call.org_id == user.org_id:
        return True
    return Forwarding.objects.filter(receiver_id=user.org_id, entries=entry).exists()


def get_entry_to_review(user, pk: int) -> Entry:
    """An entry that reached the user's org for review, and the user one of the call's reviewers or an admin there."""
    entry = Entry.objects.select_related("call", "call__org", "org").filter(pk=pk).first()
    if entry is None or not user.is_authenticated or not _reviews_here(user, entry):
        raise NotFound(_("没有找到这份作品。"))
    if not (user.is_org_admin or entry.call.reviewers.filter(pk=user.pk).exists() or user.role == user.Role.REVIEWER):
        raise Forbidden(_("只有评审人可以评分。"))
    return entry


def get_call_to_review(user, slug: str) -> Call:
    """A call whose entries reached the user's org: the call's org, or one receiving a forwarded selection."""
    call = get_call_for_user(user, slug)
    if user.org_id is None:
        raise NotFound(_("没有找到这个征集。"))
    if call.org_id != user.org_id and not call.forwardings.filter(receiver_id=user.org_id).exists():
        raise NotFound(_("没有找到这个征集。"))
    return call


def get_outsider_entry(reference: str, phone: str) -> Entry:
    """An outsider's entry by its reference code and the phone it was filed with."""
    entry = Entry.objects.select_related("call").filter(reference=reference.strip().upper(), phone=phone).first()
    if entry is None:
        raise NotFound(_("没有找到与该手机号和查询码对应的作品。"))
    return entry


def own_entries(user, call: Call):
    """The entries the user's own org filed in the call."""
    if user.org_id is None:
        return Entry.objects.none()
    return Entry.objects.filter(call=call, org_id=user.org_id).order_by("kind", "pk")


def get_certificate_pdf_for_user(user, entry_pk: int, job_pk: int) -> CertificatePdf:
    """A certificate PDF job of an entry the user may see."""
    entry = get_entry_for_user(user, entry_pk)
    job = CertificatePdf.objects.filter(pk=job_pk, entry=entry).first()
    if job is None:
        raise NotFound(_("没有找到这份证书。"))
    return job
