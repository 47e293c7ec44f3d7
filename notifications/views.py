"""Pages of notifications: an org's channels (with a test message), which channels each kind of notice uses, its
contacts, and the delivery log of its subtree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.forms import ChannelForm, ContactForm, LogFilterForm, RoutesForm
from notifications.models import Channel, Contact
from notifications.services import access, channels, contacts, routing

LOG_PAGE_SIZE = 50


def _admin_org(request):
    access.require_admin(request.user)
    return access.org_of_user(request.user)


@login_required
def channel_list(request):
    org = _admin_org(request)
    org_channels = list(access.channels_for_user(request.user).filter(org=org))
    routes = RoutesForm(request.POST or None, channels=org_channels, routes=routing.routes_of_org(org))
    if request.method == "POST" and routes.is_valid():
        routing.save_routes(org, routes.chosen())
        messages.success(request, _("已保存各类通知使用的渠道。"))
        return redirect("notifications:channels")
    return render(
        request,
        "notifications/channels.html",
        {"org": org, "channels": org_channels, "routes": routes, "contacts": access.contacts_of_org(org)},
    )


@login_required
def channel_new(request):
    org = _admin_org(request)
    form = ChannelForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        channel = channels.save_channel(form.apply(Channel()), org)
        messages.success(request, _("已添加渠道“%(name)s”。") % {"name": channel.name})
        return redirect("notifications:channels")
    return render(request, "notifications/channel_form.html", {"form": form, "org": org, "channel": None})


@login_required
def channel_edit(request, pk):
    channel = access.get_channel_for_user(request.user, pk, change=True)
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        channels.save_channel(form.apply(channel))
        messages.success(request, _("已保存渠道“%(name)s”。") % {"name": channel.name})
        return redirect("notifications:channels")
    return render(request, "notifications/channel_form.html", {"form": form, "org": channel.org, "channel": channel})


@login_required
@require_POST
def channel_toggle(request, pk):
    channel = access.get_channel_for_user(request.user, pk, change=True)
    channels.set_channel_enabled(channel, not channel.enabled)
    messages.success(request, _("已启用该渠道。") if channel.enabled else _("已停用该渠道。"))
    return redirect("notifications:channels")


@login_required
def channel_test(request, pk):
    """GET asks to confirm; POST sends the test message now and shows the gateway's answer."""
    channel = access.get_channel_for_user(request.user, pk, change=True)
    result = channels.send_test_message(channel, request.user) if request.method == "POST" else None
    return render(request, "notifications/channel_test.html", {"channel": channel, "result": result})


@login_required
def contact_list(request):
    """The contacts of every org of the admin's subtree, each org with its add link."""
    by_org = {org.pk: (org, []) for org in access.contact_orgs_for_user(request.user)}
    for contact in access.contacts_for_user(request.user):
        by_org[contact.org_id][1].append(contact)
    return render(request, "notifications/contacts.html", {"orgs": list(by_org.values())})


@login_required
def contact_new(request):
    """A new contact of the admin's org, or of an org of its subtree (?org=<code>)."""
    org = access.get_contact_org_for_user(request.user, request.GET.get("org", ""))
    form = ContactForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        contacts.save_contact(form.save(commit=False), org)
        messages.success(request, _("已为%(org)s添加联系人。") % {"org": org.display_name})
        return redirect("notifications:channels" if org.pk == request.user.org_id else "notifications:contacts")
    return render(request, "notifications/contact_form.html", {"form": form, "org": org, "contact": None})


@login_required
def contact_edit(request, pk):
    contact: Contact = access.get_contact_for_user(request.user, pk)
    form = ContactForm(request.POST or None, instance=contact)
    back = "notifications:channels" if contact.org_id == request.user.org_id else "notifications:contacts"
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            contacts.delete_contact(contact)
            messages.success(request, _("已删除联系人。"))
            return redirect(back)
        if form.is_valid():
            contacts.save_contact(form.save(commit=False))
            messages.success(request, _("已保存联系人。"))
            return redirect(back)
    return render(request, "notifications/contact_form.html", {"form": form, "org": contact.org, "contact": contact})


@login_required
def delivery_log(request):
    visible_channels = access.channels_for_user(request.user).order_by("org__path", "kind", "pk")
    form = LogFilterForm(request.GET or None, channels=visible_channels)
    status, channel_id = "", None
    if form.is_valid():
        status, channel_id = form.cleaned_data["status"], form.cleaned_data["channel"]
    rows = access.deliveries_for_user(request.user, status=status, channel_id=channel_id)
    page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "notifications/log.html", {"form": form, "page": page, "query": query.urlencode()})
