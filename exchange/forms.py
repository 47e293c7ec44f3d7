"""Exchange forms: the registration, the return reason, the day's record with its product rows and pictures."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eventweek.text import CleanTextMixin, clean_line
from exchange.services.recording import ProductInput, RecordInput
from exchange.services.registration import RegistrationInput
from reporting.forms import MultipleFileField
from reporting.pictures import check_picture

PRODUCT_ROWS = 5
PICTURE_CAPTION = _("图片说明")


class RegistrationForm(CleanTextMixin, forms.Form):
    """A unit's registration (备案); the phone is normalised by the service."""

    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系人手机号"), max_length=30)
    expected_items = forms.CharField(
        label=_("预计回收物品"), max_length=300, help_text=_("例如：废旧报纸约 200 千克、墨盒 30 个、旧电脑 5 台")
    )
    poverty_area = forms.CharField(
        label=_("定点扶贫地区或产品"), max_length=200, help_text=_("例如：贵州省某县的茶叶、小米")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def to_input(self) -> RegistrationInput:
        return RegistrationInput(**{name: self.cleaned_data[name] for name in self.fields})


class ReturnForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class RecordForm(CleanTextMixin, forms.Form):
    """What was collected and exchanged; quantities are checked by the service (one set of messages)."""

    # Wider than the column on purpose: an absurd weight reaches the service's "超过 100 吨" message.
    newspapers_kg = forms.DecimalField(label=_("废旧报纸（千克）"), max_digits=14, decimal_places=2, required=False)
    ink_cartridges = forms.IntegerField(label=_("墨盒硒鼓（个）"), required=False)
    electronics = forms.IntegerField(label=_("电子产品（件）"), required=False)
    other_name = forms.CharField(label=_("其他物品名称"), max_length=100, required=False)
    other_count = forms.IntegerField(label=_("其他物品数量（件）"), required=False)
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pictures = MultipleFileField(label=_("添加图片"), required=False)

    def __init__(self, *args, existing_pictures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_pictures = list(existing_pictures)
        for index in range(PRODUCT_ROWS):
            self.fields[f"product_name_{index}"] = forms.CharField(
                label=_("兑换产品（第 %(row)s 行）") % {"row": index + 1}, max_length=100, required=False
            )
            self.fields[f"product_value_{index}"] = forms.DecimalField(
                label=_("价值（元）（第 %(row)s 行）") % {"row": index + 1},
                max_digits=14,
                decimal_places=2,
                required=False,
            )
            self.fields[f"product_area_{index}"] = forms.CharField(
                label=_("产地（第 %(row)s 行）") % {"row": index + 1}, max_length=100, required=False
            )
        for name in ("newspapers_kg",):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def product_rows(self):
        """The product fields as rows of (name, value, area) bound fields, for the template."""
        return [
            (self[f"product_name_{i}"], self[f"product_value_{i}"], self[f"product_area_{i}"])
            for i in range(PRODUCT_ROWS)
        ]

    def clean(self):
        cleaned = super().clean()
        checked = []
        captions = self.data.getlist("captions") if hasattr(self.data, "getlist") else []
        for index, upload in enumerate(cleaned.get("pictures") or []):
            try:
                caption = clean_line(captions[index] if index < len(captions) else "", str(PICTURE_CAPTION))
                checked.append(check_picture(upload, caption))
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error("pictures", message)
        cleaned["checked_pictures"] = checked
        removed = self.data.getlist("remove_picture") if hasattr(self.data, "getlist") else []
        cleaned["removed_pictures"] = {int(value) for value in removed if value.isdigit()}
        return cleaned

    def to_input(self) -> RecordInput:
        data = self.cleaned_data
        products = [
            ProductInput(
                name=data.get(f"product_name_{i}") or "",
                value_yuan=data.get(f"product_value_{i}"),
                area=data.get(f"product_area_{i}") or "",
            )
            for i in range(PRODUCT_ROWS)
        ]
        return RecordInput(
            newspapers_kg=data.get("newspapers_kg") or 0,
            ink_cartridges=data.get("ink_cartridges") or 0,
            electronics=data.get("electronics") or 0,
            other_name=data.get("other_name") or "",
            other_count=data.get("other_count") or 0,
            note=data.get("note") or "",
            products=products,
            new_pictures=data["checked_pictures"],
            removed_pictures=data["removed_pictures"],
        )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names (the product rows' under 兑换产品)."""
        for name, messages in exc.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


def record_initial(record) -> dict:
    """A saved record as the form's initial values."""
    if record is None:
        return {}
    initial = {
        "newspapers_kg": record.newspapers_kg,
        "ink_cartridges": record.ink_cartridges,
        "electronics": record.electronics,
        "other_name": record.other_name,
        "other_count": record.other_count or None,
        "note": record.note,
    }
    for index, product in enumerate(list(record.products.all())[:PRODUCT_ROWS]):
        initial[f"product_name_{index}"] = product.name
        initial[f"product_value_{index}"] = product.value_yuan
        initial[f"product_area_{index}"] = product.area
    return initial
