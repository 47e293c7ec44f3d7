from django.urls import path

from reporting import views

# Daily reports, dashboard, highlights, forwarding, exports.
urlpatterns: list = [
    path("pictures/<int:pk>/<str:variant>/", views.picture, name="picture"),
    path("<slug:slug>/my/", views.my_reports, name="my_reports"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/overview/", views.overview, name="overview"),
    path("<slug:slug>/export/grid.xlsx", views.export_grid, name="export_grid"),
    path("<slug:slug>/export/items.xlsx", views.export_items, name="export_items"),
    path("<slug:slug>/r/<str:code>/<str:day>/", views.report_detail, name="report_detail"),
    path("<slug:slug>/r/<str:code>/<str:day>/edit/", views.report_edit, name="report_edit"),
    path("<slug:slug>/r/<str:code>/<str:day>/v/<int:number>/", views.report_version, name="report_version"),
    path("<slug:slug>/r/<str:code>/<str:day>/comment/", views.report_comment, name="report_comment"),
    path("<slug:slug>/r/<str:code>/<str:day>/return/", views.report_return, name="report_return"),
    path("<slug:slug>/items/<int:item_pk>/highlight/", views.highlight_edit, name="highlight_edit"),
    path("<slug:slug>/highlights/", views.highlights, name="highlights"),
    path("<slug:slug>/highlights/<str:day>/forward/", views.forward, name="forward"),
    path("<slug:slug>/packages/<int:pk>/", views.package, name="package"),
]
