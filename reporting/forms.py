"""Forms of daily reporting: the report with its items and pictures, the highlight mark."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eventweek.text import CleanTextMixin, clean_line
from reporting.models import ItemKind, ReportItem
from reporting.pictures import check_picture, max_pictures
from reporting.services.submission import ItemInput

PICTURE_CAPTION = _("图片说明")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by reporting.pictures in the item form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []

    def has_changed(self, initial, data):
        return bool(data)


class ReportForm(CleanTextMixin, forms.Form):
    """The report's own fields plus the optimistic-lock version and the idempotency token."""

    narrative = forms.CharField(
        label=_("当日情况综述"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("今天开展活动的总体情况、亮点和特色")}),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    @staticmethod
    def initial_for(report, user) -> dict:
        if report is None:
            return {
                "version": 0,
                "token": uuid.uuid4(),
                "contact_name": user.get_full_name() or user.first_name,
                "contact_phone": user.phone or (user.org.phone if user.org_id else ""),
            }
        return {
            "narrative": report.narrative,
            "contact_name": report.contact_name,
            "contact_phone": report.contact_phone,
            "version": report.version,
            "token": uuid.uuid4(),
        }


class ItemForm(CleanTextMixin, forms.Form):
    """One activity with its pictures: new uploads (with one caption each), caption edits and removals."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("活动名称"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("活动类型"), choices=ItemKind.choices, initial=ItemKind.OTHER)
    mode = forms.ChoiceField(label=_("形式"), choices=ReportItem.Mode.choices, initial=ReportItem.Mode.OFFLINE)
    place = forms.CharField(label=_("地点 / 平台"), max_length=200, required=False)
    participants = forms.IntegerField(label=_("参与人数"), min_value=0, max_value=10_000_000, required=False)
    recycled_kg = forms.DecimalField(
        label=_("回收量（千克）"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    description = forms.CharField(label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pictures = MultipleFileField(label=_("添加图片"), required=False)

    def __init__(self, *args, existing_pictures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_pictures = list(existing_pictures or [])
        self.fields["participants"].widget.attrs["inputmode"] = "numeric"
        self.fields["recycled_kg"].widget.attrs["inputmode"] = "decimal"

    def _list(self, name):
        return self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else []

    def clean(self):
        cleaned = super().clean()
        deleting = cleaned.get("DELETE")
        if not deleting and not (cleaned.get("title") or "").strip():
            self.add_error("title", _("请填写活动名称。"))
        captions = self._list("captions")
        checked, errors = [], []
        for index, upload in enumerate(cleaned.get("pictures") or []):
            try:
                caption = clean_line(captions[index] if index < len(captions) else "", PICTURE_CAPTION)
                checked.append(check_picture(upload, caption))
            except ValidationError as exc:
                errors.extend(exc.messages)
        # Captions are read from the post as typed (they are not form fields): the same cleaner as the fields.
        kept_captions = {}
        for p in self.existing_pictures:
            try:
                kept_captions[p.pk] = clean_line(
                    self.data.get(self.add_prefix(f"caption_{p.pk}")) or "", PICTURE_CAPTION
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
        for message in errors:
            self.add_error("pictures", message)
        cleaned["checked_pictures"] = checked
        removed = set()
        for value in self._list("remove_picture"):
            if value.isdigit():
                removed.add(int(value))
        cleaned["removed_pictures"] = removed
        cleaned["captions"] = {pk: caption[:200] for pk, caption in kept_captions.items()}
        return cleaned

    def picture_count(self) -> int:
        """Pictures this item will hold once saved."""
        if not self.is_valid() or self.cleaned_data.get("DELETE"):
            return 0
        kept = [p for p in self.existing_pictures if p.pk not in self.cleaned_data["removed_pictures"]]
        return len(kept) + len(self.cleaned_data["checked_pictures"])

    def to_input(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            id=data.get("id"),
            delete=bool(data.get("DELETE")),
            title=(data.get("title") or "").strip(),
            kind=data.get("kind") or ItemKind.OTHER,
            mode=data.get("mode") or ReportItem.Mode.OFFLINE,
            place=(data.get("place") or "").strip(),
            participants=data.get("participants"),
            recycled_kg=data.get("recycled_kg"),
            description=(data.get("description") or "").strip(),
            new_pictures=data["checked_pictures"],
            captions=data["captions"],
            removed_pictures=data["removed_pictures"],
        )


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, pictures_by_item=None, **kwargs):
        self.pictures_by_item = pictures_by_item or {}
        if kwargs.get("initial"):
            # Editing a filed report: its items, without an empty one to fill or clear (添加一项 adds one).
            self.extra = 0
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        item_id = None
        if self.is_bound:
            raw = self.data.get(f"{self.prefix}-{index}-id")
            item_id = int(raw) if raw and raw.isdigit() else None
        elif index is not None and index < len(self.initial or []):
            item_id = self.initial[index].get("id")
        kwargs["existing_pictures"] = self.pictures_by_item.get(item_id, [])
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        total = sum(form.picture_count() for form in self.forms if form.has_changed() or form.cleaned_data.get("id"))
        if total > max_pictures():
            raise ValidationError(
                _("每份报送最多 %(max)s 张图片，本次提交后将有 %(count)s 张，请删减后再提交。")
                % {"max": max_pictures(), "count": total}
            )

    def item_inputs(self) -> list[ItemInput]:
        """The items to save: existing ones always (edited or deleted), new ones when filled in."""
        inputs = []
        for form in self.forms:
            if not form.cleaned_data.get("id") and not form.has_changed():
                continue
            inputs.append(form.to_input())
        return inputs


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=1, can_delete=True, max_num=30)


def uploaded_names(files) -> list[str]:
    """The names of the pictures a refused post carried: the browser drops them, so the page asks for them again."""
    return [upload.name for _field, uploads in files.lists() for upload in uploads]


def item_initial(items) -> list[dict]:
    return [
        {
            "id": item.pk,
            "title": item.title,
            "kind": item.kind,
            "mode": item.mode,
            "place": item.place,
            "participants": item.participants,
            "recycled_kg": item.recycled_kg,
            "description": item.description,
        }
        for item in items
    ]


class HighlightForm(CleanTextMixin, forms.Form):
    comment = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("亮点和特色")})
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0)
    pictures = forms.TypedMultipleChoiceField(
        label=_("选用图片"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, item_pictures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pictures"].choices = [(p.pk, p.caption or f"#{p.pk}") for p in item_pictures]


class ReviewForm(CleanTextMixin, forms.Form):
    """A reviewer's comment (点评) or the reason of a return (退回修改); the label names which."""

    text = forms.CharField(
        label=_("点评内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写内容。"), "max_length": _("最多 %(limit_value)d 个字。")},
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
