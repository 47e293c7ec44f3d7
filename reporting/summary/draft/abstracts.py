"""Text tools of the draft: clipping to a limit at a sentence end, and the abstracts of the cities' own summaries."""

import re
from collections import Counter

from eventweek.models import Org
from reporting.models.summaries import Summary
from reporting.summary.docx import HEADING1, HEADING2
from reporting.summary.wordcount import count_chars


def _end_sentence(text: str) -> str:
    """End a sentence with a full stop unless it already has one (also inside closing brackets)."""
    if text.endswith(("。", "！", "？", "…", "。）", "。”")):
        return text
    return text + "。"


def clip_text(text: str, limit: int) -> str:
    """The first sentences of text within limit characters (Word's count), cut at a sentence or clause end."""
    text = " ".join((text or "").split()).rstrip("。；;，, ")
    if not text:
        return ""
    if count_chars(text) <= limit:
        return _end_sentence(text)
    out = ""
    for sentence in text.replace("；", "。").split("。"):
        candidate = (out + "。" if out else "") + sentence.strip()
        if count_chars(candidate) > limit:
            break
        out = candidate
    if out:
        return out + "。"
    chars = []
    for ch in text:
        if count_chars("".join(chars) + ch) > limit:
            break
        chars.append(ch)
    cut = "".join(chars)
    clause = cut.rfind("，")
    if clause >= len(cut) // 2:
        return cut[:clause] + "。"
    return cut.rstrip("，、；“") + "……"


def _prose_sentences(body: str) -> list[str]:
    """The prose sentences of a summary, each with its end mark; headings and sub-headings' titles left out."""
    sentences = []
    for raw in body.splitlines():
        line = " ".join(raw.split())
        if not line or HEADING1.match(line):
            continue
        if HEADING2.match(line):  # "（一）积极参与全国线上活动。…": the sub-heading's title is not news
            line = line.split("。", 1)[1] if "。" in line else ""
        sentences.extend(part for part in re.split(r"(?<=[。！？])", line) if part.strip("。！？ "))
    return sentences


def _same_words(sentence: str, org: Org) -> str:
    """The sentence with the org's own names blanked, so two orgs' stock sentences compare equal."""
    for name in sorted({org.name, org.short_name} - {""}, key=len, reverse=True):
        sentence = sentence.replace(name, "○")
    return sentence.rstrip("。！？；，")


def city_abstracts(summaries: list[Summary], limit: int, known: str = "") -> dict[int, str]:
    """Each summary's own first sentences within limit, by summary id.

    Sentences that every draft carries (the week's dates and theme, "按照…部署，坚持节俭办活动…") would make each
    abstract the same: a sentence found in another of the summaries (names blanked) or in `known` (the receiver's own
    text) is skipped, so each abstract starts with what that org alone says. Nothing left: its first sentences as
    they are.
    """
    sentences = {s.pk: _prose_sentences(s.body) for s in summaries}
    seen = Counter()
    for summary in summaries:
        seen.update({_same_words(sentence, summary.org) for sentence in sentences[summary.pk]})
    told = {sentence.rstrip("。！？；，") for sentence in _prose_sentences(known)}
    out = {}
    for summary in summaries:
        own = [
            sentence
            for sentence in sentences[summary.pk]
            if seen[_same_words(sentence, summary.org)] == 1 and sentence.rstrip("。！？；，") not in told
        ]
        out[summary.pk] = clip_text("".join(own or sentences[summary.pk]), limit)
    return out
