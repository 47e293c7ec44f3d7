"""The result's share card: a PNG drawn on the server, at a URL keyed by the attempt's token, with the quiz title,
the score, the rank and the masked name in a CJK font; never the phone or the full name."""

import io
import textwrap

import time_machine
from django.urls import reverse
from PIL import Image, ImageChops

from quiz.services.share_card import HEIGHT, WIDTH, card_lines, cjk_font_path
from tests.quiz.conftest import at, finish, start


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many pixels of the box are not the white background."""
    region = image.crop(box).convert("L")
    return sum(1 for value in region.getdata() if value < 200)


def _lines_of_text(image: Image.Image, top: int) -> int:
    """How many separate bands of rows with ink there are below `top` (one per line of text)."""
    grey = image.convert("L")
    inked = [any(grey.getpixel((x, y)) < 200 for x in range(0, WIDTH, 2)) for y in range(top, HEIGHT)]
    return sum(1 for i, row in enumerate(inked) if row and (i == 0 or not inked[i - 1]))


def test_the_share_card_is_a_png_with_the_title_score_and_rank_drawn(client, demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001", right=10)
    attempt = finish(jiangsu_quiz, demo, "13812345678", name="张三", right=7)  # 35 points, second of two
    with time_machine.travel(at(4, 12), tick=False):
        response = client.get(reverse("quiz:share_card", args=[attempt.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=60"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT)) == ("PNG", (750, 1000))
    image = image.convert("RGB")
    blank = Image.new("RGB", image.size, (255, 255, 255))
    assert ImageChops.difference(image, blank).getbbox() is not None  # not blank
    assert len(image.getcolors(maxcolors=100_000)) > 50  # antialiased text, not flat blocks
    # The header's words in white on green, then one band of ink per line: the title (wrapped at 16 characters),
    # the masked name, the score, "/ 50 分", the rank and the footer.
    assert _ink(image, (0, 0, WIDTH, 180)) > 0.9 * WIDTH * 180  # the green band
    assert _lines_of_text(image, 190) == len(textwrap.wrap(jiangsu_quiz.title, 16)) + 5
    assert cjk_font_path() is not None
    assert card_lines(attempt) == {
        "kicker": "云竞答 · 成绩分享",
        "title": jiangsu_quiz.title,
        "name": "张*",
        "score": "35",
        "max_score": "/ 50 分",
        "rank": "第 2 名 / 共 2 人",
    }


def test_a_different_score_draws_a_different_card(client, demo, jiangsu_quiz):
    high = finish(jiangsu_quiz, demo, "13900000001", right=10)
    low = finish(jiangsu_quiz, demo, "13900000002", right=3)
    with time_machine.travel(at(4, 12), tick=False):
        cards = [client.get(reverse("quiz:share_card", args=[a.token])).content for a in (high, low)]
    images = [Image.open(io.BytesIO(card)).convert("RGB") for card in cards]
    # The score and the rank differ, the title and the header do not.
    assert ImageChops.difference(*[i.crop((0, 430, WIDTH, 800)) for i in images]).getbbox() is not None
    assert ImageChops.difference(*[i.crop((0, 0, WIDTH, 300)) for i in images]).getbbox() is None


def test_the_card_and_the_result_page_never_show_the_phone_or_the_full_name_on_the_card(client, demo, jiangsu_quiz):
    attempt = finish(jiangsu_quiz, demo, "13812345678", name="欧阳小明", right=10)
    lines = " ".join(card_lines(attempt).values())
    assert "欧阳小明" not in lines and "13812345678" not in lines and "5678" not in lines
    assert "欧***" in lines
    with time_machine.travel(at(4, 12), tick=False):
        html = client.get(reverse("quiz:result", args=[attempt.token])).content.decode()
    assert f'src="/quiz/a/{attempt.token}/card.png"' in html


def test_an_attempt_not_yet_submitted_has_no_card(client, demo, jiangsu_quiz):
    attempt = start(jiangsu_quiz, demo, now=at(4, 10))
    with time_machine.travel(at(4, 10, 1), tick=False):
        response = client.get(reverse("quiz:share_card", args=[attempt.token]))
    assert response.status_code == 404
