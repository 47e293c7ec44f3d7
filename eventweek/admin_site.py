"""The Django admin, kept to active superusers: its model classes are not scoped to the user's org subtree."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from eventweek.text import CleanTextMixin


class SuperuserAuthenticationForm(CleanTextMixin, AdminAuthenticationForm):
    """The admin's login form: an org admin (is_staff, not superuser) is told to use the workbench instead."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "not_superuser": _("管理后台只对超级管理员开放。单位管理员请在工作台中管理本单位的活动周和用户。"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise forms.ValidationError(self.error_messages["not_superuser"], code="not_superuser")


class SuperuserAdminSite(admin.AdminSite):
    """Only an active superuser gets any admin page; every model permission of a staff user is ignored here."""

    site_header = _("公共机构宣传活动管理后台")
    site_title = _("公共机构宣传活动")
    index_title = _("数据管理")
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
