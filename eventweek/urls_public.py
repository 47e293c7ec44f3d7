from django.urls import path

from eventweek import views_home, views_year
from eventweek import views_public as views

# Public pages: /weeks/<slug>/..., no login.
urlpatterns = [
    path("orgs/<str:code>/year/<int:year>/", views_year.year_page, name="year"),
    path("orgs/<str:code>/year/<int:year>.ics", views_year.year_ics, name="year_ics"),
    path("weeks/<slug:slug>/", views_home.week_detail, name="week"),
    path("weeks/<slug:slug>/calendar.ics", views.week_ics, name="week_ics"),
    path("weeks/<slug:slug>/poster/", views.poster, name="poster"),
    path("weeks/<slug:slug>/changes/", views.changes, name="changes"),
    path("weeks/<slug:slug>/activities/<int:pk>/", views_home.activity_detail, name="activity"),
    path("weeks/<slug:slug>/activities/<int:pk>/calendar.ics", views.activity_ics, name="activity_ics"),
    path("weeks/<slug:slug>/activities/<int:pk>/qr.svg", views.activity_qr_svg, name="activity_qr_svg"),
    path("weeks/<slug:slug>/activities/<int:pk>/qr.png", views.activity_qr_png, name="activity_qr_png"),
]
