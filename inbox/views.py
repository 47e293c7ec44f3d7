"""Inbox pages: access helper → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.services.documents import collection_docx
from eventweek.errors import DomainError, NotFound
from inbox.forms import CommentForm, FilterForm
from inbox.models import InboxEntry
from inbox.services import access, exports, handling
from reporting.services.highlights import package_entries


@login_required
def inbox(request):
    """The entries addressed to the user's org (or, with ?org=, to an org below it), filtered."""
    org = access.get_inbox_org_for_user(request.user, request.GET.get("org") or None)
    form = FilterForm(request.GET or None, senders=handling.senders_of(org))
    # A filter that does not parse lists nothing and says why, rather than silently listing everything.
    entries = [] if form.is_bound and not form.is_valid() else handling.list_entries(org, form.to_filter())
    return render(
        request,
        "inbox/inbox.html",
        {
            "org": org,
            "own": org.pk == request.user.org_id,
            "form": form,
            "entries": entries,
            "weeks": access.received_weeks(org),
        },
    )


@login_required
def entry(request, pk):
    """One entry: the package's highlights and pictures, or the summary version; opening it marks it read."""
    item = access.get_entry_for_user(request.user, pk)
    handling.mark_read(item, request.user)
    context = {
        "entry": item,
        "refusal": access.handling_refusal(request.user, item),
        "comment_form": CommentForm(initial={"comment": item.comment}),
    }
    if item.kind == InboxEntry.Kind.PACKAGE:
        context["highlights"] = package_entries(item.package)
    elif item.kind == InboxEntry.Kind.CALL:
        context["call_entries"] = list(item.forwarding.entries.order_by("kind", "pk"))
    else:
        context["version"] = item.submission.version
    return render(request, "inbox/entry.html", context)


@login_required
def entry_picture(request, pk, picture_pk, variant):
    """A picture of the entry's package, only after the entry's access check."""
    handle, content_type = access.open_entry_picture_for_user(
        request.user, pk, picture_pk, thumbnail=variant == "thumb"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def adopt(request, pk):
    """Confirm, then adopt the entry (POST)."""
    item = access.get_entry_to_handle(request.user, pk)
    if request.method == "POST":
        try:
            handling.adopt_entry(item, request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已采用。"))
        return redirect("inbox:entry", pk=item.pk)
    return render(request, "inbox/adopt.html", {"entry": item})


@login_required
@require_POST
def comment(request, pk):
    """The comment back to the sender."""
    item = access.get_entry_to_handle(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            handling.comment_entry(item, request.user, form.cleaned_data["comment"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已回复报送单位。"))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}：{e}" for f, es in form.errors.items() for e in es))
    return redirect("inbox:entry", pk=item.pk)


@login_required
def download_docx(request, pk):
    """The entry as .docx: a package in the summary's official layout, or the submitted summary version."""
    item = access.get_entry_for_user(request.user, pk)
    if item.kind == InboxEntry.Kind.PACKAGE:
        content = exports.package_docx(item)
    elif item.kind == InboxEntry.Kind.CALL:
        entries = list(item.forwarding.entries.order_by("kind", "pk"))
        content = collection_docx(item.forwarding.call, entries, item.title)
    else:
        content = exports.summary_docx(item)
    response = HttpResponse(content, content_type=exports.DOCX_TYPE)
    response["Content-Disposition"] = exports.attachment(exports.entry_filename(item, "docx"))
    return response


@login_required
def download_xlsx(request, pk):
    """A package's highlights as .xlsx."""
    item = access.get_entry_for_user(request.user, pk)
    if item.kind != InboxEntry.Kind.PACKAGE:
        raise NotFound(_("只有亮点可以导出为表格。"))
    return exports.PackageExporter(item).response()


@login_required
def summaries_zip(request, slug):
    """Every sender's latest summary of the week received by the org, as one .zip of .docx files."""
    org = access.get_inbox_org_for_user(request.user, request.GET.get("org") or None)
    week = access.get_received_week(org, slug)
    response = HttpResponse(exports.summaries_zip(org, week), content_type=exports.ZIP_TYPE)
    response["Content-Disposition"] = exports.attachment(exports.summaries_zip_filename(org, week))
    return response
