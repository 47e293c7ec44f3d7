"""axe-core finds no WCAG 2.1 AA violation on the key pages, on a phone and on a desk, with the demo's drill week."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from eventweek.models import LOCAL_TZ
from quiz.models import Quiz
from quiz.services.attempts import start_attempt, submit_attempt
from tests.a11y import assert_no_axe_violations
from tests.conftest import PHONE, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def drill(transactional_db):
    """The whole demo as make run loads it: the 2020 weeks and the drill week around today with its open quiz."""
    call_command("load_demo", verbosity=0)


@pytest.fixture(params=["phone", "desk"])
def page(request, browser):
    """A page whose context ignores the site's CSP, so that axe-core can be injected (these checks only)."""
    device = PHONE if request.param == "phone" else DESK
    context = browser.new_context(**device, locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True)
    page = context.new_page()
    page.device = request.param
    yield page
    context.close()


def today():
    return timezone.localtime(timezone.now(), LOCAL_TZ).date()


def test_the_quiz_entry_paper_and_result_pages_have_no_axe_violations(drill, live_server, page):
    quiz = Quiz.objects.get(slug="drill-quiz")
    page.goto(f"{live_server.url}/quiz/{quiz.slug}/")
    assert_no_axe_violations(page, f"the quiz entry ({page.device})")
    page.fill("input[name=name]", "王芳")
    page.fill("input[name=phone]", "13912345678")
    page.fill("input.org-search", "武进")
    page.select_option("#id_org", index=1)
    page.click("button[type=submit]")
    page.wait_for_selector("#quiz-form")
    assert_no_axe_violations(page, f"the quiz paper ({page.device})")
    token = page.url.rstrip("/").rsplit("/", 1)[1]
    submit_attempt(token, None, timezone.now())
    page.goto(f"{live_server.url}/quiz/a/{token}/result/")
    assert_no_axe_violations(page, f"the quiz result ({page.device})")


def test_the_week_page_has_no_axe_violations(drill, live_server, page):
    page.goto(f"{live_server.url}/weeks/drill-jiangsu/")
    assert_no_axe_violations(page, f"the week page ({page.device})")


def test_the_report_form_and_the_summary_editor_have_no_axe_violations(drill, live_server, page):
    login_in_browser(page, live_server, "nanjing_reporter")
    page.goto(f"{live_server.url}/reporting/drill-jiangsu/r/320100/{today().isoformat()}/edit/")
    assert_no_axe_violations(page, f"the report form ({page.device})")
    page.goto(f"{live_server.url}/reporting/summary/2020-jiangsu/320100/")
    if page.locator("[data-start-summary]").count():  # the demo may have started Nanjing's summary already
        page.click("[data-start-summary]")
    page.wait_for_selector("textarea[name=body]")
    assert_no_axe_violations(page, f"the summary editor ({page.device})")


def test_the_dashboard_highlights_and_question_statistics_have_no_axe_violations(drill, live_server, page):
    login_in_browser(page, live_server, "jiangsu_admin")
    page.goto(f"{live_server.url}/reporting/drill-jiangsu/dashboard/")
    assert_no_axe_violations(page, f"the reporting dashboard ({page.device})")
    page.goto(f"{live_server.url}/reporting/drill-jiangsu/highlights/")
    assert_no_axe_violations(page, f"the highlights page ({page.device})")
    quiz = Quiz.objects.get(slug="drill-quiz")
    page.goto(f"{live_server.url}/quiz/manage/{quiz.pk}/questions/")
    assert_no_axe_violations(page, f"the question statistics ({page.device})")


# What stays on screen while the rest scrolls: a focused element must not end up beneath it.
STICKY_BARS = ".quiz-bar, .quiz-submit, .rp-submit, .count-meter, .sticky-actions"
HIDDEN_STOPS = """bars => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  for (const bar of document.querySelectorAll(bars)) {
    if (bar.contains(el)) continue;
    const b = bar.getBoundingClientRect();
    if (box.bottom > b.top + 1 && box.top < b.bottom - 1 && box.right > b.left && box.left < b.right) {
      return (el.name || el.id || el.textContent.trim().slice(0, 20)) + ' under .' + bar.className.split(' ')[0];
    }
  }
  return null;
}"""


def hidden_tab_stops(page, stops: int) -> list[str]:
    """Press Tab `stops` times; the focused elements that a sticky bar covered."""
    hidden = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        covered = page.evaluate(HIDDEN_STOPS, STICKY_BARS)
        if covered:
            hidden.append(covered)
    return hidden


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_tabbing_through_the_phone_paper_never_leaves_the_focus_under_a_sticky_bar(drill, live_server, page):
    quiz = Quiz.objects.get(slug="drill-quiz")
    attempt = start_attempt(quiz, name="王芳", phone="13912345678", org=quiz.week.organizer)
    page.goto(f"{live_server.url}/quiz/a/{attempt.token}/")

    assert hidden_tab_stops(page, 120) == []


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_tabbing_through_the_phone_report_form_never_leaves_the_focus_under_a_sticky_bar(drill, live_server, page):
    login_in_browser(page, live_server, "nanjing_reporter")
    page.goto(f"{live_server.url}/reporting/drill-jiangsu/r/320100/{today().isoformat()}/edit/")

    assert hidden_tab_stops(page, 40) == []


SPOKEN = """() => {
  window.spoken = [];
  const region = document.getElementById('quiz-timer-alert');
  new MutationObserver(() => window.spoken.push(region.textContent)).observe(region, {childList: true, characterData: true, subtree: true});
}"""


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_quiz_timer_speaks_only_at_five_minutes_and_one_minute_left(drill, live_server, page):
    quiz = Quiz.objects.get(slug="drill-quiz")
    attempt = start_attempt(quiz, name="王芳", phone="13912345678", org=quiz.week.organizer)
    page.clock.install()
    page.goto(f"{live_server.url}/quiz/a/{attempt.token}/")
    page.evaluate(SPOKEN)
    live = page.evaluate("() => Array.from(document.querySelectorAll('[aria-live]')).map(e => e.id)")
    left = int(page.get_attribute("#quiz-bar", "data-remaining"))  # the seconds the server gave this page

    page.clock.run_for((left - 10) * 1000)  # to ten seconds before time is up

    assert live == ["quiz-timer-alert"]
    assert page.get_attribute("#quiz-timer", "role") == "timer"  # read on demand, never spoken by itself
    assert page.evaluate("() => window.spoken") == ["剩余 5 分钟", "剩余 1 分钟"]
    assert page.text_content("#quiz-timer") == "剩余 0:10"
