"""Management forms: weeks, their special days, and activities. Times are typed as Asia/Shanghai wall-clock."""

import datetime
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventweek.campaigns import CampaignKind
from eventweek.models import LOCAL_TZ, Activity, Org, Week
from eventweek.text import CleanTextMixin

DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def _impossible_date_message(value: str) -> str | None:
    """A precise message for a well-formed but impossible date such as 2123-04-31 (April has 30 days)."""
    match = DATE_RE.match(value or "")
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return str(_("“%(value)s”不是有效日期：月份应在 1 到 12 之间。") % {"value": value.strip()})
    try:
        datetime.date(year, month, day)
    except ValueError:
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        days = (next_month - datetime.timedelta(days=1)).day
        return str(
            _("“%(value)s”不是有效日期：%(year)s年%(month)s月只有%(days)s天。")
            % {"value": value.strip(), "year": year, "month": month, "days": days}
        )
    return None


class LocalDateField(forms.DateField):
    """A date typed as YYYY-MM-DD (<input type=date>), with a precise message for impossible dates."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"invalid": _("请输入有效的日期，格式为 年-月-日，例如 2020-07-02。")}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            message = _impossible_date_message(value if isinstance(value, str) else "")
            if message:
                raise ValidationError(message, code="invalid") from None
            raise


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in Asia/Shanghai typed into <input type=datetime-local>, whatever the active time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": _("请输入有效的日期和时间，例如 2020-06-29 09:00。")}

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, LOCAL_TZ).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            text = value.strip().replace(" ", "T")
            try:
                parsed = datetime.datetime.fromisoformat(text)
            except ValueError:
                message = _impossible_date_message(value)
                raise ValidationError(message or self.error_messages["invalid"], code="invalid") from None
            if timezone.is_aware(parsed):
                return parsed
            return parsed.replace(tzinfo=LOCAL_TZ)
        return super().to_python(value)


class LoginForm(CleanTextMixin, AuthenticationForm):
    """The login form: the user name is cleaned like every other text field; the password is left as typed."""


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Org) -> str:
        return obj.name


class OrgMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Org) -> str:
        return obj.name


ORG_NOT_VISIBLE = _("请选择本单位或下级单位；您无权使用所选单位。")


# First path segments of /reporting/ URLs that stand where a week's slug stands (/reporting/summary/…): a week with one
# of these slugs would be shadowed by them. tests/eventweek/test_reserved_slugs.py keeps the list in step with the URLs.
RESERVED_WEEK_SLUGS = frozenset({"pictures", "summary"})
SLUG_TAKEN_BY_URL = _("“%(slug)s”已被系统网址占用，请换一个网址标识。")


class WeekForm(CleanTextMixin, forms.ModelForm):
    """A week's programme settings. The user can only pick orgs of their own subtree."""

    start_date = LocalDateField(label=_("开始日期"))
    end_date = LocalDateField(label=_("结束日期"))
    publish_at = LocalDateTimeField(label=_("发布时间"), help_text=_("北京时间；到时自动公开日程，须早于活动周开始"))
    summary_due_at = LocalDateTimeField(label=_("下级总结截止时间"), required=False, help_text=_("北京时间"))
    daily_cutoff = forms.TimeField(
        label=_("每日报送截止时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    daily_reminder_time = forms.TimeField(
        label=_("每日报送提醒时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or CampaignKind.ENERGY

    class Meta:
        model = Week
        fields = [
            "slug",
            "title",
            "kind",
            "name",
            "edition",
            "theme",
            "start_date",
            "end_date",
            "organizer",
            "parent",
            "description",
            "publish_at",
            "reminder_minutes",
            "report_orgs",
            "daily_cutoff",
            "daily_reminder_time",
            "summary_due_at",
            "summary_char_limit",
            "summary_mailbox",
            "department_summary_mailbox",
        ]
        field_classes = {"organizer": OrgChoiceField, "report_orgs": OrgMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "report_orgs": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "organizer": {"invalid_choice": ORG_NOT_VISIBLE},
            "report_orgs": {"invalid_choice": ORG_NOT_VISIBLE, "invalid_pk_value": ORG_NOT_VISIBLE},
            "parent": {"invalid_choice": _("请选择本单位、上级或下级单位主办的活动周。")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # An older form post without a kind keeps the default (节能宣传周).
        self.fields["kind"].required = False
        visible = user.visible_orgs().order_by("path")
        self.fields["organizer"].queryset = visible
        self.fields["report_orgs"].queryset = visible
        self.fields["report_orgs"].required = False
        parents = Week.objects.select_related("organizer").order_by("-start_date", "slug")
        if not user.is_superuser:
            upward = user.org.ancestors(include_self=True) if user.org_id else Org.objects.none()
            downward = user.visible_orgs()
            parents = parents.filter(Q(organizer__in=upward) | Q(organizer__in=downward))
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            # The slug is in subscribed feed URLs and printed QR codes: it never changes once created.
            self.fields["slug"].disabled = True
        self.fields["parent"].queryset = parents
        self.fields["slug"].help_text = _("用于网址，如 2020-jiangsu；只能包含字母、数字、连字符，创建后不能修改")
        if not self.instance.pk and user.org_id:
            self.fields["organizer"].initial = user.org_id

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_WEEK_SLUGS:
            raise ValidationError(SLUG_TAKEN_BY_URL % {"slug": slug})
        return slug

    def clean(self):
        cleaned = super().clean()
        organizer, parent = cleaned.get("organizer"), cleaned.get("parent")
        if organizer and parent and not organizer.is_within(parent.organizer):
            self.add_error("parent", _("上级活动周须由主办单位的上级单位主办。"))
        if organizer:
            outside = [org.name for org in cleaned.get("report_orgs") or [] if not org.is_within(organizer)]
            if outside:
                self.add_error(
                    "report_orgs",
                    _("每日报送单位必须是主办单位或其下级单位：%(orgs)s。") % {"orgs": "、".join(outside)},
                )
        return cleaned


class SpecialDayForm(CleanTextMixin, forms.Form):
    date = LocalDateField(label=_("日期"))
    name = forms.CharField(label=_("名称"), max_length=100)
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)


class BaseSpecialDayFormSet(forms.BaseFormSet):
    """Special days of a week; each must fall inside the week typed in the week form."""

    def __init__(self, *args, week_range=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.week_range = week_range

    def clean(self):
        if any(self.errors) or not self.week_range:
            return
        start, end = self.week_range
        for form in self._kept_forms():
            day = form.cleaned_data.get("date")
            if day and not start <= day <= end:
                form.add_error(
                    "date", _("主题日必须在活动周（%(start)s 至 %(end)s）之内。") % {"start": start, "end": end}
                )
                raise ValidationError(_("主题日 %(day)s 不在活动周之内。") % {"day": day})

    def days(self) -> list[tuple[datetime.date, str, str]]:
        """The (date, name, theme) rows kept, ready for services.save_week."""
        rows = []
        for form in self._kept_forms():
            data = form.cleaned_data
            if data.get("date"):
                rows.append((data["date"], data["name"], data.get("theme", "")))
        return rows

    def _kept_forms(self):
        """Rows that stay: every existing day not marked for deletion (changed or not), and filled-in new rows."""
        for index, form in enumerate(self.forms):
            existing = index < self.initial_form_count()
            if (existing or form.has_changed()) and not self._should_delete_form(form):
                yield form


SpecialDayFormSet = forms.formset_factory(SpecialDayForm, formset=BaseSpecialDayFormSet, extra=2, can_delete=True)


def special_day_initial(week: Week) -> list[dict]:
    return [{"date": day.date, "name": day.name, "theme": day.theme} for day in week.special_days.all()]


class ActivityForm(CleanTextMixin, forms.ModelForm):
    """One activity. Timed activities take two datetime-local inputs; all-day ones take the first and last day."""

    start = LocalDateTimeField(label=_("开始时间"), required=False, help_text=_("北京时间"))
    end = LocalDateTimeField(label=_("结束时间"), required=False, help_text=_("北京时间"))
    start_date = LocalDateField(label=_("开始日期"), required=False, help_text=_("全天活动的第一天"))
    end_date = LocalDateField(label=_("结束日期"), required=False, help_text=_("全天活动的最后一天"))
    # A plain text input: the model's validator alone decides (http/https only), with its Chinese message.
    link = forms.CharField(
        label=_("链接"),
        required=False,
        max_length=500,
        widget=forms.URLInput,
        help_text=_("以 http:// 或 https:// 开头；有链接时二维码指向它"),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "all_day",
            "start",
            "end",
            "start_date",
            "end_date",
            "platform",
            "place",
            "link",
            "audience",
            "organizer",
            "description",
        ]
        field_classes = {"organizer": OrgChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "organizer": {"invalid_choice": _("请选择本活动周主办单位或其下级单位；您无权使用所选单位。")}
        }

    def __init__(self, *args, week: Week, **kwargs):
        super().__init__(*args, **kwargs)
        self.week = week
        self.instance.week = week
        self.fields["organizer"].queryset = week.organizer.descendants().order_by("path")
        self.fields["organizer"].required = False
        if not self.instance.pk:
            self.fields["organizer"].initial = week.organizer_id
        if self.instance.pk and self.instance.all_day:
            self.initial.setdefault("start_date", self.instance.first_day)
            self.initial.setdefault("end_date", self.instance.last_day)
            self.initial["start"] = None
            self.initial["end"] = None

    def _is_all_day(self) -> bool:
        return bool(self.cleaned_data.get("all_day")) if hasattr(self, "cleaned_data") else False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("all_day"):
            first, last = cleaned.get("start_date"), cleaned.get("end_date")
            if not first and "start_date" not in self.errors:
                self.add_error("start_date", _("全天活动请填写开始日期。"))
            if not last and "end_date" not in self.errors:
                self.add_error("end_date", _("全天活动请填写结束日期。"))
            if first and last and last < first:
                self.add_error("end_date", _("结束日期不能早于开始日期。"))
            elif first and last:
                # The model convention: 00:00 of the first day to 00:00 after the last day.
                cleaned["start"] = datetime.datetime.combine(first, datetime.time.min, tzinfo=LOCAL_TZ)
                cleaned["end"] = datetime.datetime.combine(
                    last + datetime.timedelta(days=1), datetime.time.min, tzinfo=LOCAL_TZ
                )
        else:
            for field, message in (("start", _("请填写开始时间。")), ("end", _("请填写结束时间。"))):
                if not cleaned.get(field) and field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def _update_errors(self, errors):
        # The model checks start/end; for an all-day activity the user typed dates, so name those fields instead.
        if self._is_all_day() and hasattr(errors, "error_dict"):
            renamed = {"start": "start_date", "end": "end_date"}
            messages = {}
            for field, errs in errors.error_dict.items():
                if field in renamed:
                    errs = [ValidationError(" ".join(e.messages).replace("时间", "日期")) for e in errs]
                messages[renamed.get(field, field)] = errs
            errors = ValidationError(messages)
        super()._update_errors(errors)


class CancelActivityForm(CleanTextMixin, forms.Form):
    """Why an activity is cancelled: required, shown on its page, the changelog and the feeds."""

    reason = forms.CharField(
        label=_("取消原因"),
        max_length=Activity._meta.get_field("cancel_reason").max_length,
        help_text=_("将显示在活动页、变更记录和订阅日历中。"),
        error_messages={"required": _("请填写取消原因。")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
