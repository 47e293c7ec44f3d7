"""The paper page's question blocks, each rendered once per (quiz, bank version, question, option order) in this
process and reused for every participant who draws it.

Rendering twenty fieldsets through the template engine was most of the paper page's time, yet a block differs between
participants only in its number on the paper and which options are ticked. So a block is rendered once with a
placeholder for the number and every option ticked, and kept as the text around each " checked" (the template escapes
every text, so a bare ">" after " checked" is only ever the input's own); a page fills in the number and writes
" checked>" or ">" for each option. Keyed by the bank's version (quiz.services.bank_cache bumps it on any change to
the bank), so a block is never used after its question changed; shared between threads, so it holds tuples of
strings only.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

TEMPLATE = "quiz/_paper_question.html"
# Where a block's number goes: a character the bank's text never holds (eventweek.text drops control characters);
# a block whose text somehow has it is rendered afresh each time instead.
_NUMBER = "\x00"
_TICKED = " checked>"
# How many times the number appears in a block (the fieldset's id and the visible number).
_NUMBER_SLOTS = 2
_MAX_BLOCKS = 50_000
# (quiz id, bank version, question id, option order) → the block's text around each option's " checked".
_BLOCKS: dict[tuple, tuple[str, ...]] = {}
# quiz id → the bank version its blocks were rendered from (a newer one drops them).
_VERSIONS: dict[int, int] = {}


def render_block(question: dict) -> str:
    """One question of attempts.paper_questions as the page shows it, rendered through the template (no reuse)."""
    return render_to_string(TEMPLATE, {"q": question}).strip()


def _parts(quiz_id: int, version: int, question: dict) -> tuple[str, ...] | None:
    key = (quiz_id, version, question["id"], question["order"])
    parts = _BLOCKS.get(key)
    if parts is not None:
        return parts
    if _VERSIONS.get(quiz_id) != version:
        for older in [k for k in list(_BLOCKS) if k[0] == quiz_id]:
            _BLOCKS.pop(older, None)
        _VERSIONS[quiz_id] = version
    if len(_BLOCKS) >= _MAX_BLOCKS:
        _BLOCKS.clear()
    template = {
        **question,
        "number": _NUMBER,
        "options": [{**option, "checked": True} for option in question["options"]],
    }
    text = render_block(template)
    parts = tuple(text.split(_TICKED))
    if len(parts) != len(question["options"]) + 1 or text.count(_NUMBER) != _NUMBER_SLOTS:
        return None
    _BLOCKS[key] = parts
    return parts


def question_block(quiz_id: int, version: int, question: dict) -> str:
    """One question's block for this page: the held rendering with the number and ticks filled in (byte for byte
    what render_block gives)."""
    parts = _parts(quiz_id, version, question)
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
