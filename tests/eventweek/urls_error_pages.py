"""The site's URLs plus three views that fail on purpose, to reach the 403, 500 and 503 pages."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from eventweek.urls import handler500  # noqa: F401  (Django reads it from this module)
from eventweek.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


def database_down(request):
    raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')


urlpatterns = [
    path("test/forbidden/", forbidden),
    path("test/broken/", broken),
    path("test/database-down/", database_down),
    *site_urlpatterns,
]
