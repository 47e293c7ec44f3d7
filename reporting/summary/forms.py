"""The summary editor's form: title, body, captions of the chosen pictures, pictures to add (checked by content)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eventweek.text import CleanTextMixin
from reporting.pictures import check_picture
from reporting.summary.services.editing import NewPicture

MAX_PICTURES = 12


def checked_image(upload) -> bytes:
    """The upload checked by content and re-encoded by reporting.pictures (size, format, decompression bombs, EXIF
    stripped), or a ValidationError in Chinese naming the file. WebP stays WebP here; it is made JPEG or PNG when
    stored in the summary."""
    return check_picture(upload).content


class SummaryForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "data-count-source": ""}),
        help_text=_("“一、”开头的行为一级标题（黑体），“（一）”开头的行为二级标题（楷体）；图片排在“三、”之前。"),
    )
    picks = forms.MultipleChoiceField(label=_("选用亮点图片"), required=False, widget=forms.CheckboxSelectMultiple)
    upload = forms.FileField(label=_("上传图片"), required=False)
    upload_caption = forms.CharField(label=_("上传图片的说明"), max_length=200, required=False)
    # The version the page was opened on: a save from a tab opened before someone else's save is refused (see
    # services.save_summary), as daily reports do.
    version = forms.IntegerField(label=_("版本"), widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, pictures=(), candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["data-count-source"] = ""
        self.pictures = list(pictures)
        self.candidates = {c["key"]: c for c in candidates}
        self.fields["picks"].choices = [(c["key"], c["caption"]) for c in candidates]
        for picture in self.pictures:
            self.fields[f"caption_{picture.pk}"] = forms.CharField(
                label=_("图片说明"),
                max_length=200,
                required=False,
                initial=picture.caption,
                widget=forms.TextInput(attrs={"data-count-source": ""}),
            )
            self.fields[f"drop_{picture.pk}"] = forms.BooleanField(
                label=_("移除"), required=False, widget=forms.CheckboxInput(attrs={"data-picture-drop": ""})
            )

    def picture_rows(self):
        return [(p, self[f"caption_{p.pk}"], self[f"drop_{p.pk}"]) for p in self.pictures]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        return checked_image(upload)

    def clean(self):
        data = super().clean()
        kept = sum(1 for p in self.pictures if not data.get(f"drop_{p.pk}"))
        adding = len(data.get("picks") or []) + (1 if data.get("upload") else 0)
        if kept + adding > MAX_PICTURES:
            raise forms.ValidationError(_("总结最多选用 %(max)s 张图片。"), params={"max": MAX_PICTURES})
        return data

    def captions(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"caption_{p.pk}", "") for p in self.pictures}

    def dropped(self) -> set[int]:
        return {p.pk for p in self.pictures if self.cleaned_data.get(f"drop_{p.pk}")}

    def new_pictures(self, read) -> list[NewPicture]:
        """Chosen highlight pictures (read(key) gives their bytes) and the upload, in that order."""
        out = []
        for key in self.cleaned_data.get("picks") or []:
            candidate = self.candidates[key]
            out.append(NewPicture(read(key), candidate["caption"], candidate["source"]))
        if self.cleaned_data.get("upload"):
            out.append(NewPicture(self.cleaned_data["upload"], self.cleaned_data.get("upload_caption", ""), ""))
        return out
