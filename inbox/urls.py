from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.entry, name="entry"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/download.docx", views.download_docx, name="docx"),
    path("<int:pk>/download.xlsx", views.download_xlsx, name="xlsx"),
    path("<int:pk>/pictures/<int:picture_pk>/<str:variant>/", views.entry_picture, name="picture"),
    path("summaries/<slug:slug>.zip", views.summaries_zip, name="summaries_zip"),
]
