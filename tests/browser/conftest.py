"""Browser tests: the application served on loopback by a real HTTP server in a thread, on a
real database (SQLite and PostgreSQL), driven by Debian's Chromium through Playwright.

One server per database engine and one browser for the whole run; each test gets fresh
browser contexts, so cookies never leak between journeys. The browser is never downloaded:
a machine without /usr/bin/chromium skips these tests, except under CI=true where it fails."""

import datetime as dt
import os
import pathlib
import re
import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from licensing.extensions import db
from tests.conftest import TEST_PASSWORD, _migrate, build_app, make_user, totp_code_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ROOT = pathlib.Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = ROOT / "test-artefacts"
TIMEOUT_MS = 8_000

# The accounts every journey signs in with, one per role (the officer with clearance).
ACCOUNTS = {
    "officer": dict(role="officer", email="olive.officer@browser.example.gov.uk", name="Olive Officer",
                    clearance=True),
    "chair": dict(role="panel", email="cath.chair@browser.example.gov.uk", name="Councillor Cath Chair"),
    "member": dict(role="panel", email="mo.member@browser.example.gov.uk", name="Councillor Mo Member"),
    "outsider": dict(role="panel", email="ola.outsider@browser.example.gov.uk", name="Councillor Ola Outsider"),
    "manager": dict(role="manager", email="mia.manager@browser.example.gov.uk", name="Mia Manager"),
    "admin": dict(role="admin", email="adam.admin@browser.example.gov.uk", name="Adam Admin"),
}


@pytest.fixture(scope="session")
def playwright_browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class QuietHandler(WSGIRequestHandler):
    """The application logs each request itself; werkzeug's access line would repeat it."""

    def log_request(self, code="-", size="-"):
        pass


class LiveServer:
    """The application on 127.0.0.1 at a free port, served by werkzeug in a thread."""

    def __init__(self, app, engine):
        self.app = app
        self.engine = engine
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=10)
        with self.app.app_context():
            db.engine.dispose()


def _seed_accounts(app):
    from licensing.models import User
    from licensing.reviews.operations.guidance import ensure_bundled_edition
    from tests.support.hearings import default_body

    with app.app_context():
        for account in ACCOUNTS.values():
            make_user(account["role"], email=account["email"], name=account["name"],
                      clearance=account.get("clearance", False))
        officer = db.session.query(User).filter_by(email=ACCOUNTS["officer"]["email"]).one()
        ensure_bundled_edition(officer)
        default_body(officer)
        db.session.commit()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def live_server(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("browser-db") / "licensing.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres").create_database("licensing_browser")
        _migrate(url)
    # CSRF stays on: the browser submits the real forms with their tokens.
    app = build_app(url, WTF_CSRF_ENABLED=True)
    _seed_accounts(app)
    server = LiveServer(app, request.param).start()
    yield server
    server.stop()


class Browsing:
    """Helpers bound to one live server and the shared browser."""

    def __init__(self, browser, server):
        self.browser = browser
        self.server = server
        self.contexts = []
        self.console = []  # (page url, message) for every console error, to find CSP refusals

    def context(self, javascript=True, axe=False):
        context = self.browser.new_context(base_url=self.server.url, java_script_enabled=javascript,
                                           accept_downloads=True, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        if axe:
            # An init script is added by the browser itself, so the page's own CSP stays in force.
            context.add_init_script(path=str(AXE_SCRIPT))
        self.contexts.append(context)
        return context

    def page(self, javascript=True, axe=False):
        page = self.context(javascript=javascript, axe=axe).new_page()
        page.on("console", lambda message: message.type == "error"
                and self.console.append((page.url, message.text)))
        page.on("pageerror", lambda error: self.console.append((page.url, str(error))))
        return page

    def sign_in(self, page, who, keyboard=False):
        """Sign in as one of ACCOUNTS through the password and authenticator pages."""
        account = ACCOUNTS[who]
        page.goto("/auth/login")
        if keyboard:
            focus_field(page, "#email")
            page.keyboard.type(account["email"])
            page.keyboard.press("Tab")
            page.keyboard.type(TEST_PASSWORD)
            page.keyboard.press("Enter")
        else:
            page.locator("#email").fill(account["email"])
            page.locator("#password").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/auth/two-factor$"))
        code = totp_code_for(self.server.app, account["email"])
        if keyboard:
            focus_field(page, "#code")
            page.keyboard.type(code)
            page.keyboard.press("Enter")
        else:
            page.locator("#code").fill(code)
            page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/home$"))

    def screenshot(self, page, name):
        ARTEFACTS.mkdir(exist_ok=True)
        path = ARTEFACTS / f"{name}-{self.server.engine}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def csp_errors(self):
        return [(url, text) for url, text in self.console
                if "Content Security Policy" in text or "Content-Security-Policy" in text]

    def close(self):
        for context in self.contexts:
            context.close()


def focus_field(page, selector):
    """Move focus to a field by pressing Tab, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector!r}")


@pytest.fixture
def browsing(playwright_browser, live_server):
    helper = Browsing(playwright_browser, live_server)
    yield helper
    helper.close()
    assert helper.csp_errors() == [], f"the Content Security Policy refused something: {helper.csp_errors()}"


def today():
    return dt.date.today()
