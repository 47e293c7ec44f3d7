from django.urls import path  # noqa: F401

# Public pages: /weeks/<slug>/..., no login.
urlpatterns: list = []
