"""Forms of user and org management (/manage/people/, /manage/orgs/) and of one's own password."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from eventweek.forms import OrgChoiceField
from eventweek.models import Org, User
from eventweek.phones import normalize_phone
from eventweek.text import CleanTextMixin

ORG_NOT_MANAGED = _("请选择您管理的单位（本单位或下级单位）。")
USERNAME_VALIDATOR = RegexValidator(r"^[\w.@+-]+\Z", _("用户名只能包含字母、数字和 @ . + - _。"))


class PersonForm(CleanTextMixin, forms.Form):
    """A new user: the admin picks one of the orgs they manage."""

    username = forms.CharField(label=_("用户名"), max_length=150, validators=[USERNAME_VALIDATOR])
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    org = OrgChoiceField(
        label=_("所属单位"), queryset=Org.objects.none(), error_messages={"invalid_choice": ORG_NOT_MANAGED}
    )
    role = forms.ChoiceField(label=_("角色"), choices=User.Role.choices, initial=User.Role.REPORTER)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone:
            return ""
        try:
            return normalize_phone(phone)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class RoleForm(CleanTextMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=User.Role.choices)


class ResetForm(CleanTextMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("重置方式"),
        choices=[("link", _("一次性链接")), ("temporary", _("临时密码"))],
        widget=forms.RadioSelect,
        initial="link",
    )


class ImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("用户名单（.xlsx）"), help_text=_("请下载模板填写，第 1 行为表头"))


class OrgTitlesImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("示范单位名单（.xlsx）"), help_text=_("请下载模板填写，第 1 行为表头"))


class OrgForm(CleanTextMixin, forms.ModelForm):
    """An org's details an admin edits: names, contacts, headcount, title."""

    class Meta:
        model = Org
        fields = ["name", "short_name", "email", "phone", "headcount", "category", "sort_order"]


class ChildOrgForm(CleanTextMixin, forms.ModelForm):
    """A new org under a managed one."""

    code = forms.CharField(
        label=_("代码"),
        max_length=20,
        validators=[RegexValidator(r"^[0-9A-Za-z]+\Z", _("单位代码只能包含字母和数字。"))],
        help_text=_("行政区划代码或统一社会信用代码，创建后不能修改"),
    )

    class Meta:
        model = Org
        fields = ["code", "name", "short_name", "level", "email", "phone", "headcount", "category"]


class MoveOrgForm(CleanTextMixin, forms.Form):
    parent = OrgChoiceField(
        label=_("新的上级单位"), queryset=Org.objects.none(), error_messages={"invalid_choice": ORG_NOT_MANAGED}
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = orgs


class SetPasswordForm(CleanTextMixin, auth_forms.SetPasswordForm):
    """A new password through a reset link (validated by AUTH_PASSWORD_VALIDATORS, in Chinese)."""


class PasswordChangeForm(CleanTextMixin, auth_forms.PasswordChangeForm):
    """One's own new password, the current (or temporary) one first."""
