"""This process's copy of each quiz's bank, keyed by (quiz, bank version): the key lookups and the paper pages of a
busy quiz stay off the database.

Every change to a bank bumps Quiz.bank_version (bump_bank_version, the one invalidation), and the version is read with
the quiz on each request, so a held copy is never used after the bank changed. Shared between threads, so it holds
plain values: a row tuple and a frozen BankQuestion per question, never model instances.
"""

from dataclasses import dataclass

from quiz.models import Question, Quiz, new_bank_version
from quiz.services.public import forget_held

# (quiz id, bank version) → (key rows, the questions), as bank_rows and bank_questions read them.
_BANKS: dict[tuple[int, int], tuple[dict[int, tuple], dict[int, "BankQuestion"]]] = {}


@dataclass(frozen=True)
class BankQuestion:
    """What the paper and review pages show of one question, and its key."""

    pk: int
    kind: str
    category: str
    text: str
    options: tuple[str, ...]
    answer: str
    explanation: str
    active: bool

    @property
    def kind_label(self) -> str:
        return Question.Kind(self.kind).label


def bank_rows(quiz: Quiz) -> dict[int, tuple[str, str, str, int, bool]]:
    """{question id: (category, kind, answer, option count, active)}, held per process by the bank's version."""
    return bank_of(quiz.pk, quiz.bank_version)


def bank_of(quiz_id: int, version: int) -> dict[int, tuple[str, str, str, int, bool]]:
    """bank_rows by the quiz's id and version (the hot path reads them without a Quiz)."""
    return _bank_held(quiz_id, version)[0]


def bank_questions(quiz_id: int, version: int) -> dict[int, BankQuestion]:
    """{question id: BankQuestion} of every question of the bank at this version, in the bank's order."""
    return _bank_held(quiz_id, version)[1]


def _bank_held(quiz_id: int, version: int) -> tuple[dict[int, tuple], dict[int, BankQuestion]]:
    key = (quiz_id, version)
    held = _BANKS.get(key)
    if held is None:
        questions = {
            q.pk: BankQuestion(q.pk, q.kind, q.category, q.text, tuple(q.options), q.answer, q.explanation, q.active)
            for q in Question.objects.filter(quiz_id=quiz_id).order_by("sort_order", "pk")
        }
        rows = {pk: (q.category, q.kind, q.answer, len(q.options), q.active) for pk, q in questions.items()}
        for older in [k for k in list(_BANKS) if k[0] == quiz_id]:  # one version per quiz: memory follows the banks
            _BANKS.pop(older, None)
        if len(_BANKS) > 64:
            _BANKS.clear()
        held = _BANKS[key] = (rows, questions)
    return held


def bump_bank_version(quiz_id: int) -> None:
    """Invalidate every process's held copy of the quiz's bank (and this process's public hold)."""
    Quiz.objects.filter(pk=quiz_id).update(bank_version=new_bank_version())
    forget_held()
