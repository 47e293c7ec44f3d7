"""Inbox forms: the list's filters and the comment back to the sender."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inbox.models import InboxEntry
from inbox.services.handling import COMMENT_MAX, InboxFilter


class FilterForm(forms.Form):
    sender = forms.ChoiceField(label=_("报送单位"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *InboxEntry.Kind.choices])
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *InboxEntry.Status.choices],
    )
    since = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, senders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].choices = [("", _("全部")), *[(o.code, o.name) for o in senders]]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("结束日期不能早于开始日期。"))
        return data

    def to_filter(self) -> InboxFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return InboxFilter(
            sender=data.get("sender") or "",
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("回复意见"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )
