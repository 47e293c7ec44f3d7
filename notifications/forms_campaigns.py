"""Forms of the public-interest SMS campaign pages: the campaign (message and recipients), its schedule, an admin's
opt-out entry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eventweek.models import Org
from eventweek.text import Form

SOURCE_XLSX = "xlsx"
SOURCE_CONTACTS = "contacts"


class CampaignForm(Form):
    """Name, message, and the recipients: a staff list (.xlsx: 姓名, 手机, 单位) or the contacts of an org subtree."""

    name = forms.CharField(label=_("名称"), max_length=100)
    message = forms.CharField(
        label=_("短信内容"),
        widget=forms.Textarea(attrs={"rows": 5, "data-sms-message": ""}),
        help_text=_("不含签名；发送时自动加上短信签名【…】。70 字以内为 1 条，超过按每条 67 字计。"),
    )
    source = forms.ChoiceField(
        label=_("接收人"),
        choices=[(SOURCE_XLSX, _("导入人员名单（.xlsx）")), (SOURCE_CONTACTS, _("所选单位及下级单位的联系人"))],
        widget=forms.RadioSelect,
        initial=SOURCE_XLSX,
    )
    file = forms.FileField(
        label=_("人员名单"), required=False, help_text=_(".xlsx，首行为列名：姓名、手机、单位（单位填名称或代码）")
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Org.objects.none(), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["unit"].queryset = orgs

    def clean_message(self):
        # A browser posts a textarea's line breaks as \r\n; the page counted them as one character each.
        return self.cleaned_data["message"].replace("\r\n", "\n").strip()

    def clean(self):
        data = super().clean()
        if data.get("source") == SOURCE_XLSX and not data.get("file"):
            self.add_error("file", _("请选择人员名单文件。"))
        if data.get("source") == SOURCE_CONTACTS and not data.get("unit"):
            self.add_error("unit", _("请选择单位。"))
        return data


class ScheduleForm(Form):
    at = forms.DateTimeField(
        label=_("定时发送时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


class OptOutForm(Form):
    mobile = forms.CharField(label=_("手机号"), max_length=30)
