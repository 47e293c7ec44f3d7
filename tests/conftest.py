"""Fixtures shared by every app's tests: the demo org tree, its users and the 2020 weeks."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"


@pytest.fixture(autouse=True)
def _sync_tasks(settings):
    """django-q2 reads its config at import; run tasks inline in every test."""
    from django_q.conf import Conf

    previous = Conf.SYNC
    Conf.SYNC = True
    yield
    Conf.SYNC = previous


@pytest.fixture(autouse=True)
def _no_public_quizzes_held():
    """Each test starts without the quizzes an earlier test left in this process's short cache."""
    from quiz.services.public import forget_held

    forget_held()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of each test go to its own folder. MEDIA_ROOT last: its change resets the storages' cached paths."""
    settings.REPORT_PRIVATE_ROOT = tmp_path / "private-media"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    """The core demo data (orgs, users, the 2020 national and Jiangsu weeks), as in make run."""
    from eventweek import demo as demo_module

    orgs = demo_module.load_orgs()
    users = demo_module.load_users(orgs)
    weeks = demo_module.load_weeks(orgs)
    return DemoData(orgs, users, weeks)


class DemoData:
    def __init__(self, orgs, users, weeks):
        self.orgs = orgs
        self.users = users
        self.weeks = weeks

    @property
    def national(self):
        return self.weeks["2020-national"]

    @property
    def jiangsu(self):
        return self.weeks["2020-jiangsu"]

    def org(self, code):
        return self.orgs[code]

    def user(self, username):
        return self.users[username]


@pytest.fixture
def client_for(client):
    """Log a demo user in: client_for(demo.user("jiangsu_admin"))."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# -- the browser -------------------------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright. Missing: a failure when REQUIRE_BROWSER=1 (CI), else a skip."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    project = Path(__file__).resolve().parent.parent
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("TMPDIR", "tmp")):
        path = project / "var" / "chromium" / sub
        path.mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(path)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page (390×844, touch), closed after the test."""
    context = browser.new_context(**PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desk_page(browser):
    """A laptop-sized page (1366×800)."""
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    yield page
    context.close()


def login_in_browser(page, live_server, username, password="eventweek2020"):
    """Sign a demo user in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
