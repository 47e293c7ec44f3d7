"""A participant's name is clean at the door: control characters dropped, a line break refused naming the field."""

import time_machine
from django.urls import reverse

from quiz.models import Attempt
from tests.quiz.conftest import at


def test_a_participant_name_with_a_vertical_tab_is_cleaned(client, demo, national_quiz):
    with time_machine.travel(at(4, 10), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[national_quiz.slug]),
            {"name": "张\x0b三\x00", "phone": "13812345678", "org": demo.org("320100").pk},
        )

    assert response.status_code == 302
    assert list(Attempt.objects.values_list("name", "phone")) == [("张三", "13812345678")]


def test_a_participant_name_with_a_line_break_is_refused_naming_the_field(client, demo, national_quiz):
    with time_machine.travel(at(4, 10), tick=False):
        response = client.post(
            reverse("quiz:entry", args=[national_quiz.slug]),
            {"name": "张三\r\n=1+1", "phone": "13812345678", "org": demo.org("320100").pk},
        )

    assert response.status_code == 400
    assert "<strong>姓名</strong>：“姓名”不能包含换行。" in response.content.decode()
    assert Attempt.objects.count() == 0
