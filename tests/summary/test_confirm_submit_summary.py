"""报送 a summary asks first, naming the receiving org and the mailbox the email goes to."""

import pytest
import time_machine

from eventweek.models import Org, Week
from reporting.models.summaries import SummarySubmission
from tests.summary.conftest import local
from tests.summary.test_views import open_editor


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(local(2020, 7, 8, 10, 0), tick=False):
        yield


def test_the_submit_button_asks_naming_the_receiver_and_its_mailbox(reports, client_for):
    client = client_for(reports.user("nanjing_reporter"))

    page = open_editor(client).content.decode()

    assert (
        'data-confirm="确认将本总结报送江苏省机关事务管理局？将同时发送邮件至 jnc@jsjgsw.example.cn。" '
        'data-confirm-ok="确认报送"'
    ) in page
    assert SummarySubmission.objects.count() == 0


def test_without_a_mailbox_the_question_says_the_summary_stays_in_the_system(reports, client_for):
    Week.objects.filter(slug="2020-jiangsu").update(summary_mailbox="")
    Org.objects.filter(code="320000").update(email="")
    client = client_for(reports.user("nanjing_reporter"))

    page = open_editor(client).content.decode()

    assert 'data-confirm="确认将本总结报送江苏省机关事务管理局？对方未设置接收邮箱，只在系统内报送。"' in page
