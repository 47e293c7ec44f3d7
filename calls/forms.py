"""The call's settings, the entry editors (case, essay), a picture, a score, the outsider's status look-up."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from calls.models import CASE_SECTIONS, Call, Entry
from eventweek.forms import LocalDateTimeField
from eventweek.phones import normalize_phone
from eventweek.text import CleanTextMixin

TEXTAREA = forms.Textarea(attrs={"rows": 6})


class CallForm(CleanTextMixin, forms.ModelForm):
    """A call's settings (themes and criteria keep the seed's defaults unless edited as JSON)."""

    deadline = LocalDateTimeField(label=_("截止时间"), help_text=_("北京时间，例如 2023-04-30 17:00"))

    class Meta:
        model = Call
        fields = [
            "slug",
            "title",
            "intro",
            "accepts_cases",
            "accepts_essays",
            "essay_topics",
            "body_limit",
            "abstract_limit",
            "demo_cases",
            "demo_essays",
            "direct_essays",
            "county_cases",
            "county_essays",
            "deadline",
        ]


class EntryForm(CleanTextMixin, forms.Form):
    """The editor: the template's fields in its order, the version it was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200)
    unit_name = forms.CharField(label=_("单位名称"), max_length=200, required=False)
    theme = forms.CharField(label=_("主题"), max_length=50, required=False)
    direction = forms.CharField(label=_("方向"), max_length=50, required=False)
    abstract = forms.CharField(label=_("摘要"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    keywords = forms.CharField(label=_("关键词"), max_length=200, required=False, help_text=_("标明公共机构类型"))

    def __init__(self, *args, entry: Entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        if entry.kind == Entry.Kind.CASE:
            themes = entry.call.themes
            self.fields["theme"] = forms.ChoiceField(
                label=_("主题"), required=False, choices=[("", _("请选择"))] + [(t["name"], t["name"]) for t in themes]
            )
            # Directions grouped by their theme; the service refuses a direction of another theme.
            self.fields["direction"] = forms.ChoiceField(
                label=_("方向"),
                required=False,
                choices=[("", _("请选择"))] + [(t["name"], [(d, d) for d in t["directions"]]) for t in themes],
            )
            for field, label in CASE_SECTIONS:
                self.fields[field] = forms.CharField(label=label, widget=TEXTAREA, required=False)
        else:
            for name in ("theme", "direction", "abstract", "keywords"):
                del self.fields[name]
            self.fields["body"] = forms.CharField(label=_("正文"), widget=TEXTAREA, required=False)
            for number in range(1, 4):
                for key, label in (("name", _("姓名")), ("unit", _("所在单位")), ("contact", _("联系方式"))):
                    self.fields[f"author{number}_{key}"] = forms.CharField(
                        label=_("作者 %(n)s %(label)s") % {"n": number, "label": label}, max_length=100, required=False
                    )
        for picture in entry.pictures.all():
            self.fields[f"caption_{picture.pk}"] = forms.CharField(
                label=_("图片说明"), max_length=200, required=False, initial=picture.caption
            )
        self.fields["picture"] = forms.FileField(label=_("添加图片"), required=False)
        self.fields["picture_caption"] = forms.CharField(label=_("新图片说明"), max_length=200, required=False)

    def data_for_service(self) -> dict:
        """The cleaned values as save_entry takes them."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "picture", "picture_caption")}
        captions = {}
        authors = []
        for key in list(data):
            if key.startswith("caption_"):
                captions[int(key.removeprefix("caption_"))] = data.pop(key)
        if self.entry.kind == Entry.Kind.ESSAY:
            for number in range(1, 4):
                authors.append({k: data.pop(f"author{number}_{k}") for k in ("name", "unit", "contact")})
            data["authors"] = authors
        data["captions"] = captions
        return data

    @staticmethod
    def initial_for(entry: Entry) -> dict:
        initial = {"version": entry.version}
        for field in ("title", "unit_name", "theme", "direction", "abstract", "keywords", "body"):
            initial[field] = getattr(entry, field)
        for field, _label in CASE_SECTIONS:
            initial[field] = getattr(entry, field)
        for number, author in enumerate(entry.authors[:3], start=1):
            for key in ("name", "unit", "contact"):
                initial[f"author{number}_{key}"] = author.get(key, "")
        return initial


class OutsiderStartForm(CleanTextMixin, forms.Form):
    """An outside individual starts an essay with a mobile number."""

    phone = forms.CharField(label=_("手机号"), max_length=30)

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except ValueError as error:
            raise ValidationError(str(error)) from None


class StatusForm(OutsiderStartForm):
    """An outsider looks up their entry by phone and reference code."""

    reference = forms.CharField(label=_("查询码"), max_length=12)


class ScoreForm(CleanTextMixin, forms.Form):
    """A reviewer's scores on the call's criteria, the comment and the org's decision."""

    comment = forms.CharField(label=_("评语"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    shortlisted = forms.BooleanField(label=_("入围"), required=False)
    selected = forms.BooleanField(label=_("入选"), required=False)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = call.criteria
        for number, criterion in enumerate(call.criteria):
            self.fields[f"c{number}"] = forms.IntegerField(
                label=f"{criterion['name']}（{criterion['max']}）", min_value=0, max_value=int(criterion["max"])
            )

    def points(self) -> dict:
        return {c["name"]: self.cleaned_data[f"c{n}"] for n, c in enumerate(self.criteria)}
