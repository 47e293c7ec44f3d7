from django.urls import path

from notifications import views, views_campaigns

app_name = "notifications"

urlpatterns = [
    path("channels/", views.channel_list, name="channels"),
    path("channels/new/", views.channel_new, name="channel_new"),
    path("channels/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/toggle/", views.channel_toggle, name="channel_toggle"),
    path("channels/<int:pk>/test/", views.channel_test, name="channel_test"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("log/", views.delivery_log, name="log"),
    path("campaigns/", views_campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", views_campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/progress/", views_campaigns.campaign_progress, name="campaign_progress"),
    path("campaigns/<int:pk>/<str:action>/", views_campaigns.campaign_action, name="campaign_action"),
    path("opt-outs/", views_campaigns.opt_out_list, name="opt_outs"),
    path("sms/replies/", views_campaigns.sms_replies, name="sms_replies"),
]
