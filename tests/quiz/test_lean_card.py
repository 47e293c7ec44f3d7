"""The share card is drawn on a copy of its quiz's held head (band, kicker, title): each card has the pixels of one
drawn whole, and no card draws on the head another card starts from."""

import io

from PIL import Image

from quiz.services import share_card
from tests.quiz.conftest import finish


def _pixels(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (750, 1000))
    return image.convert("RGB").tobytes()


def test_cards_drawn_on_the_held_head_keep_their_own_pixels(demo, jiangsu_quiz):
    high = finish(jiangsu_quiz, demo, "13900000001", name="张三", right=10)
    low = finish(jiangsu_quiz, demo, "13900000002", name="李四", right=3)
    share_card._head.cache_clear()
    first = _pixels(share_card.draw_card(high))  # the head drawn for this card
    other = _pixels(share_card.draw_card(low))  # from the held head
    again = _pixels(share_card.draw_card(high))
    assert share_card._head.cache_info().hits == 2
    assert again == first
    assert other != first
