from django.urls import path

from eventweek import views

app_name = "eventweek"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
