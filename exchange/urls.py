from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/registrations/<int:reg_pk>/", views.registration_detail, name="registration"),
    path("<int:pk>/registrations/<int:reg_pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/registrations/<int:reg_pk>/return/", views.return_view, name="return"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/records/<int:record_pk>/", views.record_detail, name="record_detail"),
    path("<int:pk>/pictures/<int:picture_pk>/<str:variant>/", views.picture, name="picture"),
    path("<int:pk>/tally.xlsx", views.export_tally, name="export"),
]
