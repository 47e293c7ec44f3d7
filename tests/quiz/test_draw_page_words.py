"""The draw page speaks plainly: no programmer jargon, and how anyone can verify a draw."""

from django.urls import reverse


def test_the_draw_page_explains_in_plain_words_how_to_verify_a_draw(demo, client_for, national_quiz):
    page = client_for(demo.user("national_admin")).get(reverse("quiz:manage_draw", args=[national_quiz.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "梅森旋转算法" not in html
    assert "<summary>如何复核</summary>" in html
    assert "同一个种子、同一份名单，无论谁来抽，结果都一样。" in html
    assert "<code>random.Random(种子).sample(资格名单, 奖品数量)</code>" in html
    assert (
        '<form method="post" data-confirm="确认现在抽奖？抽奖结果和随机种子会永久记录，不能重抽覆盖。" '
        'data-confirm-ok="确认抽奖">'
    ) in html
