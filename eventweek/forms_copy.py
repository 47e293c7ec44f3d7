"""The form of copying a campaign from last year: how far the dates move, the copy's web address."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eventweek.services.copying import offset_for
from eventweek.text import Form

MODES = [
    ("weekday", _("明年同一星期几（默认）")),
    ("date", _("明年同一日期")),
    ("days", _("指定天数")),
]


class CopyCampaignForm(Form):
    """Offset (same weekday next year, same date, or n days) and an optional new slug."""

    mode = forms.ChoiceField(label=_("日期偏移方式"), choices=MODES, initial="weekday", widget=forms.RadioSelect)
    days = forms.IntegerField(label=_("偏移天数"), required=False, min_value=-36500, max_value=36500)
    slug = forms.SlugField(label=_("新网址标识"), required=False, max_length=60, help_text=_("留空则按年份自动生成"))

    def __init__(self, *args, week, **kwargs):
        super().__init__(*args, **kwargs)
        self.week = week

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if "days" in self.errors:
            return data
        if mode == "days" and data.get("days") is None:
            self.add_error("days", _("选择“指定天数”时请填写偏移天数。"))
            return data
        try:
            data["offset"] = offset_for(
                self.week, days=data.get("days") if mode == "days" else None, same_date=mode == "date"
            )
        except ValidationError as error:
            self.add_error("mode", error.message_dict.get("offset", error.messages))
        return data
