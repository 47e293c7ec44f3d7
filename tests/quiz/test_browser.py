"""A participant on a phone-sized viewport takes the quiz and sees the score."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from quiz.models import Attempt, Question
from quiz.services.attempts import start_attempt
from tests.conftest import login_in_browser
from tests.quiz.conftest import at, shown, wrong

# Polled by Playwright's own expect, not wait_for_function: that evaluates a string, which the Content-Security-Policy
# (no 'unsafe-eval') refuses, as it would any eval on the page.
AUTOSAVED = re.compile(r"^已自动保存")
# Answers made within QUIZ_AUTOSAVE_SECONDS (30) of the last send wait on the phone (test_browser_autosave.py).
KEPT = re.compile(r"^已保存在本机，\d\d:\d\d:\d\d 前同步$")


@pytest.mark.browser
def test_a_participant_on_a_phone_takes_the_quiz_and_sees_the_score(
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
        assert page.locator("#id_org option").count() == 2  # the prompt and the one match
        page.screenshot(path=str(artifacts_dir / "quiz-phone-entry.png"), full_page=True)
        page.click("button[type=submit]")
        page.wait_for_selector("#quiz-form")
        attempt = Attempt.objects.get()
        assert page.url == f"{live_server.url}/quiz/a/{attempt.token}/"
        questions = Question.objects.in_bulk([item["q"] for item in attempt.paper])
        for item in attempt.paper[:4]:  # four right, the last one wrong
            for value in shown(item, questions[item["q"]].answer):
                page.check(f"input[name=q_{item['q']}][value={value}]")
        last = questions[attempt.paper[4]["q"]]
        for value in shown(attempt.paper[4], wrong(last)):
            page.check(f"input[name=q_{last.pk}][value={value}]")
        # The first answer went to the server at once, the other four wait on the phone: 交卷 carries all five.
        expect(page.locator("#quiz-saved")).to_have_text(KEPT)
        page.screenshot(path=str(artifacts_dir / "quiz-phone-paper.png"), full_page=False)
        page.click("#quiz-submit")
        page.wait_for_selector("#score")
        assert page.text_content("#score") == "20"
        assert "答对 4 题" in page.text_content(".quiz-score")
        assert "139****5678" in page.content()
        page.screenshot(path=str(artifacts_dir / "quiz-phone-result.png"), full_page=True)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.correct_count) == ("submitted", 20, 4)


@pytest.mark.browser
def test_the_organizer_sees_participation_on_a_laptop(live_server, desk_page, demo, artifacts_dir):
    from quiz import demo as quiz_demo

    quiz_demo.load()
    login_in_browser(desk_page, live_server, "jiangsu_admin")
    quiz = demo.jiangsu.quizzes.get()
    desk_page.goto(f"{live_server.url}/quiz/manage/{quiz.pk}/participation/")
    assert "参与人数合计 50 人" in desk_page.text_content("main")
    desk_page.screenshot(path=str(artifacts_dir / "quiz-desk-participation.png"), full_page=True)


@pytest.mark.browser
def test_unticking_a_multiple_choice_answer_on_a_phone_autosaves_it_as_unanswered(
    live_server, phone_page, demo, jiangsu_quiz, settings
):
    settings.QUIZ_AUTOSAVE_SECONDS = 0  # a save after each change: what is posted is the question here, not when
    page = phone_page
    with time_machine.travel(at(4, 10), tick=True):
        attempt = start_attempt(jiangsu_quiz, name="王芳", phone="13912345678", org=demo.org("320100"))
        multiple = Question.objects.filter(quiz=jiangsu_quiz, kind="multiple").first()
        attempt.paper = [{"q": multiple.pk, "o": list(range(len(multiple.options)))}]
        attempt.save(update_fields=["paper"])
        page.goto(f"{live_server.url}/quiz/a/{attempt.token}/")
        box = f"input[name=q_{multiple.pk}][value={multiple.answer[0]}]"
        page.check(box)
        expect(page.locator("#quiz-saved")).to_have_text(AUTOSAVED)
        attempt.refresh_from_db()
        assert attempt.answers == {str(multiple.pk): multiple.answer[0]}
        page.evaluate("document.getElementById('quiz-saved').textContent = ''")
        page.uncheck(box)
        expect(page.locator("#quiz-saved")).to_have_text(AUTOSAVED)
    attempt.refresh_from_db()
    assert attempt.answers == {str(multiple.pk): ""}
