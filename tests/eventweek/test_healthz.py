"""/healthz tells a load balancer whether the database and the task broker answer; a database that is down is a
Chinese 503 on every page, not an English 500."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_200_when_the_database_and_the_broker_answer(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_503_naming_the_broker_when_redis_cannot_be_reached(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
home, health = client.get("/"), client.get("/healthz")
print(json.dumps({
    "home": [home.status_code, home.get("Retry-After"), "<h1>暂时无法访问（503）</h1>" in home.content.decode()],
    "healthz": [health.status_code, health.json()],
}))
"""


def test_with_the_database_down_pages_answer_a_chinese_503_and_healthz_503(tmp_path):
    # A real server process whose database cannot be opened: production settings, a SQLite file in a missing folder.
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "eventweek.settings",
        "EVENTWEEK_TESTING": "1",  # plain static storage: no collectstatic manifest in a test
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "SITE_URL": "https://jieneng.example.cn",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/eventweek.sqlite3",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "home": [503, "30", True],
        "healthz": [503, {"status": "error", "database": "error", "broker": "error"}],
    }
