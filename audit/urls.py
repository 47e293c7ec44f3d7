from django.urls import path

from audit import views

app_name = "audit"

# Read only: no URL edits or deletes an entry (the log only grows).
urlpatterns = [
    path("", views.log, name="log"),
]
