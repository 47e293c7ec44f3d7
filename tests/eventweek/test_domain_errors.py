"""A domain error that escapes a view becomes the Chinese page it means: 404, 403 with its reason, or 400."""

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.eventweek.urls_domain_errors")


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_not_found_answers_the_chinese_404(production):
    response = production.get("/test/missing/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_answers_403_with_its_reason(production):
    response = production.get("/test/not-yours/")
    assert response.status_code == 403
    assert "只有省局审核员可以退回报送。" in response.content.decode()


def test_an_uncaught_domain_error_answers_400_with_its_message(production):
    response = production.get("/test/refused/")
    assert response.status_code == 400
    assert "活动周已发布，不能删除。" in response.content.decode()
