from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("ping/", views.ping, name="ping"),
    # Public: no account. The attempt is identified by its unguessable token, never the phone. First, so the
    # busiest requests (submit, autosave) are resolved without trying the management patterns.
    path("a/<str:token>/submit/", views.submit, name="submit"),
    path("a/<str:token>/save/", views.save, name="save"),
    path("a/<str:token>/", views.paper, name="paper"),
    path("a/<str:token>/result/", views.result, name="result"),
    path("a/<str:token>/card.png", views.share_card, name="share_card"),
    # Management: login, org-tree permissions.
    path("manage/", views.manage_index, name="manage_index"),
    path("manage/week/<slug:slug>/", views.manage_week, name="manage_week"),
    path("manage/<int:pk>/", views.manage_quiz, name="manage_quiz"),
    path("manage/<int:pk>/settings/", views.manage_settings, name="manage_settings"),
    path("manage/<int:pk>/bank/", views.manage_bank, name="manage_bank"),
    path("manage/<int:pk>/bank/template.xlsx", views.bank_template, name="bank_template"),
    path("manage/<int:pk>/bank/export.xlsx", views.bank_export, name="bank_export"),
    path("manage/<int:pk>/leaderboard/", views.manage_leaderboard, name="manage_leaderboard"),
    path("manage/<int:pk>/participation/", views.manage_participation, name="manage_participation"),
    path("manage/<int:pk>/questions/", views.manage_questions, name="manage_questions"),
    path("manage/<int:pk>/draw/", views.manage_draw, name="manage_draw"),
    path("manage/<int:pk>/draw/<int:draw_id>/", views.manage_draw_detail, name="manage_draw_detail"),
    path("manage/<int:pk>/exports/", views.manage_exports, name="manage_exports"),
    path("manage/<int:pk>/exports/<int:job_id>/", views.manage_export, name="manage_export"),
    path("manage/<int:pk>/exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("<slug:slug>/resume/", views.by_code, {"purpose": "resume"}, name="resume"),
    path("<slug:slug>/lookup/", views.by_code, {"purpose": "result"}, name="lookup"),
    path("<slug:slug>/", views.entry, name="entry"),
]
