"""django.contrib.admin's app config with the superusers-only site; apart from admin_site.py so that loading the app
registry imports no model."""

from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    """django.contrib.admin with eventweek.admin_site.SuperuserAdminSite as the default admin.site."""

    default_site = "eventweek.admin_site.SuperuserAdminSite"
