"""The one composing module: the pages of the core app that show feature apps' parts (reporting, quiz).

Only this module of the core app imports a feature app; everything else in `eventweek` stands alone.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from calls.services.setup import open_calls
from eventweek.services.access import weeks_for_user
from eventweek.services.public import get_public_activity, get_public_week, published_weeks
from eventweek.views_public import activity_page_context, week_page_context
from inbox.services.handling import unread_count
from quiz.services.public import public_quizzes_for_week
from quiz.services.status import quiz_links, quizzes_of_activity
from reporting.services.access import weeks_to_report, weeks_to_review
from reporting.services.today import open_returns_for_user, reporter_today


def home(request):
    return render(request, "eventweek/home.html", {"weeks": published_weeks(), "open_calls": open_calls()})


@login_required
def dashboard(request):
    """The workbench: what the user's org files, reviews and organizes, one click each."""
    user = request.user
    context = {
        "weeks": weeks_for_user(user).order_by("-start_date", "slug"),
        "report_weeks": weeks_to_report(user),
        "review_weeks": weeks_to_review(user),
        "inbox_unread": unread_count(user),
        "today_entries": reporter_today(user),
        "open_returns": open_returns_for_user(user),
    }
    return render(request, "eventweek/dashboard.html", context)


def week_detail(request, slug):
    """The public week page: the programme day by day, plus the week's public quizzes, each 未开始/进行中/已结束 now."""
    week = get_public_week(slug)
    context = week_page_context(week)
    if week.is_published:
        context["quizzes"] = quiz_links(public_quizzes_for_week(week))
    return render(request, "eventweek/public/week.html", context)


def activity_detail(request, slug, pk):
    """A public activity's page, plus a link to the quiz tied to it (a 云竞答 poster's QR code leads here)."""
    week = get_public_week(slug)
    activity = get_public_activity(week, pk)
    context = activity_page_context(week, activity)
    context["quizzes"] = quiz_links(quizzes_of_activity(activity))
    return render(request, "eventweek/public/activity.html", context)
