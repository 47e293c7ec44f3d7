"""Pages of the core app: the home page and the signed-in user's workbench."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from eventweek import services
from eventweek.models import Week
from reporting.services import weeks_to_report, weeks_to_review


def home(request):
    weeks = Week.objects.filter(published_at__isnull=False).select_related("organizer").order_by("-start_date", "slug")
    return render(request, "eventweek/home.html", {"weeks": weeks})


@login_required
def dashboard(request):
    """The workbench: what the user's org files, reviews and organizes, one click each."""
    user = request.user
    context = {
        "weeks": services.weeks_for_user(user).order_by("-start_date", "slug"),
        "report_weeks": weeks_to_report(user),
        "review_weeks": weeks_to_review(user),
    }
    return render(request, "eventweek/dashboard.html", context)
