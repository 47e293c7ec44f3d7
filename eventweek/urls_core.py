from django.urls import path

from eventweek import views_home
from eventweek.urls_manage import urlpatterns as manage_urlpatterns
from eventweek.urls_public import urlpatterns as public_urlpatterns

app_name = "eventweek"

urlpatterns = [
    path("", views_home.home, name="home"),
    path("dashboard/", views_home.dashboard, name="dashboard"),
    *public_urlpatterns,
    *manage_urlpatterns,
]
