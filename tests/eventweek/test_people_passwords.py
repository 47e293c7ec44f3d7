"""Password validators speak Chinese, on the change-password page and everywhere Django validates a password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

CHANGE = reverse("eventweek:manage_password_change")


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("Ab3x", ["密码太短，至少需要 8 个字符。"]),
        ("password123", ["这个密码太常见了，请换一个不容易被猜到的密码。"]),
        ("12345678", ["这个密码太常见了，请换一个不容易被猜到的密码。", "密码不能全是数字。"]),
    ],
)
def test_validate_password_refuses_in_chinese(password, messages):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert caught.value.messages == messages


def test_the_change_password_page_shows_the_chinese_message_for_a_too_short_password(demo, client_for):
    client = client_for(demo.user("wuxi_reporter"))
    response = client.post(CHANGE, {"old_password": "eventweek2020", "new_password1": "Ab3x", "new_password2": "Ab3x"})

    assert response.status_code == 200
    assert "密码太短，至少需要 8 个字符。" in response.content.decode()


def test_a_wrong_current_password_changes_nothing(demo, client_for):
    user = demo.user("wuxi_reporter")
    response = client_for(user).post(
        CHANGE, {"old_password": "wrong", "new_password1": "Lvse-Jieneng-2020", "new_password2": "Lvse-Jieneng-2020"}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("eventweek2020") is True
