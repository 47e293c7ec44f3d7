"""The question blocks of the paper page and of the result's review, each rendered once per (quiz, bank version,
question, option order) in this process and reused for every participant who draws it.

Rendering twenty blocks through the template engine was most of these pages' time, yet a paper's block differs
between participants only in its number on the paper and which options are ticked, and a review's block only in its
number once the answer given is part of the key. So a block is rendered once with a placeholder for the number (and, on
the paper, every option ticked) and kept as the text around those places: the paper's around each " checked" (the
template escapes every text, so a bare ">" after " checked" is only ever the input's own). A page fills in the number
and, on the paper, writes " checked>" or ">" for each option. Keyed by the bank's version (quiz.services.bank_cache
bumps it on any change to the bank), so a block is never used after its question changed; shared between threads, so
it holds tuples of strings only.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

PAPER_TEMPLATE = "quiz/_paper_question.html"
REVIEW_TEMPLATE = "quiz/_review_item.html"
# Where a block's number goes: a character the bank's text never holds (eventweek.text drops control characters);
# a block whose text somehow has it is rendered afresh each time instead.
_NUMBER = "\x00"
_TICKED = " checked>"
# How many times the number appears in a block: the paper's fieldset id and visible number, the review's number.
_PAPER_SLOTS = 2
_REVIEW_SLOTS = 1
_MAX_BLOCKS = 50_000
# (what, quiz id, bank version, question id, option order[, answer]) → the block's text around its slots.
_BLOCKS: dict[tuple, tuple[str, ...]] = {}
# quiz id → the bank version its blocks were rendered from (a newer one drops them).
_VERSIONS: dict[int, int] = {}


def render_block(question: dict) -> str:
    """One question of attempts.paper_questions as the page shows it, rendered through the template (no reuse)."""
    return render_to_string(PAPER_TEMPLATE, {"q": question}).strip()


def render_review_item(item: dict) -> str:
    """One item of results.review as the result page shows it, rendered through the template (no reuse)."""
    return render_to_string(REVIEW_TEMPLATE, {"item": item}).strip()


def _held(key: tuple, render) -> tuple[str, ...] | None:
    parts = _BLOCKS.get(key)
    if parts is not None:
        return parts
    quiz_id, version = key[1], key[2]
    if _VERSIONS.get(quiz_id) != version:
        for older in [k for k in list(_BLOCKS) if k[1] == quiz_id]:
            _BLOCKS.pop(older, None)
        _VERSIONS[quiz_id] = version
    if len(_BLOCKS) >= _MAX_BLOCKS:
        _BLOCKS.clear()
    parts = render()
    if parts is not None:
        _BLOCKS[key] = parts
    return parts


def _paper_parts(question: dict) -> tuple[str, ...] | None:
    ticked = {**question, "number": _NUMBER, "options": [{**o, "checked": True} for o in question["options"]]}
    text = render_block(ticked)
    parts = tuple(text.split(_TICKED))
    if len(parts) != len(question["options"]) + 1 or text.count(_NUMBER) != _PAPER_SLOTS:
        return None
    return parts


def question_block(quiz_id: int, version: int, question: dict) -> str:
    """One question's block for this page: the held rendering with the number and ticks filled in (byte for byte
    what render_block gives)."""
    key = ("paper", quiz_id, version, question["id"], question["order"])
    parts = _held(key, lambda: _paper_parts(question))
    if parts is None:
        return render_block(question)
    pieces = [parts[0]]
    for option, after in zip(question["options"], parts[1:], strict=True):
        pieces.append(_TICKED if option["checked"] else ">")
        pieces.append(after)
    return "".join(pieces).replace(_NUMBER, str(question["number"]))


def paper_blocks(quiz_id: int, version: int, questions: list[dict]) -> SafeString:
    """Every question's block of the paper, as the page's form holds them (each on its own indented lines)."""
    return mark_safe("".join(f"\n  {question_block(quiz_id, version, q)}\n  " for q in questions))


def _review_parts(item: dict) -> tuple[str, ...] | None:
    text = render_review_item({**item, "number": _NUMBER})
    return tuple(text.split(_NUMBER)) if text.count(_NUMBER) == _REVIEW_SLOTS else None


def review_item(quiz_id: int, version: int, item: dict) -> str:
    """One item of the review: the held rendering with the number filled in (byte for byte render_review_item's)."""
    key = ("review", quiz_id, version, item["id"], item["order"], item["answer"])
    parts = _held(key, lambda: _review_parts(item))
    if parts is None:
        return render_review_item(item)
    return str(item["number"]).join(parts)


def review_blocks(quiz_id: int, version: int, items: list[dict]) -> SafeString:
    """Every item of the review, each on its own lines, as the result page holds them."""
    return mark_safe("".join(f"\n{review_item(quiz_id, version, item)}\n" for item in items))
