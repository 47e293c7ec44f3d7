"""交卷 with questions unanswered asks first, in the native dialog of static/js/confirm.js; all answered, it does not."""

import pytest
import time_machine

from quiz.models import Attempt, Question
from tests.quiz.conftest import at, shown


@pytest.mark.browser
def test_submitting_with_three_unanswered_asks_going_back_keeps_the_paper_and_a_full_paper_submits_at_once(
    live_server, phone_page, demo, jiangsu_quiz, artifacts_dir
):
    jiangsu_quiz.question_count = 5
    jiangsu_quiz.save()
    page = phone_page
    with time_machine.travel(at(4, 10), tick=True):
        page.goto(f"{live_server.url}/quiz/{jiangsu_quiz.slug}/")
        page.fill("input[name=name]", "王芳")
        page.fill("input[name=phone]", "13912345678")
        page.fill("input.org-search", "武进人民")
        page.click("button[type=submit]")
        page.wait_for_selector("#quiz-form")
        attempt = Attempt.objects.get()
        questions = Question.objects.in_bulk([item["q"] for item in attempt.paper])

        def answer(item):
            for value in shown(item, questions[item["q"]].answer):
                page.check(f"input[name=q_{item['q']}][value={value}]")

        for item in attempt.paper[:2]:
            answer(item)
        page.click("#quiz-submit")
        dialog = page.locator("dialog.confirm-dialog")
        assert dialog.is_visible()
        assert dialog.locator(".confirm-dialog-message").inner_text() == "还有 3 题未答，确认交卷？"
        assert dialog.locator(".confirm-dialog-ok").inner_text() == "确认交卷"
        page.screenshot(path=str(artifacts_dir / "confirm-submit-phone.png"), full_page=False)

        dialog.locator("button", has_text="返回").click()
        assert not dialog.is_visible()
        assert page.locator("#quiz-submit").is_enabled()  # the paper's own submit listener did not run
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.OPEN

        for item in attempt.paper[2:]:
            answer(item)
        page.click("#quiz-submit")
        page.wait_for_selector("#score")
    attempt.refresh_from_db()
    assert (attempt.status, attempt.correct_count) == (Attempt.Status.SUBMITTED, 5)
