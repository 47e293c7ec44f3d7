from django.urls import path

from eventweek import views_copy, views_manage, views_people

# Management pages: /manage/..., login required. Names start with "manage_".
urlpatterns: list = [
    path("manage/weeks/", views_manage.week_list, name="manage_weeks"),
    path("manage/weeks/new/", views_manage.week_new, name="manage_week_new"),
    path("manage/weeks/<slug:slug>/", views_manage.week_detail, name="manage_week"),
    path("manage/weeks/<slug:slug>/edit/", views_manage.week_edit, name="manage_week_edit"),
    path("manage/weeks/<slug:slug>/publish/", views_manage.week_publish, name="manage_week_publish"),
    path("manage/weeks/<slug:slug>/copy/", views_copy.week_copy, name="manage_week_copy"),
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
    # Users and orgs of an admin's subtree (views_people), and one's own password.
    path("manage/people/", views_people.people_list, name="manage_people"),
    path("manage/people/new/", views_people.person_new, name="manage_person_new"),
    path("manage/people/import/", views_people.people_import_page, name="manage_people_import"),
    path("manage/people/import/template.xlsx", views_people.people_import_template, name="manage_people_template"),
    path("manage/people/password/", views_people.password_change, name="manage_password_change"),
    path(
        "manage/people/reset/<str:uidb64>/<str:token>/",
        views_people.password_reset_confirm,
        name="manage_password_reset_confirm",
    ),
    path("manage/people/<int:pk>/", views_people.person_detail, name="manage_person"),
    path("manage/people/<int:pk>/role/", views_people.person_role, name="manage_person_role"),
    path("manage/people/<int:pk>/deactivate/", views_people.person_deactivate, name="manage_person_deactivate"),
    path("manage/people/<int:pk>/reset/", views_people.person_reset, name="manage_person_reset"),
    path("manage/orgs/", views_people.org_list, name="manage_orgs"),
    path("manage/orgs/titles/import/", views_people.org_titles_import_page, name="manage_org_titles_import"),
    path("manage/orgs/titles/template.xlsx", views_people.org_titles_template, name="manage_org_titles_template"),
    path("manage/orgs/<str:code>/", views_people.org_edit, name="manage_org"),
    path("manage/orgs/<str:code>/new/", views_people.org_new_child, name="manage_org_new_child"),
    path("manage/orgs/<str:code>/move/", views_people.org_move, name="manage_org_move"),
]
