"""Pages of the core app: the home page and the signed-in user's workbench."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from eventweek import services
from eventweek.models import Week


def home(request):
    weeks = Week.objects.filter(published_at__isnull=False).select_related("organizer").order_by("-start_date", "slug")
    return render(request, "eventweek/home.html", {"weeks": weeks})


@login_required
def dashboard(request):
    weeks = services.weeks_for_user(request.user).order_by("-start_date", "slug")
    return render(request, "eventweek/dashboard.html", {"weeks": weeks})
