"""The entry page's static files are served by whitenoise under hashed names (CompressedManifestStaticFilesStorage,
the production storage), cached for ever by the phone and precompressed: a participant's later pages fetch none of them
again."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def collected(settings, tmp_path):
    """Production's static storage, collected into a folder of this test's own."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    call_command("collectstatic", interactive=False, verbosity=0)
    return Client()  # built now: whitenoise reads STATIC_ROOT when the middleware is made


def test_the_entry_pages_static_files_are_hashed_immutable_and_gzipped(demo, jiangsu_quiz, collected):
    page = collected.get(reverse("quiz:entry", args=[jiangsu_quiz.slug])).content.decode()
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert [re.sub(r"\.[0-9a-f]{12}\.", ".HASH.", url) for url in urls] == [
        "/static/css/app.HASH.css",
        "/static/favicon.HASH.svg",
        "/static/css/confirm.HASH.css",
        "/static/css/quiz.HASH.css",
        "/static/js/confirm.HASH.js",
        "/static/js/quiz.HASH.js",
    ]
    for url in urls:
        response = collected.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response["Content-Encoding"] in ("gzip", "br")
        assert response["Vary"] == "Accept-Encoding"
    plain = collected.get(re.sub(r"\.[0-9a-f]{12}\.", ".", urls[0]))
    assert plain["Cache-Control"] == "max-age=60, public"  # an unhashed name may change: a minute only
