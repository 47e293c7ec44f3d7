"""In production (DEBUG off) every error page is Chinese, and every response carries a Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.urls("tests.eventweek.urls_error_pages")

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def _directives(header: str) -> dict[str, str]:
    # django-csp writes the directives in no fixed order.
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def _page(response) -> str:
    return response.content.decode()


def test_an_unknown_address_is_a_chinese_404(db, production):
    response = production.get("/no-such-page/")

    assert response.status_code == 404
    assert "<h1>页面不存在（404）</h1>" in _page(response)
    assert "Not Found" not in _page(response)


def test_a_page_of_another_province_is_the_same_chinese_404(demo, production):
    production.force_login(demo.user("jiangxi_admin"))

    response = production.get("/manage/weeks/2020-jiangsu/")

    assert response.status_code == 404
    assert "<h1>页面不存在（404）</h1>" in _page(response)


def test_a_request_django_refuses_to_read_is_a_chinese_400(db, production):
    response = production.post("/accounts/login/", {f"field{i}": "x" for i in range(1001)})

    assert response.status_code == 400
    assert "<h1>请求有误（400）</h1>" in _page(response)


def test_a_refused_permission_is_a_chinese_403(db, production):
    response = production.get("/test/forbidden/")

    assert response.status_code == 403
    assert "<h1>无权访问（403）</h1>" in _page(response)


def test_a_form_posted_without_its_csrf_token_is_a_chinese_403(db, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "<h1>页面已过期（403）</h1>" in _page(response)


def test_a_bug_is_a_chinese_500(db, production):
    response = production.get("/test/broken/")

    assert response.status_code == 500
    assert "<h1>服务器出错（500）</h1>" in _page(response)
    assert "Server Error" not in _page(response)


def test_a_database_that_cannot_be_reached_is_a_chinese_503_with_retry_after(db, production):
    response = production.get("/test/database-down/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>暂时无法访问（503）</h1>" in _page(response)


@override_settings(DEBUG=False)
def test_every_response_carries_the_content_security_policy(db, client):
    pages = [client.get("/"), client.get("/accounts/login/"), client.get("/no-such-page/"), client.get("/healthz")]

    assert [_directives(response["Content-Security-Policy"]) for response in pages] == [CSP] * 4


def test_no_template_needs_inline_script_style_or_event_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in inline.finditer(path.read_text())
    ]

    assert offenders == []
