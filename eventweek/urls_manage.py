from django.urls import path  # noqa: F401

# Management pages: /manage/..., login required. Names start with "manage_".
urlpatterns: list = []
