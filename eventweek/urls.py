from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.static import serve

from eventweek import views
from eventweek.forms import LoginForm

# The admin site (superusers only) carries its own titles: eventweek.admin_site.SuperuserAdminSite.
# A database that cannot be reached is a Chinese 503, any other uncaught error the Chinese 500.
handler500 = "eventweek.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reporting/", include("reporting.urls")),
    path("quiz/", include("quiz.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("inbox/", include("inbox.urls")),
    path("exchange/", include("exchange.urls")),
    path("calls/", include("calls.urls")),
    path("", include("eventweek.urls_core")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
