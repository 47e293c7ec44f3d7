"""The paper page's question blocks and the result's review items are rendered once per (bank version, question, option
order[, answer]) and reused (quiz.services.paper_html): the pages are byte for byte what the templates give, with each
participant's own numbers and ticks, and a bank edit is shown at once."""

import re

import time_machine
from django.http import QueryDict
from django.urls import reverse

from quiz.models import Attempt, Question
from quiz.services import paper_html
from quiz.services.attempts import paper_questions, save_answers
from quiz.services.results import review
from tests.quiz.conftest import at, finish, shown, start


def _page(client, attempt) -> str:
    with time_machine.travel(at(4, 10, 5), tick=False):
        response = client.get(reverse("quiz:paper", args=[attempt.token]))
    assert response.status_code == 200
    return response.content.decode()


def _blocks_of(page: str) -> str:
    """The page's question blocks: the text between the answer sheet's nav and the submit box."""
    return page.split("</ol>\n  </nav>\n  ", 1)[1].split('\n  <div class="quiz-submit">', 1)[0]


def _rendered_afresh(attempt) -> str:
    attempt = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
    return "".join(f"\n  {paper_html.render_block(q)}\n  " for q in paper_questions(attempt))


def _ticked(page: str) -> dict[str, list[str]]:
    ticked: dict[str, list[str]] = {}
    for name, value in re.findall(r'name="(q_\d+)" value="([A-F])" checked>', page):
        ticked.setdefault(name, []).append(value)
    return ticked


def test_a_resumed_paper_with_held_blocks_is_the_template_rendering_byte_for_byte(client, demo, national_quiz):
    first = start(national_quiz, demo, phone="13900000001", now=at(4, 10))
    second = start(national_quiz, demo, phone="13900000002", now=at(4, 10))
    _page(client, first)  # holds the blocks of the first paper
    multiple = next(item for item in second.paper if Question.objects.get(pk=item["q"]).kind == Question.Kind.MULTIPLE)
    single = next(item for item in second.paper if item is not multiple)
    data = QueryDict(mutable=True)
    data["token"] = second.token
    data.setlist(f"q_{multiple['q']}", shown(multiple, "AC"))
    data.setlist(f"q_{single['q']}", shown(single, "B"))
    save_answers(second.token, data, now=at(4, 10, 2))

    for attempt in (first, second, second):  # the second paper: blocks new, then held
        assert _blocks_of(_page(client, attempt)) == _rendered_afresh(attempt)
    page = _page(client, second)
    assert _ticked(page) == {
        f"q_{multiple['q']}": sorted(shown(multiple, "AC")),
        f"q_{single['q']}": shown(single, "B"),
    }
    numbers = [int(n) for n in re.findall(r'<fieldset class="quiz-q card" id="q(\d+)">', page)]
    assert numbers == list(range(1, len(second.paper) + 1))


def test_the_same_question_drawn_by_two_papers_keeps_each_papers_number(client, demo, jiangsu_quiz):
    jiangsu_quiz.shuffle_questions = True
    jiangsu_quiz.save()
    papers = [start(jiangsu_quiz, demo, phone=f"1390000000{i}", now=at(4, 10)) for i in range(1, 4)]
    pages = [_page(client, attempt) for attempt in papers]
    for attempt, page in zip(papers, pages, strict=True):
        for number, item in enumerate(attempt.paper, start=1):
            block = page.split(f'<fieldset class="quiz-q card" id="q{number}">', 1)[1].split("</fieldset>", 1)[0]
            assert f'<span class="quiz-no">{number}</span>' in block
            assert f'name="q_{item["q"]}"' in block


def test_a_bank_edit_shows_on_the_next_paper_page_at_once(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    question = Question.objects.get(pk=attempt.paper[0]["q"])
    before = _page(client, attempt)
    assert question.text in before
    question.text = "改过的题目：公共机构节能的主管部门是哪一个？"
    question.save()  # bumps the bank version
    after = _page(client, attempt)
    assert "改过的题目：公共机构节能的主管部门是哪一个？" in after
    assert _blocks_of(after) == _rendered_afresh(attempt)
    assert _blocks_of(after) != _blocks_of(before)


def test_the_review_with_held_items_is_the_template_rendering_byte_for_byte(client, demo, jiangsu_quiz):
    papers = [finish(jiangsu_quiz, demo, f"1390000000{i}", right=right) for i, right in ((1, 10), (2, 3), (3, 3))]
    for attempt in papers + papers:  # items new, then held
        with time_machine.travel(at(4, 12), tick=False):
            page = client.get(reverse("quiz:result", args=[attempt.token])).content.decode()
        afresh = "".join(f"\n{paper_html.render_review_item(item)}\n" for item in review(attempt))
        assert f"<h2>答案与解析</h2>\n{afresh}\n" in page
        assert page.count('<section class="card quiz-review ') == len(attempt.paper)
        numbers = [
            int(n)
            for n in re.findall(r'<section class="card quiz-review \w+">\n  <p><span class="quiz-no">(\d+)', page)
        ]
        assert numbers == list(range(1, len(attempt.paper) + 1))
    right = [
        len(
            re.findall(
                r'<section class="card quiz-review ok">',
                client.get(reverse("quiz:result", args=[a.token])).content.decode(),
            )
        )
        for a in papers
    ]
    assert right == [10, 3, 3]
