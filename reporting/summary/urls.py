from django.urls import path  # noqa: F401

# Week summaries: editor, docx, submission. Names start with "summary_".
urlpatterns: list = []
