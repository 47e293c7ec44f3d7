"""Copying a campaign from last year: choose the offset, confirm the new dates, then copy (a draft for review)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eventweek.forms_copy import CopyCampaignForm
from eventweek.services.access import get_week_for_user, require_admin
from eventweek.services.copying import copy_campaign, plan_copy


@login_required
def week_copy(request, slug):
    """GET: the form; POST: the confirmation with the new dates; POST with confirm: the copy."""
    week = get_week_for_user(request.user, slug)
    require_admin(request.user)
    form = CopyCampaignForm(request.POST or None, week=week)
    plan = None
    if request.method == "POST" and form.is_valid():
        slug_wanted = form.cleaned_data.get("slug") or ""
        try:
            plan = plan_copy(week, form.cleaned_data["offset"], slug_wanted)
            if request.POST.get("confirm") == str(plan.offset.days):  # the dates the user saw
                copy = copy_campaign(week, actor=request.user, offset=plan.offset, slug=slug_wanted)
                messages.success(
                    request, _("已复制为草稿“%(title)s”：请审核并保存后才会按时发布。") % {"title": copy.title}
                )
                return redirect("eventweek:manage_week", slug=copy.slug)
        except ValidationError as error:
            plan = None
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "eventweek/manage/week_copy.html", {"week": week, "form": form, "plan": plan})
