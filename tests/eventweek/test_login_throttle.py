"""Login failures lock the account and the address out for a cool-down (django-axes), with a Chinese page."""

import datetime

import time_machine
from django.test import RequestFactory

from eventweek.throttle import client_address

LOCKED = "登录失败次数过多，该账号或您所在网络的登录已暂时锁定，请 15 分钟后再试。"
PASSWORD = "eventweek2020"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _login(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_lock_the_account_until_the_cool_down_ends(client, demo):
    with time_machine.travel(NOW, tick=False) as traveller:
        wrong = [_login(client, "jiangsu_admin", f"guess{i}", "203.0.113.5").status_code for i in range(10)]
        refused = _login(client, "jiangsu_admin", PASSWORD, "203.0.113.5")
        refused_signed_in = _signed_in(client)
        traveller.shift(datetime.timedelta(minutes=14, seconds=59))
        still_refused = _login(client, "jiangsu_admin", PASSWORD, "203.0.113.5")
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        after = _login(client, "jiangsu_admin", PASSWORD, "203.0.113.5")
        after_signed_in = _signed_in(client)

    assert wrong == [200] * 9 + [429]
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    assert refused_signed_in is False
    assert still_refused.status_code == 429
    assert after.status_code == 302
    assert after["Location"] == "/dashboard/"
    assert after_signed_in is True


def test_a_locked_account_is_refused_from_every_address_and_a_locked_address_for_every_account(client, demo):
    with time_machine.travel(NOW, tick=False):
        for i in range(10):
            _login(client, "jiangsu_admin", f"guess{i}", "203.0.113.5")
        same_account_elsewhere = _login(client, "jiangsu_admin", PASSWORD, "198.51.100.9")
        other_account_same_address = _login(client, "jiangxi_admin", PASSWORD, "203.0.113.5")
        other_account_elsewhere = _login(client, "nanjing_reporter", PASSWORD, "198.51.100.20")
        signed_in = _signed_in(client)

    assert same_account_elsewhere.status_code == 429
    assert LOCKED in same_account_elsewhere.content.decode()
    assert other_account_same_address.status_code == 429
    assert other_account_elsewhere.status_code == 302
    assert signed_in is True


def test_the_client_address_is_remote_addr_unless_proxies_are_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    direct = client_address(request)
    settings.TRUSTED_PROXY_COUNT = 1
    one_proxy = client_address(request)
    settings.TRUSTED_PROXY_COUNT = 2
    two_proxies = client_address(request)

    # With no trusted proxy the header is the client's own words; with one, its last entry is what nginx saw.
    assert (direct, one_proxy, two_proxies) == ("127.0.0.1", "203.0.113.5", "6.6.6.6")
