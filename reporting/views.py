"""Daily reporting pages: access helper → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eventweek.deadlines import DeadlineStatus
from eventweek.errors import DomainError
from exchange.services import tally as exchange_tally
from reporting.exporters import ReportItemsExporter, StatusGridExporter
from reporting.forms import HighlightForm, ItemFormSet, ReportForm, ReviewForm, item_initial, uploaded_names
from reporting.pictures import max_pictures
from reporting.services import access, submission
from reporting.services import charts as rate_charts
from reporting.services import dashboard as dashboards
from reporting.services import highlights as highlighting
from reporting.services import review as reviewing
from reporting.services.status import cell_status, check_report_day, has_cutoff, local_today


@login_required
def my_reports(request, slug):
    """A reporting org's home for the week: its days, their status, a link to file or amend."""
    week = access.get_reporting_week(request.user, slug)
    org = request.user.org
    cells = dashboards.my_days(week, org)
    reviewing.mark_cells(cells)
    returns, comments = reviewing.reviews_for_org(week, org)
    today = local_today()
    return render(
        request,
        "reporting/my_reports.html",
        {
            "week": week,
            "org": org,
            "cells": cells,
            "today": today,
            "has_cutoff": has_cutoff(org),
            "open_returns": returns,
            "comments": comments,
        },
    )


@login_required
def report_detail(request, slug, code, day):
    """One (org, day): the current content, its status, every submitted version."""
    week, org = access.get_week_and_report_org_for_user(request.user, slug, code)
    day = access.get_week_day(week, day)
    report = access.get_day_report_for_user(request.user, week, org, day)
    if report is not None:
        report.week, report.org = week, org
    reviewing.record_first_read(report, request.user)
    items = submission.live_items(report)
    may_review = not access.report_review_refusal(request.user, week, org)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "week": week,
            "org": org,
            "day": day,
            "report": report,
            "items": items,
            "status": cell_status(week, org, day, report),
            "cutoff": week.cutoff_for(day) if has_cutoff(org) else None,
            "versions": submission.report_versions(report) if report else [],
            "can_edit": access.can_edit(request.user, org),
            "can_review": access.can_review(request.user, week) and request.user.org_id != org.pk,
            "day_error": _day_error(week, day),
            "reviews": reviewing.report_reviews(report),
            "open_return": reviewing.open_return(report),
            "may_review": may_review and report is not None and report.is_submitted,
            "comment_form": ReviewForm(prefix="comment"),
        },
    )


@login_required
@require_POST
def report_comment(request, slug, code, day):
    """A reviewer's comment (点评) on a filed report, shown to the reporting org."""
    report = access.get_report_to_review(request.user, slug, code, day)
    back = reverse("reporting:report_detail", args=[slug, code, report.day.isoformat()])
    form = ReviewForm(request.POST, prefix="comment")
    if not form.is_valid():
        for error in form.errors["text"]:
            messages.error(request, _("点评内容：%(error)s") % {"error": error})
        return redirect(back)
    try:
        reviewing.comment_on_report(report, user=request.user, text=form.cleaned_data["text"])
    except (DomainError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("点评已发送，报送单位可在报送页看到。"))
    return redirect(back)


@login_required
def report_return(request, slug, code, day):
    """Return a filed report for changes: a page to confirm with the required reason, then the return."""
    report = access.get_report_to_review(request.user, slug, code, day)
    back = reverse("reporting:report_detail", args=[slug, code, report.day.isoformat()])
    open_return = reviewing.open_return(report)
    form = ReviewForm(request.POST or None, label=_("退回原因"))
    if request.method == "POST" and open_return is None and form.is_valid():
        try:
            reviewing.return_report(report, user=request.user, reason=form.cleaned_data["text"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已退回修改，报送单位将在报送页和工作台看到退回原因。"))
            return redirect(back)
    return render(
        request,
        "reporting/report_return.html",
        {
            "week": report.week,
            "org": report.org,
            "report": report,
            "form": form,
            "open_return": open_return,
            "back": back,
        },
    )


def _day_error(week, day) -> str:
    try:
        check_report_day(week, day)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@login_required
def report_edit(request, slug, code, day):
    """File or amend a day's report (only the org's own users)."""
    week, org = access.get_report_org_to_edit(request.user, slug, code)
    day = access.parse_day(day)
    error = _day_error(week, day)
    if error:
        return render(request, "reporting/day_error.html", {"week": week, "org": org, "message": error}, status=400)
    report = access.get_day_report_for_user(request.user, week, org, day)
    items = submission.live_items(report)
    pictures_by_item = submission.live_pictures_by_item(report)
    if request.method == "POST":
        form = ReportForm(request.POST)
        formset = ItemFormSet(request.POST, request.FILES, prefix="items", pictures_by_item=pictures_by_item)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                report, created = submission.submit_report(
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
            except submission.NothingChanged as exc:  # the stored version stands as it is
                messages.info(request, str(exc))
                return redirect("reporting:report_detail", slug=week.slug, code=org.code, day=day.isoformat())
            except DomainError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if created:
                    status = DeadlineStatus(report.versions.order_by("-number").first().status).label
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
            "cutoff": week.cutoff_for(day) if has_cutoff(org) else None,
            "now": timezone.now(),
            "max_pictures": max_pictures(),
            "repick": uploaded_names(request.FILES) if request.method == "POST" else [],
        },
    )


@login_required
def report_version(request, slug, code, day, number):
    """One submitted version as it was."""
    week, org = access.get_week_and_report_org_for_user(request.user, slug, code)
    report, version = access.get_version_for_user(request.user, week, org, access.parse_day(day), number)
    pictures = submission.version_pictures(version)
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
    handle, content_type = access.open_picture_for_user(request.user, pk, thumbnail=variant == "thumb")
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def dashboard(request, slug):
    """The status grid of the week's reporting orgs × days, rates and counts; always computed fresh."""
    week = access.get_dashboard_week(request.user, slug)
    orgs = dashboards.visible_report_orgs(request.user, week)
    board = dashboards.build_dashboard(week, orgs)
    reviewing.mark_cells(cell for row in board.rows for cell in row.cells)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "week": week,
            "board": board,
            "can_review": access.can_review(request.user, week),
            "has_children": week.children.exists(),
            "statuses": [DeadlineStatus.ON_TIME, DeadlineStatus.LATE, DeadlineStatus.MISSING, DeadlineStatus.NOT_DUE],
            "rate_chart": rate_charts.rate_by_day_chart(board),
            "exchange_tally": exchange_tally.dashboard_tally(week),
        },
    )


@login_required
def overview(request, slug):
    """The national overview: the child weeks' (provinces') rates per day."""
    week = access.get_dashboard_week(request.user, slug)
    rows = dashboards.build_overview(week)
    return render(request, "reporting/overview.html", {"week": week, "rows": rows, "days": week.days()})


@login_required
def export_grid(request, slug):
    week = access.get_dashboard_week(request.user, slug)
    return StatusGridExporter(week, dashboards.visible_report_orgs(request.user, week)).response()


@login_required
def export_items(request, slug):
    week = access.get_dashboard_week(request.user, slug)
    return ReportItemsExporter(week, dashboards.visible_report_orgs(request.user, week)).response()


@login_required
def highlight_edit(request, slug, item_pk):
    """Mark an item as a highlight, change the mark, or remove it."""
    week = access.get_dashboard_week(request.user, slug)
    item = access.get_item_for_reviewer(request.user, week, item_pk)
    report = item.report
    item_pictures = highlighting.item_pictures(item)
    highlight = getattr(item, "highlight", None)
    back = reverse("reporting:report_detail", args=[week.slug, report.org.code, report.day.isoformat()])
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                highlighting.unmark_highlight(item, user=request.user)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已取消亮点。")
            return redirect(back)
        form = HighlightForm(request.POST, item_pictures=item_pictures)
        if form.is_valid():
            try:
                highlighting.mark_highlight(
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
    week = access.get_dashboard_week(request.user, slug)
    day = None
    if request.GET.get("day"):
        day = access.parse_day(request.GET["day"])
    chosen = highlighting.highlights_for(week, org=None if request.user.is_superuser else request.user.org, day=day)
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
            "packages": highlighting.packages_for(week, request.user),
            "can_review": access.can_review(request.user, week),
            "review_refusal": access.review_refusal(request.user, week),
        },
    )


@login_required
@require_POST
def forward(request, slug, day):
    """Forward a day's highlights upward as a frozen package."""
    week = access.get_dashboard_week(request.user, slug)
    access.check_can_review(request.user, week)
    try:
        package = highlighting.forward_highlights(week, access.parse_day(day), user=request.user)
    except (DomainError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect(f"{reverse('reporting:highlights', args=[week.slug])}?day={day}")
    messages.success(request, f"已上报 {len(package.payload)} 条亮点。")
    return redirect("reporting:package", slug=week.slug, pk=package.pk)


@login_required
def package(request, slug, pk):
    """A forwarded package as it was frozen."""
    package = access.get_package_for_user(request.user, slug, pk)
    entries = highlighting.package_entries(package)
    return render(request, "reporting/package.html", {"week": package.week, "package": package, "entries": entries})
