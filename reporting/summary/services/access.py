"""Who writes which summary, and fetching summaries, versions, submissions, pictures and boards for a user.

Every helper raises `NotFound` for a row that is missing or not visible (one answer for both).
"""

from dataclasses import dataclass

from eventweek.errors import NotFound
from eventweek.models import Org, Week
from reporting.models.summaries import Summary, SummaryPicture, SummarySubmission, SummaryVersion

# -- who writes which summary ----------------------------------------------------------------------------------


def can_write_summary(week: Week, org: Org) -> bool:
    """An org writes a summary of a week it organizes under a parent week, or of a week run above it."""
    if org.pk == week.organizer_id:
        return week.parent_id is not None
    return org.is_within(week.organizer)


def weeks_to_summarize(org: Org) -> list[Week]:
    """The weeks whose summary this org writes: its own child weeks, and the weeks above that expect it."""
    own = list(Week.objects.filter(organizer=org, parent__isnull=False).select_related("organizer", "parent"))
    replaced = {week.parent_id for week in own}
    above = (
        Week.objects.filter(organizer__in=org.ancestors())
        .exclude(pk__in=replaced)
        .select_related("organizer", "parent")
        .prefetch_related("report_orgs")
    )
    expected = []
    for week in above:
        reporters = {o.pk for o in week.report_orgs.all()}
        if org.pk in reporters or (not reporters and org.parent_id == week.organizer_id):
            expected.append(week)
    return sorted(own + expected, key=lambda w: (w.start_date, w.slug), reverse=True)


def own_summaries(org: Org, weeks: list[Week]) -> dict[int, Summary]:
    """The org's summaries of these weeks, by week id, with their submissions."""
    return {s.week_id: s for s in Summary.objects.filter(org=org, week__in=weeks).prefetch_related("submissions")}


# -- access --------------------------------------------------------------------------------------------------------


@dataclass
class SummaryAccess:
    week: Week
    org: Org
    summary: Summary | None
    can_edit: bool


def get_summary_for_user(user, slug: str, code: str, *, edit: bool = False) -> SummaryAccess:
    """The summary of (week, org) as the user may see it; NotFound for outsiders (and for readers when edit).

    The org's own users edit it; users of the orgs above it (the receiving org first) read it once submitted.
    """
    week = Week.objects.select_related("organizer", "parent__organizer").filter(slug=slug).first()
    org = Org.objects.filter(code=code).first()
    if week is None or org is None or not user.is_authenticated or not can_write_summary(week, org):
        raise NotFound
    if not user.can_see_org(org):
        raise NotFound
    summary = (
        Summary.objects.select_related("week__organizer", "week__parent__organizer", "org", "updated_by")
        .filter(week=week, org=org)
        .first()
    )
    can_edit = user.is_superuser or user.org_id == org.pk
    if not can_edit and (summary is None or not summary.submissions.exists()):
        raise NotFound
    if edit and not can_edit:
        raise NotFound
    return SummaryAccess(week, org, summary, can_edit)


def get_existing_summary_for_user(user, slug: str, code: str, *, edit: bool = False) -> SummaryAccess:
    """As get_summary_for_user, NotFound when the summary has not been started yet."""
    access = get_summary_for_user(user, slug, code, edit=edit)
    if access.summary is None:
        raise NotFound
    return access


def get_version_for_user(access: SummaryAccess, number: int | None) -> SummaryVersion | None:
    """Version number of the summary; None (the current text) for its editors, the latest submitted for readers.

    The orgs above see what was submitted, never the drafts.
    """
    if number is None:
        if access.can_edit:
            return None
        latest = access.summary.submissions.select_related("version").order_by("-submitted_at", "-pk").first()
        return latest.version
    version = access.summary.versions.filter(number=number).first()
    if version is None:
        raise NotFound
    if not access.can_edit and not access.summary.submissions.filter(version=version).exists():
        raise NotFound  # the orgs above see what was submitted, not the drafts
    return version


def get_submission_for_user(access: SummaryAccess, pk: int) -> SummarySubmission:
    """One submission of the summary the user may edit."""
    submission = SummarySubmission.objects.filter(summary=access.summary, pk=pk).first()
    if access.summary is None or submission is None:
        raise NotFound
    return submission


def get_summary_picture(access: SummaryAccess, pk: int) -> SummaryPicture:
    """A picture of the summary: any for its editors, only those of a submitted version for the orgs above."""
    if access.summary is None:
        raise NotFound
    picture = SummaryPicture.objects.filter(summary=access.summary, pk=pk).first()
    if picture is None:
        raise NotFound
    if not access.can_edit:
        submitted = SummaryVersion.objects.filter(pk__in=access.summary.submissions.values("version_id")).values_list(
            "pictures", flat=True
        )
        if not any(item.get("id") == pk for pictures in submitted for item in pictures):
            raise NotFound  # a draft's picture stays with the office
    return picture


def get_board_week_for_user(user, slug: str) -> Week:
    """A week whose summary board the user may see (its organizer is within the user's view)."""
    week = Week.objects.select_related("organizer").filter(slug=slug).first()
    if week is None or not user.can_see_org(week.organizer):
        raise NotFound
    return week


def board_weeks_for_user(user):
    """The weeks whose boards the user opens from the index: every week for a superuser, else its org's."""
    if user.is_superuser:
        weeks = Week.objects.all()
    elif user.org_id:
        weeks = Week.objects.filter(organizer=user.org)
    else:
        weeks = Week.objects.none()
    return weeks.select_related("organizer").order_by("-start_date", "slug")
