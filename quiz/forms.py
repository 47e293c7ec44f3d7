"""Forms of the quiz: the participant's sign-up, quiz settings, the bank import, the draw, exports."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from eventweek.campaigns import default_quiz_categories
from eventweek.forms import SLUG_TAKEN_BY_URL
from eventweek.models import Activity
from eventweek.text import CleanTextMixin
from quiz.models import ExportJob, Quiz
from quiz.services import attempts, public, setup

# First path segments of /quiz/ URLs that stand where a quiz's slug stands (/quiz/manage/…): a quiz with one of these
# slugs would be shadowed by them. tests/eventweek/test_reserved_slugs.py keeps the list in step with the URLs.
RESERVED_QUIZ_SLUGS = frozenset({"a", "manage", "ping"})


class UnitSelect(forms.Widget):
    """A plain <select> whose <option>s come prebuilt (quiz.services.public.participant_units), with the posted one selected."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.options = ""

    def render(self, name, value, attrs=None, renderer=None):
        options = self.options
        if value:
            chosen = format_html('<option value="{}">', value)
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        prompt = format_html('<option value="">{}</option>', _("请选择所在单位"))
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}{}</select>', name, attributes, prompt, mark_safe(options))


class UnitField(forms.Field):
    """A unit of the quiz's organizer subtree; cleans to the Org (the form sets units and the widget's options)."""

    widget = UnitSelect
    default_error_messages = {"invalid_choice": _("所选单位不存在或不在本次竞答范围内，请重新选择。")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.units = public.Units({})

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        unit = self.units.get(str(value))
        if unit is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return unit


class StartForm(CleanTextMixin, forms.Form):
    """Name, phone and unit: all a participant gives (no account)."""

    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": "11 位手机号"}),
        help_text=_("每个手机号限答一次，仅用于核对身份和发放奖品。"),
    )
    org = UnitField(label=_("单位"))

    def __init__(self, *args, quiz: Quiz, **kwargs):
        super().__init__(*args, **kwargs)
        # The units are held per process (quiz.services.public.participant_units); quiz.js adds search on top of the <select>.
        options, units = public.participant_units(quiz)
        self.fields["org"].widget.options = options
        self.fields["org"].units = units

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("请填写真实姓名（至少 2 个字）。"))
        return name

    def clean_phone(self):
        try:
            return attempts.normalize_phone(self.cleaned_data["phone"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class QuizForm(CleanTextMixin, forms.ModelForm):
    paper_spec_text = forms.CharField(
        label=_("按分类抽题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "节能:4\n节水:3\n垃圾分类:4"}),
        help_text=_("每行一个“分类:题数”；留空则按“每卷题数”从全部启用题目中随机抽取。"),
    )

    class Meta:
        model = Quiz
        fields = [
            "title",
            "slug",
            "intro",
            "activity",
            "opens_at",
            "closes_at",
            "question_count",
            "points_per_question",
            "time_limit_seconds",
            "attempts_per_person",
            "shuffle_questions",
            "shuffle_options",
            "show_answers",
            "prize_min_score",
            "prize_count",
            "prize_note",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "intro": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, week, **kwargs):
        super().__init__(*args, **kwargs)
        # The example categories follow the campaign's kind (节水常识 for a water-saving week, not 节能).
        suggested = default_quiz_categories(week)
        self.fields["paper_spec_text"].widget.attrs["placeholder"] = "\n".join(f"{c}:4" for c in suggested)
        week_ids = [w.pk for w in week.ancestry()]
        self.fields["activity"].queryset = Activity.objects.filter(week_id__in=week_ids, kind=Activity.Kind.QUIZ)
        self.fields["activity"].empty_label = _("不关联（使用下方的开始、结束时间）")
        self.fields["paper_spec_text"].initial = setup.format_paper_spec(self.instance.paper_spec or {})
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_QUIZ_SLUGS:
            raise forms.ValidationError(SLUG_TAKEN_BY_URL % {"slug": slug})
        return slug

    def clean_paper_spec_text(self):
        try:
            return setup.parse_paper_spec(self.cleaned_data.get("paper_spec_text", ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_time_limit_seconds(self):
        value = self.cleaned_data["time_limit_seconds"]
        if value < 30:
            raise forms.ValidationError(_("答题时限至少 30 秒。"))
        return value

    def clean_attempts_per_person(self):
        value = self.cleaned_data["attempts_per_person"]
        if value < 1:
            raise forms.ValidationError(_("每人至少可答 1 次。"))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("activity"):
            opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
            if not opens and "opens_at" not in self.errors:
                self.add_error("opens_at", _("未关联竞答活动时必须填写开始时间。"))
            if not closes and "closes_at" not in self.errors:
                self.add_error("closes_at", _("未关联竞答活动时必须填写结束时间。"))
            if opens and closes and closes <= opens:
                self.add_error("closes_at", _("结束时间必须晚于开始时间。"))
        # Settings the bank cannot satisfy are refused here, where the organizer sees the counts, instead of every
        # participant's start failing.
        if "paper_spec_text" in cleaned and "question_count" not in self.errors:
            spec, count = cleaned["paper_spec_text"], cleaned.get("question_count")
            for field, message in setup.paper_shortfalls(self.instance, spec, count):
                self.add_error(field, message)
        return cleaned

    def save(self, commit=True):
        self.instance.paper_spec = self.cleaned_data["paper_spec_text"]
        return super().save(commit=commit)


class ImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("题库文件（.xlsx）"), help_text=_("请先下载模板，按模板填写。任一行有误则整个文件不导入。")
    )


class DrawForm(CleanTextMixin, forms.Form):
    prize_count = forms.IntegerField(label=_("中奖人数"), min_value=1, max_value=10000)
    seed = forms.CharField(
        label=_("随机种子"),
        max_length=100,
        required=False,
        help_text=_(
            "可填写公开的数字（如当日某彩票开奖号码）；留空则由系统随机生成。种子和资格名单都会记录，任何人可复核。"
        ),
    )


class ExportForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("导出内容"), choices=ExportJob.Kind.choices)


class CodeForm(CleanTextMixin, forms.Form):
    """The phone, then the code the SMS brought: how a participant opens an attempt on another device."""

    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": "11 位手机号"}),
    )
    code = forms.CharField(
        label=_("验证码"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}),
    )
