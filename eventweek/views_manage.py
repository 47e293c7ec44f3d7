"""Management pages: draft, edit and publish a week's programme. Thin: access helper → form → service → redirect.

Who: a week is visible to users of its organizer and of the organizer's ancestors (others get 404); admins change it,
reporters and reviewers of those orgs only read it (a change gets 403 with a Chinese message).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eventweek.errors import DomainError
from eventweek.forms import ActivityForm, CancelActivityForm, SpecialDayFormSet, WeekForm, special_day_initial
from eventweek.models import Activity, Week
from eventweek.services import changes, programme, publishing
from eventweek.services.access import can_change_week, get_activity_for_user, get_week_for_user, weeks_for_user
from eventweek.services.weeks import save_week

FORBIDDEN = "eventweek/manage/forbidden.html"


def _forbidden(request, week: Week | None = None):
    message = _("只有管理员可以修改活动周；您可以查看，但不能修改。")
    return render(request, FORBIDDEN, {"week": week, "message": message}, status=403)


def _public_changes_url(week: Week) -> str | None:
    try:
        return reverse("eventweek:changes", args=[week.slug])
    except NoReverseMatch:
        return None


def _add_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (fields it names, else the whole form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def week_list(request):
    weeks = weeks_for_user(request.user).select_related("parent").order_by("-start_date", "organizer__path", "slug")
    return render(
        request,
        "eventweek/manage/week_list.html",
        {"weeks": weeks, "can_change": can_change_week(request.user)},
    )


@login_required
def week_detail(request, slug):
    week = get_week_for_user(request.user, slug)
    activities = programme.programme(week, public=False)
    days = [(day, [a for a in activities if a.first_day == day]) for day in week.days()]
    outside = [a for a in activities if not week.contains_date(a.first_day)]
    context = {
        "week": week,
        "days": days,
        "outside": outside,
        "special_days": list(week.special_days.all()),
        "report_orgs": list(week.report_orgs.order_by("path")),
        "schedule": publishing.publication_schedule(week),
        "changes": programme.changelog(week)[:20] if week.is_published else [],
        "public_changes_url": _public_changes_url(week),
        "can_change": can_change_week(request.user),
    }
    return render(request, "eventweek/manage/week_detail.html", context)


def _week_form_page(request, week: Week | None):
    instance = week or Week()
    if request.method == "POST":
        form = WeekForm(request.POST, instance=instance, user=request.user)
        form.is_valid()
        first, last = form.cleaned_data.get("start_date"), form.cleaned_data.get("end_date")
        week_range = (first, last) if first and last else None
        formset = SpecialDayFormSet(request.POST, prefix="special", week_range=week_range)
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    saved = save_week(
                        form.save(commit=False),
                        report_orgs=form.cleaned_data["report_orgs"],
                        special_days=formset.days(),
                    )
            except ValidationError as error:
                _add_validation_error(form, error)
            else:
                messages.success(request, _("活动周“%(title)s”已保存。") % {"title": saved.title})
                return redirect("eventweek:manage_week", slug=saved.slug)
    else:
        form = WeekForm(instance=instance, user=request.user)
        initial = special_day_initial(week) if week else []
        formset = SpecialDayFormSet(initial=initial, prefix="special")
    return render(request, "eventweek/manage/week_form.html", {"form": form, "formset": formset, "week": week})


@login_required
def week_new(request):
    if not can_change_week(request.user):
        return _forbidden(request)
    return _week_form_page(request, None)


@login_required
def week_edit(request, slug):
    week = get_week_for_user(request.user, slug)
    if not can_change_week(request.user):
        return _forbidden(request, week)
    return _week_form_page(request, week)


@login_required
@require_POST
def week_publish(request, slug):
    week = get_week_for_user(request.user, slug)
    if not can_change_week(request.user):
        return _forbidden(request, week)
    if publishing.publish_week(week.pk, force=True, actor=request.user):
        messages.success(request, _("活动周已发布，日程现已公开。"))
    else:
        messages.warning(request, _("该活动周已经发布过了。"))
    return redirect("eventweek:manage_week", slug=week.slug)


def _activity_form_page(request, week: Week, activity: Activity | None):
    instance = activity or Activity(week=week)
    if request.method == "POST":
        form = ActivityForm(request.POST, instance=instance, week=week)
        if form.is_valid():
            try:
                saved = changes.save_activity(form.save(commit=False), user=request.user)
            except ValidationError as error:
                _add_validation_error(form, error)
            else:
                messages.success(request, _("活动“%(title)s”已保存。") % {"title": saved.title})
                return redirect("eventweek:manage_week", slug=week.slug)
    else:
        form = ActivityForm(instance=instance, week=week)
    return render(request, "eventweek/manage/activity_form.html", {"form": form, "week": week, "activity": activity})


@login_required
def activity_new(request, slug):
    week = get_week_for_user(request.user, slug)
    if not can_change_week(request.user):
        return _forbidden(request, week)
    return _activity_form_page(request, week, None)


@login_required
def activity_edit(request, slug, pk):
    activity = get_activity_for_user(request.user, slug, pk)
    week = activity.week
    if not can_change_week(request.user):
        return _forbidden(request, week)
    return _activity_form_page(request, week, activity)


def _change_activity_status(request, slug, pk, service, done_message):
    """Cancel or restore one of the week's own activities through its service, then back to the week."""
    activity = get_activity_for_user(request.user, slug, pk)
    week = activity.week
    if not can_change_week(request.user):
        return _forbidden(request, week)
    try:
        service(activity, user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message % {"title": activity.title})
    return redirect("eventweek:manage_week", slug=week.slug)


@login_required
def activity_cancel(request, slug, pk):
    """Ask why, then cancel: the page is the confirmation when the dialog (static/js/confirm.js) did not ask."""
    activity = get_activity_for_user(request.user, slug, pk)
    week = activity.week
    if not can_change_week(request.user):
        return _forbidden(request, week)
    # A post without the field came from the row's button without the dialog: this page asks instead.
    form = CancelActivityForm(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            changes.cancel_activity(activity, reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as error:
            _add_validation_error(form, error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("eventweek:manage_week", slug=week.slug)
        else:
            messages.success(request, _("活动“%(title)s”已取消。") % {"title": activity.title})
            return redirect("eventweek:manage_week", slug=week.slug)
    status = 400 if form.is_bound else 200
    context = {"week": week, "activity": activity, "form": form}
    return render(request, "eventweek/manage/activity_cancel.html", context, status=status)


@login_required
@require_POST
def activity_restore(request, slug, pk):
    return _change_activity_status(request, slug, pk, changes.restore_activity, _("活动“%(title)s”已恢复。"))
