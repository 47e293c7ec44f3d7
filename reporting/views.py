"""Daily reporting pages: access helper → form → service → redirect."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from eventweek.errors import DomainError
from eventweek.models import Week
from reporting import services
from reporting.exporters import ReportItemsExporter, StatusGridExporter
from reporting.forms import HighlightForm, ItemFormSet, ReportForm, item_initial
from reporting.models import DailyReport, ReportStatus


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404("bad date") from exc


def _week(slug: str) -> Week:
    week = Week.objects.select_related("organizer", "parent__organizer").filter(slug=slug).first()
    if week is None:
        raise Http404
    return week


def _messages(exc: ValidationError) -> list[str]:
    return exc.messages


def _forbidden(request, week: Week, message: str):
    """A user who may see the page but not change it: 403 with the reason in Chinese (outsiders get 404 earlier)."""
    return render(request, "reporting/forbidden.html", {"week": week, "message": message}, status=403)


@login_required
def my_reports(request, slug):
    """A reporting org's home for the week: its days, their status, a link to file or amend."""
    week = services.get_reporting_week(request.user, slug)
    org = request.user.org
    cells = services.my_days(week, org)
    today = services.local_today()
    return render(
        request,
        "reporting/my_reports.html",
        {"week": week, "org": org, "cells": cells, "today": today, "has_cutoff": services.has_cutoff(org)},
    )


@login_required
def report_detail(request, slug, code, day):
    """One (org, day): the current content, its status, every submitted version."""
    week = _week(slug)
    org = services.get_report_org_for_user(request.user, week, code)
    day = _day(day)
    if not week.contains_date(day):
        raise Http404
    report = DailyReport.objects.filter(week=week, org=org, day=day).select_related("submitted_by").first()
    items, pictures = [], {}
    if report is not None:
        items = list(report.items.filter(removed=False).select_related("highlight").order_by("position", "pk"))
        for picture in report.pictures.filter(removed=False).order_by("position", "pk"):
            pictures.setdefault(picture.item_id, []).append(picture)
        for item in items:
            item.live_pictures = pictures.get(item.pk, [])
    return render(
        request,
        "reporting/report_detail.html",
        {
            "week": week,
            "org": org,
            "day": day,
            "report": report,
            "items": items,
            "status": services.cell_status(week, org, day, report),
            "cutoff": week.cutoff_for(day) if services.has_cutoff(org) else None,
            "versions": services.report_versions(report) if report else [],
            "can_edit": services.can_edit(request.user, org),
            "can_review": services.can_review(request.user, week) and request.user.org_id != org.pk,
            "day_error": _day_error(week, day),
        },
    )


def _day_error(week, day) -> str:
    try:
        services.check_report_day(week, day)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@login_required
def report_edit(request, slug, code, day):
    """File or amend a day's report (only the org's own users)."""
    week = _week(slug)
    org = services.get_report_org_for_user(request.user, week, code)
    if not services.can_edit(request.user, org):
        raise Http404
    day = _day(day)
    error = _day_error(week, day)
    if error:
        return render(request, "reporting/day_error.html", {"week": week, "org": org, "message": error}, status=400)
    report = DailyReport.objects.filter(week=week, org=org, day=day).first()
    items = list(report.items.filter(removed=False).order_by("position", "pk")) if report else []
    pictures_by_item = {}
    if report is not None:
        for picture in report.pictures.filter(removed=False).order_by("position", "pk"):
            pictures_by_item.setdefault(picture.item_id, []).append(picture)
    if request.method == "POST":
        form = ReportForm(request.POST)
        formset = ItemFormSet(request.POST, request.FILES, prefix="items", pictures_by_item=pictures_by_item)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                report, created = services.submit_report(
                    week=week,
                    org=org,
                    day=day,
                    user=request.user,
                    token=data["token"],
                    expected_version=data["version"],
                    narrative=data["narrative"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    items=formset.item_inputs(),
                )
            except services.NothingChanged as exc:  # the stored version stands as it is
                messages.info(request, str(exc))
                return redirect("reporting:report_detail", slug=week.slug, code=org.code, day=day.isoformat())
            except DomainError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                for message in _messages(exc):
                    form.add_error(None, message)
            else:
                if created:
                    status = ReportStatus(report.versions.order_by("-number").first().status).label
                    messages.success(request, f"已提交第 {report.version} 版（{status}）。")
                else:
                    messages.info(request, "该表单已提交过，未重复提交。")
                return redirect("reporting:report_detail", slug=week.slug, code=org.code, day=day.isoformat())
    else:
        form = ReportForm(initial=ReportForm.initial_for(report, request.user))
        formset = ItemFormSet(prefix="items", initial=item_initial(items), pictures_by_item=pictures_by_item)
    return render(
        request,
        "reporting/report_form.html",
        {
            "week": week,
            "org": org,
            "day": day,
            "report": report,
            "form": form,
            "formset": formset,
            "cutoff": week.cutoff_for(day) if services.has_cutoff(org) else None,
            "now": timezone.now(),
            "max_pictures": services.max_pictures(),
        },
    )


@login_required
def report_version(request, slug, code, day, number):
    """One submitted version as it was."""
    week = _week(slug)
    org = services.get_report_org_for_user(request.user, week, code)
    report = DailyReport.objects.filter(week=week, org=org, day=_day(day)).first()
    version = report.versions.select_related("submitted_by").filter(number=number).first() if report else None
    if version is None:
        raise Http404
    pictures = services.version_pictures(version)
    items = []
    for item in version.snapshot.get("items", []):
        shown = [{"pk": p["id"], "caption": p["caption"]} for p in item["pictures"] if p["id"] in pictures]
        items.append({**item, "picture_objects": shown})
    return render(
        request,
        "reporting/report_version.html",
        {"week": week, "org": org, "report": report, "version": version, "items": items},
    )


@login_required
def picture(request, pk, variant):
    """A private picture (original or thumbnail), only for users who may see its report."""
    picture = services.get_picture_for_user(request.user, pk)
    file = picture.thumbnail if variant == "thumb" else picture.image
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg" if variant == "thumb" else picture.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def dashboard(request, slug):
    """The status grid of the week's reporting orgs × days, rates and counts; always computed fresh."""
    week = services.get_dashboard_week(request.user, slug)
    orgs = services.visible_report_orgs(request.user, week)
    board = services.build_dashboard(week, orgs)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "week": week,
            "board": board,
            "can_review": services.can_review(request.user, week),
            "has_children": week.children.exists(),
            "statuses": [ReportStatus.ON_TIME, ReportStatus.LATE, ReportStatus.MISSING, ReportStatus.NOT_DUE],
        },
    )


@login_required
def overview(request, slug):
    """The national overview: the child weeks' (provinces') rates per day."""
    week = services.get_dashboard_week(request.user, slug)
    rows = services.build_overview(week)
    return render(request, "reporting/overview.html", {"week": week, "rows": rows, "days": week.days()})


@login_required
def export_grid(request, slug):
    week = services.get_dashboard_week(request.user, slug)
    return StatusGridExporter(week, services.visible_report_orgs(request.user, week)).response()


@login_required
def export_items(request, slug):
    week = services.get_dashboard_week(request.user, slug)
    return ReportItemsExporter(week, services.visible_report_orgs(request.user, week)).response()


@login_required
def highlight_edit(request, slug, item_pk):
    """Mark an item as a highlight, change the mark, or remove it."""
    week = services.get_dashboard_week(request.user, slug)
    try:
        item = services.get_item_for_reviewer(request.user, week, item_pk)
    except services.ReviewForbidden as exc:
        return _forbidden(request, week, str(exc))
    report = item.report
    item_pictures = list(item.pictures.filter(removed=False).order_by("position", "pk"))
    highlight = getattr(item, "highlight", None)
    back = reverse("reporting:report_detail", args=[week.slug, report.org.code, report.day.isoformat()])
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                services.unmark_highlight(item, user=request.user)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已取消亮点。")
            return redirect(back)
        form = HighlightForm(request.POST, item_pictures=item_pictures)
        if form.is_valid():
            try:
                services.mark_highlight(
                    item,
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                    order=form.cleaned_data["order"],
                    picture_ids=form.cleaned_data["pictures"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已标记为亮点。")
                return redirect(back)
    else:
        initial = {"order": 0, "pictures": [p.pk for p in item_pictures]}
        if highlight is not None:
            initial = {
                "comment": highlight.comment,
                "order": highlight.order,
                "pictures": list(highlight.pictures.values_list("pk", flat=True)),
            }
        form = HighlightForm(initial=initial, item_pictures=item_pictures)
    return render(
        request,
        "reporting/highlight_form.html",
        {"week": week, "item": item, "report": report, "form": form, "highlight": highlight, "pictures": item_pictures},
    )


@login_required
def highlights(request, slug):
    """The highlight list for the week or one day, grouped by day, with the forwarding buttons."""
    week = services.get_dashboard_week(request.user, slug)
    day = None
    if request.GET.get("day"):
        day = _day(request.GET["day"])
    chosen = services.highlights_for(week, org=None if request.user.is_superuser else request.user.org, day=day)
    by_day = {}
    for highlight in chosen:
        by_day.setdefault(highlight.day, []).append(highlight)
    groups = [
        {"day": d, "highlights": hs, "pending": sum(1 for h in hs if h.package_id is None)} for d, hs in by_day.items()
    ]
    return render(
        request,
        "reporting/highlights.html",
        {
            "week": week,
            "day": day,
            "groups": groups,
            "days": week.days(),
            "packages": services.packages_for(week, request.user),
            "can_review": services.can_review(request.user, week),
            "review_refusal": services.review_refusal(request.user, week),
        },
    )


@login_required
@require_POST
def forward(request, slug, day):
    """Forward a day's highlights upward as a frozen package."""
    week = services.get_dashboard_week(request.user, slug)
    refusal = services.review_refusal(request.user, week)
    if refusal:
        return _forbidden(request, week, refusal)
    try:
        package = services.forward_highlights(week, _day(day), user=request.user)
    except (DomainError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect(f"{reverse('reporting:highlights', args=[week.slug])}?day={day}")
    messages.success(request, f"已上报 {len(package.payload)} 条亮点。")
    return redirect("reporting:package", slug=week.slug, pk=package.pk)


@login_required
def package(request, slug, pk):
    """A forwarded package as it was frozen."""
    week = _week(slug)
    package = services.get_package_for_user(request.user, week, pk)
    kept = set(package.pictures.values_list("pk", flat=True))
    entries = [
        {
            **entry,
            "picture_objects": [{"pk": p["id"], "caption": p["caption"]} for p in entry["pictures"] if p["id"] in kept],
        }
        for entry in package.payload
    ]
    return render(request, "reporting/package.html", {"week": week, "package": package, "entries": entries})
