"""Call pages: the public page and QR, the outsider's essay and status, the unit's editors, the quota board, review,
forwarding and the outputs. Thin: access helper → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.exporters import CallEntriesExporter
from calls.forms import CallForm, EntryForm, OutsiderStartForm, ScoreForm, StatusForm
from calls.models import Entry
from calls.services import access
from calls.services.certificates import adopter_of, start_certificate_pdf
from calls.services.documents import CONTENT_TYPE, certificate_docx, collection_docx, collection_title, entry_docx
from calls.services.entries import add_picture, limits_of, save_entry, start_entry, submission_problems, submit_entry
from calls.services.quotas import quota_board, quota_totals
from calls.services.review import (
    adoption_of,
    decide,
    entries_to_review,
    forward_selection,
    score_entry,
    selected_entries,
)
from calls.services.setup import create_call, publish_call, update_call
from eventweek.errors import DomainError, NotFound
from eventweek.qr import qr_svg_document
from eventweek.xlsx import content_disposition


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def public_call(request, slug):
    """The public page of a published call, with its QR code."""
    call = access.get_public_call(slug)
    return render(request, "calls/public.html", {"call": call})


def call_qr(request, slug):
    call = access.get_public_call(slug)
    url = request.build_absolute_uri(reverse("calls:public", args=[call.slug]))
    return HttpResponse(qr_svg_document(url), content_type="image/svg+xml")


def outsider_start(request, slug):
    """An outside individual starts an essay with a mobile number; the reference code is shown once."""
    call = access.get_public_call(slug)
    form = OutsiderStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = start_entry(call, Entry.Kind.ESSAY, phone=form.cleaned_data["phone"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            request.session[f"call_phone_{entry.reference}"] = entry.phone
            return redirect("calls:outsider_edit", entry.reference)
    return render(request, "calls/outsider_start.html", {"call": call, "form": form})


def outsider_edit(request, reference):
    """The outsider's essay editor, open in the session that started it or looked it up."""
    entry = access.get_outsider_entry(reference, request.session.get(f"call_phone_{reference}", ""))
    return _editor(request, entry, user=None)


def status(request, slug):
    """An outsider sees their entry's status by phone and reference code."""
    call = access.get_public_call(slug)
    form = StatusForm(request.POST or None)
    entry = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = access.get_outsider_entry(form.cleaned_data["reference"], form.cleaned_data["phone"])
        except NotFound as error:
            form.add_error(None, str(error))
        else:
            request.session[f"call_phone_{entry.reference}"] = entry.phone
    return render(request, "calls/status.html", {"call": call, "form": form, "entry": entry})


@login_required
def call_list(request):
    return render(request, "calls/list.html", {"calls": access.calls_for_user(request.user)})


@login_required
def call_new(request):
    if not request.user.is_org_admin or request.user.org_id is None:
        raise NotFound
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = create_call(request.user.org, **form.cleaned_data)
        except DomainError as error:
            form.add_error("slug", str(error))
        else:
            return redirect("calls:detail", call.slug)
    return render(request, "calls/call_form.html", {"form": form})


@login_required
def call_edit(request, slug):
    call = access.get_call_to_manage(request.user, slug)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        update_call(call, **form.cleaned_data)
        return redirect("calls:detail", call.slug)
    return render(request, "calls/call_form.html", {"form": form, "call": call})


@login_required
@require_POST
def call_publish(request, slug):
    publish_call(access.get_call_to_manage(request.user, slug), request.user)
    return redirect("calls:detail", slug)


@login_required
def call_detail(request, slug):
    """The call for a signed-in user: their org's entries, and links to file, review and the board."""
    call = access.get_call_for_user(request.user, slug)
    context = {"call": call, "own": access.own_entries(request.user, call), "kinds": Entry.Kind.choices}
    return render(request, "calls/detail.html", context)


@login_required
@require_POST
def entry_new(request, slug, kind):
    call = access.get_call_for_user(request.user, slug)
    if kind not in Entry.Kind.values:
        raise NotFound
    try:
        entry = start_entry(call, kind, org=request.user.org, user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("calls:detail", call.slug)
    return redirect("calls:entry_edit", entry.pk)


@login_required
def entry_edit(request, pk):
    return _editor(request, access.get_entry_to_edit(request.user, pk), user=request.user)


def _editor(request, entry, user):
    """Save (a new version, the optimistic check), add a picture, submit when within every limit."""
    form = EntryForm(request.POST or None, request.FILES or None, entry=entry, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        try:
            save_entry(entry, form.data_for_service(), user=user, expected_version=form.cleaned_data["version"])
            if form.cleaned_data.get("picture"):
                add_picture(entry, form.cleaned_data["picture"], form.cleaned_data["picture_caption"], user=user)
            entry.refresh_from_db()
            if "submit" in request.POST:
                submit_entry(entry, user=user)
                messages.success(request, _("已提交。"))
            else:
                messages.success(request, _("已保存为第 %(n)s 版。") % {"n": entry.version})
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect(request.path)
    entry.refresh_from_db()
    context = {
        "entry": entry,
        "form": form,
        "limits": limits_of(entry),
        "problems": submission_problems(entry),
        "adopted": adoption_of(entry),
        "pictures": entry.pictures.all(),
    }
    return render(request, "calls/editor.html", context)


@login_required
def board(request, slug):
    call = access.get_call_to_review(request.user, slug)
    rows = quota_board(call)
    return render(request, "calls/board.html", {"call": call, "rows": rows, "totals": quota_totals(rows)})


@login_required
def review_list(request, slug):
    call = access.get_call_to_review(request.user, slug)
    entries = entries_to_review(call, request.user.org)
    return render(request, "calls/review_list.html", {"call": call, "entries": entries})


@login_required
def entry_review(request, pk):
    entry = access.get_entry_to_review(request.user, pk)
    form = ScoreForm(request.POST or None, call=entry.call)
    if request.method == "POST" and form.is_valid():
        score_entry(entry, request.user, form.points(), form.cleaned_data["comment"])
        decide(
            entry,
            request.user.org,
            shortlisted=form.cleaned_data["shortlisted"],
            selected=form.cleaned_data["selected"],
            actor=request.user,
        )
        return redirect("calls:review_list", entry.call.slug)
    return render(request, "calls/review.html", {"entry": entry, "form": form})


@login_required
@require_POST
def forward(request, slug):
    call = access.get_call_to_review(request.user, slug)
    try:
        forwarding = forward_selection(call, request.user.org, request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已报送%(org)s。") % {"org": forwarding.receiver.name})
    return redirect("calls:review_list", call.slug)


@login_required
def entry_download(request, pk):
    entry = access.get_entry_for_user(request.user, pk)
    return _docx(entry_docx(entry), f"{entry.title}.docx")


@login_required
def collection_download(request, slug, kind):
    call = access.get_call_to_review(request.user, slug)
    entries = [e for e in selected_entries(call, request.user.org) if e.kind == kind]
    title = collection_title(call, kind)
    return _docx(collection_docx(call, entries, title), f"{title}.docx")


@login_required
def certificate_download(request, pk):
    entry = access.get_entry_for_user(request.user, pk)
    return _docx(certificate_docx(entry, adopter_of(entry)), f"奖励证书-{entry.title}.docx")


@login_required
@require_POST
def certificate_pdf_start(request, pk):
    """Start the certificate's PDF job; the status page polls it."""
    job = start_certificate_pdf(access.get_entry_for_user(request.user, pk))
    return redirect("calls:certificate_pdf", pk, job.pk)


@login_required
def certificate_pdf(request, pk, job):
    """The job's status (the page reloads itself while it runs), or the PDF once done."""
    job = access.get_certificate_pdf_for_user(request.user, pk, job)
    if job.status == job.Status.DONE:
        response = HttpResponse(bytes(job.content), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(f"奖励证书-{job.entry.title}.pdf")
        return response
    return render(request, "calls/certificate_pdf.html", {"job": job})


@login_required
def entries_xlsx(request, slug):
    return CallEntriesExporter(access.get_call_to_review(request.user, slug)).response()
