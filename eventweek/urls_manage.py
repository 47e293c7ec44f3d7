from django.urls import path

from eventweek import views_manage

# Management pages: /manage/..., login required. Names start with "manage_".
urlpatterns: list = [
    path("manage/weeks/", views_manage.week_list, name="manage_weeks"),
    path("manage/weeks/new/", views_manage.week_new, name="manage_week_new"),
    path("manage/weeks/<slug:slug>/", views_manage.week_detail, name="manage_week"),
    path("manage/weeks/<slug:slug>/edit/", views_manage.week_edit, name="manage_week_edit"),
    path("manage/weeks/<slug:slug>/publish/", views_manage.week_publish, name="manage_week_publish"),
    path("manage/weeks/<slug:slug>/activities/new/", views_manage.activity_new, name="manage_activity_new"),
    path("manage/weeks/<slug:slug>/activities/<int:pk>/edit/", views_manage.activity_edit, name="manage_activity_edit"),
    path(
        "manage/weeks/<slug:slug>/activities/<int:pk>/cancel/",
        views_manage.activity_cancel,
        name="manage_activity_cancel",
    ),
    path(
        "manage/weeks/<slug:slug>/activities/<int:pk>/restore/",
        views_manage.activity_restore,
        name="manage_activity_restore",
    ),
]
