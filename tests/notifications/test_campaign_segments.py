"""The campaign message's length and SMS segments: 70 characters for one SMS, 67 a part when longer, the sign name
【…】 counted; the new-campaign page hands the sign to the live counter (static/js/notifications.js)."""

import pytest

from notifications.services.campaigns import message_size, sms_segments
from tests.notifications.campaign_helpers import sms_channel


@pytest.mark.parametrize(("length", "segments"), [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3)])
def test_sms_segments_are_70_for_one_and_67_a_part_beyond(length, segments):
    assert sms_segments(length) == segments


@pytest.mark.parametrize(("body", "chars", "segments"), [(63, 70, 1), (64, 71, 2), (127, 134, 2), (128, 135, 3)])
def test_the_message_size_counts_the_sign_name(demo, body, chars, segments):
    sms_channel(demo.org("320000"))

    size = message_size(demo.org("320000"), "节" * body)

    assert (size.sign, size.chars, size.segments) == ("节能宣传周", chars, segments)


def test_a_city_without_its_own_gateway_counts_the_provinces_sign(demo):
    sms_channel(demo.org("320000"))

    size = message_size(demo.org("320100"), "节" * 63)

    assert (size.sign, size.chars, size.segments) == ("节能宣传周", 70, 1)


def test_the_new_campaign_page_gives_the_counter_the_sign_and_loads_its_script(demo, client_for):
    sms_channel(demo.org("320000"))

    page = client_for(demo.user("jiangsu_admin")).get("/notifications/campaigns/new/").content.decode()

    assert 'data-sms-counter data-sign="节能宣传周"' in page
    assert 'src="/static/js/notifications.js"' in page
    assert "<script>" not in page  # CSP: no inline script
