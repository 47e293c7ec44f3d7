from django.urls import path

from reporting.summary import views

# Week summaries: editor, docx, submission. Names start with "summary_".
urlpatterns: list = [
    path("summary/", views.summary_index, name="summary_index"),
    path("summary/<slug:slug>/board/", views.summary_board, name="summary_board"),
    path("summary/<slug:slug>/<str:code>/", views.summary_edit, name="summary_edit"),
    path("summary/<slug:slug>/<str:code>/summary.docx", views.summary_docx, name="summary_docx"),
    path("summary/<slug:slug>/<str:code>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("summary/<slug:slug>/<str:code>/pdf/<int:job_id>/", views.summary_pdf_job, name="summary_pdf_job"),
    path(
        "summary/<slug:slug>/<str:code>/pdf/<int:job_id>/download/",
        views.summary_pdf_download,
        name="summary_pdf_download",
    ),
    path("summary/<slug:slug>/<str:code>/pictures/<int:pk>/", views.summary_picture, name="summary_picture"),
    path("summary/<slug:slug>/<str:code>/versions/", views.summary_versions, name="summary_versions"),
    path("summary/<slug:slug>/<str:code>/versions/<int:number>/", views.summary_version, name="summary_version"),
    path(
        "summary/<slug:slug>/<str:code>/versions/<int:number>/restore/",
        views.summary_restore,
        name="summary_restore",
    ),
    path(
        "summary/<slug:slug>/<str:code>/submissions/<int:pk>/resend/",
        views.summary_resend,
        name="summary_resend",
    ),
]
