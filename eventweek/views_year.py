"""年度宣传活动安排: the public year page and feed of an org's and its parents' campaigns."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from eventweek.ical import YearCalendar
from eventweek.services.year import get_public_org, year_plan

FEED_MAX_AGE = 300


def _title(plan) -> str:
    return _("%(org)s%(year)s年度宣传活动安排") % {"org": plan.org.name, "year": plan.year}


def year_page(request, code, year):
    """The year's campaigns on one page, each linking to its programme."""
    plan = year_plan(get_public_org(code), year)
    return render(request, "eventweek/public/year.html", {"plan": plan, "title": _title(plan)})


def year_ics(request, code, year):
    """The same campaigns as one iCal feed."""
    plan = year_plan(get_public_org(code), year)
    exporter = YearCalendar(plan, name=_title(plan), filename=f"{plan.org.code}-{plan.year}.ics")
    response = HttpResponse(exporter.to_ical(), content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response
