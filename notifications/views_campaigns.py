"""Pages of the public-interest SMS campaign (公益短信): list, new (message with its live count, recipients from an
.xlsx or an org subtree's contacts), the campaign's page with its progress (polled JSON) and tally, confirmed actions
(send now, schedule, stop, resume), the opt-out list, and the gateways' reply endpoint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from eventweek.errors import DomainError, NotFound
from eventweek.phones import mask_phone
from notifications.forms_campaigns import SOURCE_XLSX, CampaignForm, OptOutForm, ScheduleForm
from notifications.services import access, campaigns, optouts
from notifications.services.campaign_import import read_staff_xlsx, subtree_contacts

RECIPIENTS_SHOWN = 100
ACTIONS = {
    "send": _("立即发送"),
    "schedule": _("定时发送"),
    "stop": _("暂停发送"),
    "resume": _("继续发送"),
}


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def campaign_list(request):
    rows = access.campaigns_for_user(request.user).order_by("-created_at", "-pk")[:200]
    return render(request, "notifications/campaigns/list.html", {"campaigns": rows})


@login_required
def campaign_new(request):
    access.require_admin(request.user)
    org = access.org_of_user(request.user)
    form = CampaignForm(request.POST or None, request.FILES or None, orgs=org.descendants().order_by("path"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["source"] == SOURCE_XLSX:
                entries, source = (
                    read_staff_xlsx(data["file"], org),
                    _("人员名单 %(name)s") % {"name": data["file"].name},
                )
            else:
                unit = data["unit"]
                entries, source = subtree_contacts(unit), _("%(unit)s及下级单位的联系人") % {"unit": unit.name}
            campaign = campaigns.create_campaign(request.user, org, data["name"], data["message"], entries, source)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已建立公益短信，请核对接收人后发送。"))
            return redirect("notifications:campaign", pk=campaign.pk)
    sign = campaigns.message_size(org, "").sign
    return render(request, "notifications/campaigns/new.html", {"form": form, "org": org, "sign": sign})


def _recipient_rows(request, campaign):
    full = access.can_see_campaign_phones(request.user, campaign)
    rows = []
    for row in access.recipients_of_campaign(campaign)[:RECIPIENTS_SHOWN]:
        rows.append({"row": row, "mobile": row.mobile if full else mask_phone(row.mobile)})
    return rows


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk)
    size = campaigns.message_size(campaign.org, campaign.message)
    return render(
        request,
        "notifications/campaigns/detail.html",
        {
            "campaign": campaign,
            "tally": campaigns.tally(campaign),
            "size": size,
            "recipients": _recipient_rows(request, campaign),
            "may_change": access.may_change_campaign(request.user, campaign),
        },
    )


@login_required
@require_GET
def campaign_progress(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk)
    return JsonResponse(campaigns.tally(campaign))


@login_required
def campaign_action(request, pk, action):
    """GET asks to confirm; POST does it."""
    if action not in ACTIONS:
        raise NotFound(_("没有这个操作。"))
    campaign = access.get_campaign_for_user(request.user, pk, change=True)
    form = ScheduleForm(request.POST or None) if action == "schedule" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if action == "send":
                campaigns.send_now(campaign, request.user)
            elif action == "schedule":
                campaigns.schedule(campaign, request.user, form.cleaned_data["at"])
            elif action == "stop":
                campaigns.stop(campaign)
            else:
                campaigns.resume(campaign, request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已%(action)s。") % {"action": ACTIONS[action]})
            return redirect("notifications:campaign", pk=campaign.pk)
    return render(
        request,
        "notifications/campaigns/confirm.html",
        {
            "campaign": campaign,
            "action": action,
            "label": ACTIONS[action],
            "form": form,
            "tally": campaigns.tally(campaign),
        },
    )


@login_required
def opt_out_list(request):
    rows = access.opt_outs_for_user(request.user)
    org = access.org_of_user(request.user)
    form = OptOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            optouts.add_opt_out_by_admin(form.cleaned_data["mobile"], org)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已将该号码加入退订名单，此后的公益短信都不再发给它。"))
            return redirect("notifications:opt_outs")
    shown = [{"row": row, "mobile": mask_phone(row.mobile)} for row in rows[:500]]
    return render(request, "notifications/campaigns/opt_outs.html", {"form": form, "rows": shown})


@csrf_exempt
@require_POST
def sms_replies(request):
    """A gateway reports a recipient's reply (see notifications.services.optouts for the payload)."""
    try:
        added = optouts.receive_reply(request.body, request.headers)
    except PermissionError as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=403)
    except DomainError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    return JsonResponse({"ok": True, "opted_out": added})
