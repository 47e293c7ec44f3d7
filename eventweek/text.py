"""Free text at the door: every project form drops control characters, and one-line fields refuse line breaks.

What a value keeps and loses (``clean_text``):
- CRLF, a lone CR, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) become ``\\n``: each is a
  line break somebody typed or pasted, and dropping it would glue two lines together.
- Every other control character (Unicode category Cc: C0, DEL, C1) is dropped, except ``\\n`` and ``\\t``. That takes
  Word's manual line break (``\\x0b``) and form feed too: openpyxl, e-mail headers and XML refuse them.
- Invisible format characters that only cause trouble are dropped: the zero-width space (U+200B), the byte order mark
  (U+FEFF) and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make a
  title read differently from what it holds. Joiners (U+200C, U+200D: emoji sequences) and LRM/RLM marks stay.

Forms inherit ``CleanTextMixin`` (or the ``Form`` / ``ModelForm`` bases here): each ``CharField`` then cleans its text
inside its own ``to_python``, so ``required``, length limits and ``clean_<field>`` methods all see the clean value.
A field whose widget is not a ``Textarea`` is one line, and refuses a line break with a message naming it. Password
inputs are left as typed: a password is never shown, and changing it would lock its owner out.
"""

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext_lazy as _

LINE_BREAK_RE = re.compile("\r\n|[\r\x85\u2028\u2029]")
# Cc except \t (0x09) and \n (0x0a), plus the troublesome invisible format characters named in the module docstring.
UNWANTED_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff\u202a-\u202e\u2066-\u2069]")

LINE_BREAK_REFUSED = _("“%(label)s”不能包含换行。")


def clean_text(value: str) -> str:
    """The text with line breaks made ``\\n`` and control characters other than newline and tab removed."""
    return UNWANTED_RE.sub("", LINE_BREAK_RE.sub("\n", value))


def clean_line(value: str, label: str) -> str:
    """One line of clean text, stripped; a ValidationError naming the field (label) if it holds a line break."""
    value = clean_text(value).strip()
    if "\n" in value:
        raise ValidationError(LINE_BREAK_REFUSED, code="line_break", params={"label": label})
    return value


class CleanTextField:
    """Mixed in front of a CharField class: its to_python also cleans the text (see the module docstring)."""

    text_label = ""

    def to_python(self, value):
        value = super().to_python(value)
        if not isinstance(value, str) or value == "":
            return value
        value = clean_text(value)
        if self.strip:
            value = value.strip()
        if "\n" in value and not isinstance(self.widget, forms.Textarea):
            raise ValidationError(
                LINE_BREAK_REFUSED, code="line_break", params={"label": self.text_label or self.label or ""}
            )
        return value if value else self.empty_value


@functools.cache
def _cleaning_class(field_class: type) -> type:
    return type(f"Clean{field_class.__name__}", (CleanTextField, field_class), {})


def use_clean_text(field: forms.Field, name: str) -> None:
    """Make one form field clean its text, if it is a text field (a CharField not holding a password or JSON)."""
    if (
        not isinstance(field, forms.CharField)
        or isinstance(field, (CleanTextField, forms.JSONField))
        or isinstance(field.widget, forms.PasswordInput)
    ):
        return
    # The field is this form's own deep copy of the declared one, so changing its class touches no other form.
    field.__class__ = _cleaning_class(type(field))
    field.text_label = str(field.label or pretty_name(name))


class CleanTextMixin:
    """Every CharField of the form cleans its text before the field's checks and ``clean_<field>`` see it."""

    def full_clean(self):
        # Fields are read here, not in __init__: forms add fields in their own __init__ (e.g. picture captions).
        for name, field in self.fields.items():
            use_clean_text(field, name)
        super().full_clean()


class Form(CleanTextMixin, forms.Form):
    """A form whose text fields are clean at the door."""


class ModelForm(CleanTextMixin, forms.ModelForm):
    """A model form whose text fields are clean at the door."""
