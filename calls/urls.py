from django.urls import path

from calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_new, name="new"),
    path("entries/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/review/", views.entry_review, name="entry_review"),
    path("entries/<int:pk>/docx/", views.entry_download, name="entry_docx"),
    path("entries/<int:pk>/certificate/", views.certificate_download, name="certificate"),
    path("entries/<int:pk>/certificate/pdf/", views.certificate_pdf_start, name="certificate_pdf_start"),
    path("entries/<int:pk>/certificate/pdf/<int:job>/", views.certificate_pdf, name="certificate_pdf"),
    path("essay/<str:reference>/", views.outsider_edit, name="outsider_edit"),
    path("<slug:slug>/", views.public_call, name="public"),
    path("<slug:slug>/qr.svg", views.call_qr, name="qr"),
    path("<slug:slug>/essay/", views.outsider_start, name="outsider_start"),
    path("<slug:slug>/status/", views.status, name="status"),
    path("<slug:slug>/manage/", views.call_detail, name="detail"),
    path("<slug:slug>/edit/", views.call_edit, name="edit"),
    path("<slug:slug>/publish/", views.call_publish, name="publish"),
    path("<slug:slug>/new/<str:kind>/", views.entry_new, name="entry_new"),
    path("<slug:slug>/board/", views.board, name="board"),
    path("<slug:slug>/review/", views.review_list, name="review_list"),
    path("<slug:slug>/forward/", views.forward, name="forward"),
    path("<slug:slug>/collection/<str:kind>/", views.collection_download, name="collection"),
    path("<slug:slug>/entries.xlsx", views.entries_xlsx, name="xlsx"),
]
