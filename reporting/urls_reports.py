from django.urls import path  # noqa: F401

# Daily reports, dashboard, highlights, forwarding, exports.
urlpatterns: list = []
