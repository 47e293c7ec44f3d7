from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("channels/", views.channel_list, name="channels"),
    path("channels/new/", views.channel_new, name="channel_new"),
    path("channels/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/toggle/", views.channel_toggle, name="channel_toggle"),
    path("channels/<int:pk>/test/", views.channel_test, name="channel_test"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("log/", views.delivery_log, name="log"),
]
