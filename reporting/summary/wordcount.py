"""The character count of a summary, as Microsoft Word's 字数 counts it.

The rule (the same in static/js/summary.js, which shows the live count in the editor):

- each CJK character counts 1 (Han ideographs, kana, hangul, CJK radicals and strokes);
- each full-width punctuation mark or symbol counts 1 (the CJK symbols block 、。〈〉《》「」【】〔〕…, the full-width
  forms block ，！？：；（）０-９Ａ-Ｚ…, and the marks Chinese input methods type in the general-punctuation block:
  “” ‘’ — … · ※ ‰);
- each run of other non-whitespace characters counts 1: "2020", "COVID-19", "16:00", "www.example.cn" are one
  each, as they are one "non-Chinese word" in Word;
- whitespace counts 0 (the ideographic space U+3000 included).

Half-width punctuation (, . : ; - / ( ) and the like) is decided this way: it belongs to the run of letters and digits
it touches, so "16:00" and "COVID-19" count 1, not 3; a run made only of half-width punctuation, such as a lone ","
between two Chinese characters, counts 1, as Word counts it as a word of its own.
"""

import re

# Ranges whose every character counts 1 on its own (mirror of WIDE in static/js/summary.js).
WIDE_RANGES = (
    ("\u00b7", "\u00b7"),  # · middle dot, as typed in Chinese text
    ("\u2010", "\u2027"),  # ‐ – — ― ‘ ’ “ ” • … and the like
    ("\u2030", "\u205e"),  # ‰ ′ ″ ※ ‼ …
    ("\u2e80", "\u2fdf"),  # CJK radicals, Kangxi radicals
    ("\u3001", "\u303f"),  # CJK symbols and punctuation (U+3000, the ideographic space, is whitespace)
    ("\u3040", "\u31ff"),  # kana, bopomofo, hangul compatibility jamo, CJK strokes
    ("\u3200", "\u4dbf"),  # enclosed CJK, CJK compatibility, extension A
    ("\u4e00", "\u9fff"),  # CJK unified ideographs
    ("\uac00", "\ud7af"),  # hangul syllables
    ("\uf900", "\ufaff"),  # CJK compatibility ideographs
    ("\ufe10", "\ufe1f"),  # vertical forms
    ("\ufe30", "\ufe6f"),  # CJK compatibility forms, small form variants
    ("\uff01", "\uffef"),  # full-width and half-width forms
    ("\U00020000", "\U0003ffff"),  # CJK extensions B and later
)

_WIDE = "".join(f"{lo}-{hi}" if lo != hi else lo for lo, hi in WIDE_RANGES)
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+")


def count_chars(text: str) -> int:
    """Word's 字数 of text: CJK characters and full-width marks 1 each, runs of anything else 1, whitespace 0."""
    return len(_TOKEN.findall(text or ""))


def count_document(title: str, body: str, captions: list[str] | tuple = ()) -> int:
    """The count of what the exported document holds: the title, the body and the picture captions."""
    return count_chars(title) + count_chars(body) + sum(count_chars(caption) for caption in captions)
