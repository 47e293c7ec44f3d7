"""The paper's autosave policy in a real browser (README, 云竞答; QUIZ_AUTOSAVE_SECONDS): every change kept in the
phone's storage at once, sent at most every 30 s, sent by beacon when the page is left, put back and sent when the page
opens with answers the server never confirmed. The page's clock is Playwright's; the server's is time_machine's."""

import datetime
import json
import time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from quiz.models import LETTERS, Attempt, Question
from quiz.services.attempts import start_attempt
from tests.quiz.conftest import at

PAGE_LOADED = at(4, 10)  # the page's clock starts here and stops 5 s later, before the first answer
ANSWERING = PAGE_LOADED + datetime.timedelta(seconds=5)
ANSWERING_LABEL = "10:00:05"  # ANSWERING on the phone's clock (Asia/Shanghai)


@pytest.fixture
def paper(live_server, phone_page, demo, jiangsu_quiz):
    """A started attempt of 10 questions open on a phone whose clock stands still at ANSWERING, with every POST to
    the save URL the page makes counted (posts, a list of resource types)."""
    with time_machine.travel(at(4, 10), tick=True):
        attempt = start_attempt(jiangsu_quiz, name="王芳", phone="13912345678", org=demo.org("320100"))
        page = phone_page
        page.clock.install(time=PAGE_LOADED)
        save_url = f"{live_server.url}/quiz/a/{attempt.token}/save/"
        posts = []

        def count(request):
            if request.url == save_url and request.method == "POST":
                posts.append(request.resource_type)

        page.on("request", count)
        page.goto(f"{live_server.url}/quiz/a/{attempt.token}/")
        page.clock.pause_at(ANSWERING)
        yield Paper(page, attempt, save_url, posts)
        # Closing the phone would send a beacon with whatever the test left unsent, and the live server would handle it
        # while the test database is flushed (SQLite: "database table is locked", and the next test's set-up fails).
        page.evaluate("navigator.sendBeacon = function () { return true; }")


class Paper:
    def __init__(self, page, attempt, save_url, posts):
        self.page, self.attempt, self.save_url, self.posts = page, attempt, save_url, posts
        self.status = page.locator("#quiz-saved")

    def answer(self, n: int):
        """Tick the option shown as A on question n (1-based)."""
        self.page.check(f"input[name=q_{self.attempt.paper[n - 1]['q']}][value=A]")

    def answer_and_wait_for_the_save(self, n: int):
        with self.page.expect_response(self.save_url):
            self.answer(n)

    def kept(self):
        """The phone's stored copy, as quiz.js wrote it."""
        text = self.page.evaluate(f"localStorage.getItem('quiz-answers:{self.attempt.token}')")
        return None if text is None else json.loads(text)

    def stored(self, *numbers: int) -> dict:
        """The answers as the page stores them with the option shown as A ticked on the given questions."""
        return {f"q_{item['q']}": ["A"] if n in numbers else [] for n, item in enumerate(self.attempt.paper, start=1)}

    def saved(self, *numbers: int) -> dict:
        """The attempt's answers as the server holds them after a save with A ticked on the given questions: the
        bank's letter there, and "" on every other multiple-choice question (the page always posts those)."""
        answers = {
            str(q): "" for q in Question.objects.filter(pk__in=self.ids(), kind="multiple").values_list("pk", flat=True)
        }
        answers.update(
            {str(self.attempt.paper[n - 1]["q"]): LETTERS[self.attempt.paper[n - 1]["o"][0]] for n in numbers}
        )
        return answers

    def ids(self) -> list[int]:
        return [item["q"] for item in self.attempt.paper]

    def answers(self) -> dict:
        return Attempt.objects.get(pk=self.attempt.pk).answers

    def autosaved(self) -> str:
        saved_at = Attempt.objects.get(pk=self.attempt.pk).saved_at
        return f"已自动保存 {timezone.localtime(saved_at):%H:%M:%S}"


def wait_for_answers(paper: Paper, expected: dict) -> dict:
    """The attempt's answers once they are as expected, or after 10 s (a beacon's post is the browser's own, after the
    page that sent it has gone: nothing on a page to wait for)."""
    deadline = time.monotonic() + 10
    while (answers := paper.answers()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return answers


@pytest.mark.browser
def test_an_answer_is_kept_on_the_phone_at_once_and_marked_sent_after_the_servers_200(paper):
    paper.answer_and_wait_for_the_save(1)
    expect(paper.status).to_have_text(paper.autosaved())
    assert paper.kept() == {"answers": paper.stored(1), "unsent": False}
    paper.answer(2)  # within 30 s of the first send: kept, not sent
    assert paper.kept() == {"answers": paper.stored(1, 2), "unsent": True}
    expect(paper.status).to_have_text("已保存在本机，10:00:35 前同步")
    assert paper.posts == ["fetch"]


@pytest.mark.browser
def test_five_quick_answers_send_one_save_at_once_and_one_more_30_seconds_after_it(paper):
    paper.answer_and_wait_for_the_save(1)
    for n in (2, 3, 4, 5):
        paper.answer(n)
    expect(paper.status).to_have_text("已保存在本机，10:00:35 前同步")
    assert paper.answers() == paper.saved(1)
    paper.page.clock.run_for(29_000)
    assert paper.posts == ["fetch"]
    with paper.page.expect_response(paper.save_url):
        paper.page.clock.run_for(1_000)
    assert paper.answers() == paper.saved(1, 2, 3, 4, 5)
    expect(paper.status).to_have_text(paper.autosaved())
    assert paper.kept() == {"answers": paper.stored(1, 2, 3, 4, 5), "unsent": False}
    paper.page.clock.run_for(60_000)  # nothing left to send
    assert paper.posts == ["fetch", "fetch"]


@pytest.mark.browser
def test_an_answer_made_while_a_save_is_on_its_way_still_reads_as_waiting_after_the_servers_200(paper):
    held = []  # the first save waits here until question 2 is answered
    paper.page.route(paper.save_url, lambda route: held.append(route))
    paper.answer(1)
    expect(paper.status).to_have_text("保存中…")
    paper.answer(2)
    with paper.page.expect_response(paper.save_url):
        held[0].continue_()
    assert paper.answers() == paper.saved(1)
    expect(paper.status).to_have_text("已保存在本机，10:00:35 前同步")
    assert paper.kept() == {"answers": paper.stored(1, 2), "unsent": True}


@pytest.mark.browser
def test_an_answer_30_seconds_after_the_last_send_is_sent_at_once(paper):
    paper.answer_and_wait_for_the_save(1)
    paper.page.clock.run_for(30_000)
    paper.answer_and_wait_for_the_save(2)
    assert paper.answers() == paper.saved(1, 2)
    assert paper.posts == ["fetch", "fetch"]


@pytest.mark.browser
def test_opening_the_paper_with_unsent_answers_on_the_phone_puts_them_back_and_saves_them(paper):
    paper.answer_and_wait_for_the_save(1)
    # A copy the phone kept from a tab that was closed before it could send (questions 2 and 3 answered there).
    kept = json.dumps({"answers": paper.stored(1, 2, 3), "unsent": True})
    paper.page.evaluate(f"localStorage.setItem('quiz-answers:{paper.attempt.token}', {json.dumps(kept)})")
    with paper.page.expect_response(paper.save_url):
        paper.page.reload()
    assert paper.answers() == paper.saved(1, 2, 3)
    for n in (2, 3):
        expect(paper.page.locator(f"input[name=q_{paper.attempt.paper[n - 1]['q']}][value=A]")).to_be_checked()
    expect(paper.page.locator("#quiz-progress")).to_have_text("已答 3 / 10 题")
    assert paper.kept() == {"answers": paper.stored(1, 2, 3), "unsent": False}


@pytest.mark.browser
def test_a_sent_copy_on_the_phone_is_not_sent_again_when_the_paper_opens(paper):
    paper.answer_and_wait_for_the_save(1)
    paper.page.reload()
    expect(paper.page.locator("#quiz-progress")).to_have_text("已答 1 / 10 题")
    paper.page.clock.run_for(60_000)
    assert paper.posts == ["fetch"]


@pytest.mark.browser
def test_leaving_the_page_with_unsent_answers_delivers_them_by_beacon(paper, live_server, jiangsu_quiz):
    paper.answer_and_wait_for_the_save(1)
    paper.answer(2)
    paper.answer(3)
    expect(paper.status).to_have_text("已保存在本机，10:00:35 前同步")
    paper.page.goto(f"{live_server.url}/quiz/{jiangsu_quiz.slug}/")
    assert wait_for_answers(paper, paper.saved(1, 2, 3)) == paper.saved(1, 2, 3)
    assert paper.posts == ["fetch"]  # the page's one fetch carried question 1 (Playwright does not see the beacon)


# What a phone does when its user switches to another app (the page may never be shown again).
HIDE = (
    "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
    "document.dispatchEvent(new Event('visibilitychange'))"
)


@pytest.mark.browser
def test_switching_to_another_app_with_unsent_answers_sends_them_by_beacon_once(paper):
    paper.answer_and_wait_for_the_save(1)
    paper.answer(2)
    paper.page.evaluate(HIDE)
    assert wait_for_answers(paper, paper.saved(1, 2)) == paper.saved(1, 2)
    paper.page.evaluate(HIDE)  # hidden again with nothing new: no second beacon
    expect(paper.status).to_have_text("已保存在本机，10:00:35 前同步")  # a beacon's reply is never read
    assert paper.posts == ["fetch", "ping"]


@pytest.mark.browser
def test_handing_in_sends_no_autosave_first_no_beacon_after_and_forgets_the_phones_copy(paper):
    paper.answer_and_wait_for_the_save(1)
    paper.answer(2)
    paper.page.click("#quiz-submit")
    paper.page.locator("dialog.confirm-dialog button", has_text="确认交卷").click()
    paper.page.wait_for_selector("#score")
    assert paper.kept() is None
    attempt = Attempt.objects.get(pk=paper.attempt.pk)
    handed_in = {str(q): "" for q in paper.ids()} | paper.saved(1, 2)  # every question, as the form posts it
    assert (attempt.status, attempt.answers) == ("submitted", handed_in)
    assert paper.posts == ["fetch"]


@pytest.mark.browser
def test_back_online_the_page_sends_what_the_lost_network_kept_back(paper, phone_page):
    phone_page.context.set_offline(True)
    paper.answer(1)
    expect(paper.status).to_have_text("网络中断，恢复后将继续保存")
    assert paper.kept() == {"answers": paper.stored(1), "unsent": True}
    with paper.page.expect_response(paper.save_url):
        phone_page.context.set_offline(False)
    assert paper.answers() == paper.saved(1)
    expect(paper.status).to_have_text(paper.autosaved())


@pytest.mark.browser
def test_with_autosave_seconds_0_each_change_is_saved_300_ms_after_it(settings, paper):
    settings.QUIZ_AUTOSAVE_SECONDS = 0
    paper.page.reload()  # rendered again with data-save-every="0"
    paper.answer(1)
    paper.page.clock.run_for(299)
    assert paper.posts == []
    with paper.page.expect_response(paper.save_url):
        paper.page.clock.run_for(1)
    paper.answer(2)
    with paper.page.expect_response(paper.save_url):
        paper.page.clock.run_for(300)
    assert paper.answers() == paper.saved(1, 2)
    assert paper.posts == ["fetch", "fetch"]


@pytest.mark.browser
def test_without_storage_private_mode_the_page_keeps_the_answers_itself_and_says_when_they_will_be_saved(paper):
    paper.page.add_init_script(
        "Object.defineProperty(window, 'localStorage', "
        "{get: function () { throw new DOMException('no', 'SecurityError'); }})"
    )
    paper.page.reload()
    paper.answer_and_wait_for_the_save(1)
    paper.answer(2)
    expect(paper.status).to_have_text("答案将于 10:00:35 前保存")
    with paper.page.expect_response(paper.save_url):
        paper.page.clock.run_for(30_000)
    assert paper.answers() == paper.saved(1, 2)
    expect(paper.status).to_have_text(paper.autosaved())
