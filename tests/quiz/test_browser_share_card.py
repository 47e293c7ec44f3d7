"""The result page's share card is drawn only when the participant asks for it: the card (a 750×1000 PNG drawn on the
server) was the most expensive request of a visit, and most participants never share."""

import pytest
import time_machine
from playwright.sync_api import expect

from tests.quiz.conftest import at, finish


@pytest.mark.browser
def test_the_share_card_is_fetched_only_after_the_participant_opens_it(live_server, phone_page, demo, jiangsu_quiz):
    attempt = finish(jiangsu_quiz, demo, "13912345678")
    page = phone_page
    cards = []
    page.on("request", lambda request: cards.append(request.url) if request.url.endswith("/card.png") else None)
    with time_machine.travel(at(4, 10, 30), tick=True):
        page.goto(f"{live_server.url}/quiz/a/{attempt.token}/result/")
        page.wait_for_load_state("networkidle")
        assert cards == []
        image = page.locator(".quiz-card-details img")
        expect(image).to_be_hidden()
        with page.expect_response(lambda response: response.url.endswith("/card.png")) as card:
            page.get_by_text("显示分享图").click()
        assert (card.value.status, card.value.headers["content-type"]) == (200, "image/png")
        expect(image).to_be_visible()
        assert page.evaluate("document.querySelector('.quiz-card-details img').naturalWidth") == 750
        assert cards == [f"{live_server.url}/quiz/a/{attempt.token}/card.png"]
