"""The audit log page: an org admin reads their subtree's entries, filtered and paged. Read only: there is no URL that
changes or deletes an entry, and this one answers GET alone."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.forms import LogFilterForm
from audit.services import access

LOG_PAGE_SIZE = 50


@login_required
@require_GET
def log(request):
    form = LogFilterForm(request.GET or None, kinds=access.object_kinds_for_user(request.user))
    entries = access.entries_for_user(request.user, **form.filters())
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
