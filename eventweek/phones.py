"""Mainland mobile numbers: the one spelling stored and looked up (`normalize_phone`), and the masked form shown to
everyone but the organizer's admin (`mask_phone`). Used by the quiz and by notifications, so it lives in the core."""

import re
import unicodedata

from django.utils.translation import gettext as _

# ASCII digits only: `\d` would also match every other script's digits, and each spelling would be another person.
PHONE_RE = re.compile(r"1[3-9][0-9]{9}")
# What people type between the digits of a phone number (after NFKC, so full-width forms are already ASCII).
_PHONE_SEPARATORS = frozenset(" -.()")


def normalize_phone(phone: str) -> str:
    """The one spelling of a mainland mobile number ("13812345678") that is stored, looked up and made unique; a
    ValueError with a Chinese message when it is not one.

    NFKC first (a full-width １３８… typed on a Chinese input method is ASCII after it), then every other decimal digit
    (Arabic-Indic ١٣٨…, Devanagari…, which NFKC leaves alone) as its ASCII digit, so no script spells a second person;
    then spaces, dashes (any kind), dots, parentheses and invisible format characters go, then a leading +86 or 0086.
    """
    text = unicodedata.normalize("NFKC", phone or "")
    kept = []
    for char in text:
        if char.isdecimal():
            kept.append(str(unicodedata.decimal(char)))
        elif char in _PHONE_SEPARATORS or char.isspace() or unicodedata.category(char) in ("Pd", "Cf"):
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    for prefix in ("+86", "0086"):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    if not PHONE_RE.fullmatch(cleaned):
        raise ValueError(_("手机号应为 11 位数字、以 1 开头，例如 13812345678。"))
    return cleaned


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678."""
    if len(phone) >= 7:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * len(phone)
