"""Shuffled options stay shuffled: the value an option posts is the letter it is shown under on that paper, never the
bank's letter, so neither the page nor a blind guess learns the bank's order (the demo bank's single-choice key is
"A" for 25 of 48 questions)."""

import random
import re
from collections import Counter

import time_machine
from django.http import QueryDict
from django.urls import reverse

from quiz.models import LETTERS, Attempt, Question
from quiz.services.attempts import autosave, draw_paper, paper_questions
from quiz.services.grading import clean_answers, grade
from tests.quiz.conftest import answers, at, only_active, start

PAPERS = 300
SEED = 20200704


def _papers(quiz):
    """PAPERS single-choice papers of 10 questions drawn with a fixed seed, as unsaved attempts."""
    only_active(quiz, kind="single")
    rng = random.Random(SEED)
    return [Attempt(quiz=quiz, paper=draw_paper(quiz, rng)) for _ in range(PAPERS)]


def test_the_correct_option_is_spread_evenly_over_positions_and_posted_values(demo, jiangsu_quiz):
    bank = Question.objects.in_bulk()
    positions, values = Counter(), Counter()
    for attempt in _papers(jiangsu_quiz):
        for question in paper_questions(attempt):
            key = bank[question["id"]]
            right = key.options[LETTERS.index(key.answer)]
            for position, option in enumerate(question["options"]):
                if option["text"] == right:
                    positions[position] += 1
                    values[option["value"]] += 1
    # 3,000 correct options over 4 places: 750 each expected; this seed gives 763/745/761/731 (A/B/C/D), so ±50
    # holds them. With the bank's letters as the values, "A" alone had 1,566 of them.
    assert sum(positions.values()) == sum(values.values()) == PAPERS * 10
    assert sorted(positions) == [0, 1, 2, 3] and sorted(values) == ["A", "B", "C", "D"]
    assert all(700 <= n <= 800 for n in positions.values()), positions
    assert all(700 <= n <= 800 for n in values.values()), values


def test_always_posting_a_scores_about_one_in_four_not_half(demo, jiangsu_quiz):
    right = 0
    for attempt in _papers(jiangsu_quiz):
        post = QueryDict(mutable=True)
        for item in attempt.paper:
            post[f"q_{item['q']}"] = "A"
        right += grade(attempt, clean_answers(attempt, post))[0]
    # 1 in 4 of 3,000 is 750 (this seed: 763); the bank's letters as values scored 1,566 (52%).
    assert 700 <= right <= 800, right


def test_the_paper_page_posts_the_letter_each_option_is_shown_under(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 1), tick=False):
        page = client.get(reverse("quiz:paper", args=[attempt.token])).content.decode()
    pairs = re.findall(r'value="([A-F])"[^>]*>\s*<span class="quiz-letter">([A-F])</span>', page)
    assert len(pairs) == sum(len(item["o"]) for item in attempt.paper)
    assert all(value == label for value, label in pairs)
    # Answered by the page's values, the paper scores full marks: the server maps each back to the bank's letter.
    first = attempt.paper[0]
    key = Question.objects.get(pk=first["q"]).answer
    autosave(attempt.token, answers(attempt), now=at(4, 10, 2))
    attempt.refresh_from_db()
    assert attempt.answers[str(first["q"])] == key
    assert grade(attempt, attempt.answers)[:2] == (10, 50)
