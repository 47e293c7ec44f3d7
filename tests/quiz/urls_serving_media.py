"""The project's URLs as `make run` (DEBUG) serves them: MEDIA_ROOT openly at /media/, read at request time so a
test's own MEDIA_ROOT is the one served."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from eventweek.urls import urlpatterns as project_patterns


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [path("media/<path:path>", serve_media), *project_patterns]
