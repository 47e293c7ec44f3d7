"""The audit log's filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit import actions


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人"), max_length=150, required=False)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.TypedChoiceField(label=_("对象类型"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, kinds: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部"))] + [(code, label) for code, label in actions.CHOICES]
        self.fields["kind"].choices = [("", _("全部"))] + kinds

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> dict:
        """The cleaned filters as keyword arguments of access.entries_for_user (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "action": data["action"],
            "actor": data["actor"].strip(),
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "kind": data["kind"],
        }
