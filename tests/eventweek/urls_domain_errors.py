"""The site's URLs plus three views whose services refuse, to reach the pages the domain errors map to."""

from django.urls import path

from eventweek.errors import DomainError, Forbidden, NotFound
from eventweek.urls import urlpatterns as site_urlpatterns


def missing(request):
    raise NotFound


def not_yours(request):
    raise Forbidden("只有省局审核员可以退回报送。")


def refused(request):
    raise DomainError("活动周已发布，不能删除。")


urlpatterns = [
    path("test/missing/", missing),
    path("test/not-yours/", not_yours),
    path("test/refused/", refused),
    *site_urlpatterns,
]
