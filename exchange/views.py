"""Exchange pages: access helper → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from eventweek.errors import DomainError
from exchange.exporters import ExchangeTallyExporter
from exchange.forms import RecordForm, RegistrationForm, ReturnForm, record_initial
from exchange.models import Registration
from exchange.services import access, recording, registration, tally


@login_required
@require_GET
def exchange_list(request):
    """The exchange activities the user may open."""
    return render(request, "exchange/list.html", {"activities": access.exchanges_for_user(request.user)})


@login_required
@require_GET
def exchange_detail(request, pk):
    """One exchange: the unit's own registration and record, the registrations below the user, the tally."""
    activity = access.get_exchange_for_user(request.user, pk)
    status = request.GET.get("status") or ""
    registrations = access.visible_registrations(request.user, activity)
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    return render(
        request,
        "exchange/detail.html",
        {
            "activity": activity,
            "unit_refusal": access.unit_refusal(request.user, activity),
            "own": access.own_registration(request.user, activity),
            "own_record": access.own_record(request.user, activity),
            "is_organizer": access.is_organizer(request.user, activity),
            "registrations": registrations,
            "status": status,
            "statuses": Registration.Status.choices,
            "tally": tally.tally_for_user(request.user, activity),
        },
    )


@login_required
def register(request, pk):
    """The unit's registration (备案): new, or changed while pending or returned."""
    activity = access.get_unit_exchange(request.user, pk)
    own = access.own_registration(request.user, activity)
    initial = {}
    if own is not None:
        initial = {f: getattr(own, f) for f in ("contact_name", "contact_phone", "expected_items", "poverty_area")}
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration.register_unit(activity, request.user.org, request.user, form.to_input())
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("备案已提交，等待%(org)s审核。") % {"org": activity.week.organizer.name})
            return redirect("exchange:detail", pk=activity.pk)
    return render(request, "exchange/register.html", {"activity": activity, "form": form, "own": own})


@login_required
@require_GET
def registration_detail(request, pk, reg_pk):
    """One registration, with the organizer's approve and return buttons."""
    activity = access.get_exchange_for_user(request.user, pk)
    item = access.get_registration_for_user(request.user, activity, reg_pk)
    return render(
        request,
        "exchange/registration.html",
        {"activity": activity, "registration": item, "refusal": access.decide_refusal(request.user, activity)},
    )


@login_required
def approve(request, pk, reg_pk):
    """Confirm, then approve the registration (POST)."""
    activity = access.get_exchange_for_user(request.user, pk)
    item = access.get_registration_to_decide(request.user, activity, reg_pk)
    if request.method == "POST":
        try:
            registration.approve_registration(item, request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已通过%(org)s的备案。") % {"org": item.org.name})
        return redirect("exchange:registration", pk=activity.pk, reg_pk=item.pk)
    return render(request, "exchange/approve.html", {"activity": activity, "registration": item})


@login_required
def return_view(request, pk, reg_pk):
    """Ask for the reason, then return the registration to its unit (POST)."""
    activity = access.get_exchange_for_user(request.user, pk)
    item = access.get_registration_to_decide(request.user, activity, reg_pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.return_registration(item, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason", exc.message_dict.get("reason", exc.messages))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已退回%(org)s的备案。") % {"org": item.org.name})
            return redirect("exchange:registration", pk=activity.pk, reg_pk=item.pk)
    return render(request, "exchange/return.html", {"activity": activity, "registration": item, "form": form})


@login_required
def record(request, pk):
    """The unit's record of the day: collected by kind, exchanged products, pictures."""
    activity = access.get_unit_exchange(request.user, pk)
    own = access.own_record(request.user, activity)
    existing = list(own.pictures.all()) if own else []
    form = RecordForm(
        request.POST or None, request.FILES or None, initial=record_initial(own), existing_pictures=existing
    )
    if request.method == "POST" and form.is_valid():
        try:
            recording.record_exchange(activity, request.user.org, request.user, form.to_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("兑换情况已保存。"))
            return redirect("exchange:detail", pk=activity.pk)
    context = {
        "activity": activity,
        "form": form,
        "record": own,
        "registration": access.own_registration(request.user, activity),
    }
    return render(request, "exchange/record.html", context)


@login_required
@require_GET
def record_detail(request, pk, record_pk):
    """One unit's record with its products and pictures."""
    activity = access.get_exchange_for_user(request.user, pk)
    item = access.get_record_for_user(request.user, activity, record_pk)
    return render(request, "exchange/record_detail.html", {"activity": activity, "record": item})


@login_required
@require_GET
def picture(request, pk, picture_pk, variant):
    """A record's picture (original or thumbnail), only after the record's access check."""
    activity = access.get_exchange_for_user(request.user, pk)
    handle, content_type = access.open_picture_for_user(request.user, activity, picture_pk, variant == "thumb")
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_GET
def export_tally(request, pk):
    """The tally of the user's subtree (the organizer's, for a superuser) as .xlsx."""
    activity = access.get_exchange_for_user(request.user, pk)
    return ExchangeTallyExporter(activity, tally.tally_for_user(request.user, activity)).response()
