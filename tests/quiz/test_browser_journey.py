"""A participant's whole journey on a phone (390×844): 17 of 20 answered, 交卷 asks to confirm, back to the paper by
the answer sheet, finished, the rank and the share card, and the back button shows the result, not the paper."""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from quiz.models import Attempt, Question
from tests.quiz.conftest import at, finish, shown

# Quick answers wait on the phone for the next send (QUIZ_AUTOSAVE_SECONDS; test_browser_autosave.py).
KEPT = re.compile(r"^已保存在本机，\d\d:\d\d:\d\d 前同步$")


@pytest.mark.browser
def test_a_participant_answers_17_of_20_confirms_goes_back_finishes_sees_the_rank_and_back_shows_the_result(
    live_server, phone_page, demo, jiangsu_quiz, artifacts_dir
):
    jiangsu_quiz.question_count = 20
    jiangsu_quiz.save()
    finish(jiangsu_quiz, demo, "13900000001", right=20, seconds=1)  # two finished before, full marks, in 1 s and 2 s
    finish(jiangsu_quiz, demo, "13900000002", right=20, seconds=2)
    page = phone_page
    with time_machine.travel(at(4, 10, 30), tick=True) as clock:
        page.goto(f"{live_server.url}/quiz/{jiangsu_quiz.slug}/")
        page.fill("input[name=name]", "王芳")
        page.fill("input[name=phone]", "13912345678")
        page.fill("input.org-search", "武进人民")
        page.click("button[type=submit]")
        page.wait_for_selector("#quiz-form")
        attempt = Attempt.objects.get(phone="13912345678")
        paper_url = f"{live_server.url}/quiz/a/{attempt.token}/"
        assert page.url == paper_url
        questions = Question.objects.in_bulk([item["q"] for item in attempt.paper])

        def answer(item):
            for value in shown(item, questions[item["q"]].answer):
                page.check(f"input[name=q_{item['q']}][value={value}]")

        nav = page.locator("#quiz-nav .quiz-nav-item[data-for]")
        expect(nav).to_have_count(20)
        for item in attempt.paper[:17]:
            answer(item)
        expect(page.locator("#quiz-saved")).to_have_text(KEPT)
        # The answer sheet follows the inputs: 1–17 answered, 18–20 not.
        expect(page.locator("#quiz-nav .quiz-nav-item.is-answered[data-for]")).to_have_count(17)
        assert [nav.nth(i).get_attribute("class") for i in (16, 17)] == ["quiz-nav-item is-answered", "quiz-nav-item"]
        expect(page.locator("#quiz-progress")).to_have_text("已答 17 / 20 题")

        page.click("#quiz-submit")
        dialog = page.locator("dialog.confirm-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".confirm-dialog-message")).to_have_text("还有 3 题未答，确认交卷？")
        page.screenshot(path=str(artifacts_dir / "quiz-journey-confirm.png"), full_page=False)
        dialog.locator("button", has_text="返回").click()
        expect(dialog).to_be_hidden()
        assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.OPEN

        # Tap 18 on the answer sheet: a plain anchor to the question.
        nav.nth(17).click()
        assert page.url == f"{paper_url}#q18"
        expect(page.locator("#q18")).to_be_in_viewport()
        page.screenshot(path=str(artifacts_dir / "quiz-journey-jump.png"), full_page=False)
        for item in attempt.paper[17:]:
            answer(item)
        expect(page.locator("#quiz-nav .quiz-nav-item.is-answered[data-for]")).to_have_count(20)
        clock.shift(datetime.timedelta(seconds=30))  # a fast browser could finish within 2 s and rank above the others
        page.click("#quiz-submit")  # all answered: no question asked
        page.wait_for_selector("#score")
        result_url = f"{live_server.url}/quiz/a/{attempt.token}/result/"
        assert page.url == result_url
        expect(page.locator("#score")).to_have_text("100")
        expect(page.locator("#rank")).to_have_text("第 3 名 / 共 3 人")
        card = page.request.get(f"{live_server.url}/quiz/a/{attempt.token}/card.png")
        assert (card.status, card.headers["content-type"], card.body()[:8]) == (200, "image/png", b"\x89PNG\r\n\x1a\n")
        page.screenshot(path=str(artifacts_dir / "quiz-journey-result.png"), full_page=True)

        # Back: the paper's URL is asked again (never stored) and answers with the result.
        page.go_back()
        page.wait_for_selector("#score")
        assert page.url.split("#")[0] == result_url  # a redirect keeps the fragment (#q18) the paper had
        expect(page.locator("#rank")).to_have_text("第 3 名 / 共 3 人")
        assert page.locator("#quiz-form").count() == 0
        page.screenshot(path=str(artifacts_dir / "quiz-journey-back.png"), full_page=False)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.correct_count) == (Attempt.Status.SUBMITTED, 100, 20)
