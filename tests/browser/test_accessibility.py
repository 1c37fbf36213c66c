"""axe-core on every main page, for every role: no serious or critical violations.

The pages are every GET route of the application that answers a role with an HTML page,
filled with real records built through the operations (the same records the access test
uses), so a new page is checked as soon as it is added to the access matrix."""

import json
import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from licensing.permissions import AUTHENTICATED, PUBLIC, roles_granted
from tests.browser.axe import describe, serious, violations
from tests.browser.conftest import ACCOUNTS, ARTEFACTS
from tests.test_access import _routes, _sample_records, _url

ROLE_ACCOUNTS = {"officer": "officer", "panel": "chair", "manager": "manager", "admin": "admin"}
TITLE = re.compile(r"^(Error: )?(?P<where>.+) – Taxi licensing – Example Borough Council$")
# The pages the navigation leads to (and the signed-out ones): every other page has breadcrumbs.
TOP_LEVEL = {"main.index", "main.home", "holders.index", "reviews.queue", "hearings.index", "training.queue",
             "training.index", "admin.audit", "admin.users", "main.accessibility", "public_register.index",
             "auth.password", "reports.index", "revocations.index", "bodies.index", "safeguarding.concerns",
             # The licence holder's own service: its home and the pages of signing in to it.
             "portal.home", "portal.sign_up", "portal.check_email", "portal.confirm_email", "portal.sign_in",
             "portal.sign_in_code", "portal.reset_request", "portal.reset_password"}
# Dates are shown as "3 March 2016", never as 2016-03-03 or 03/03/2016 (codes such as SG-2016-03-03 aside).
MACHINE_DATE = re.compile(r"(?<![\w-])(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b")
# Pages that are steps of signing in, answered only part-way through it.
SIGN_IN_STEPS = {"auth.two_factor", "auth.enrol", "auth.login", "sso.start", "sso.callback"}


@pytest.fixture(scope="module")
def page_records(live_server):
    return _sample_records(live_server.app, ACCOUNTS["officer"]["email"])


def _pages_for(app, role, records):
    for rule in _routes(app):
        if "GET" not in rule.methods or rule.endpoint in SIGN_IN_STEPS or rule.rule.startswith("/api/"):
            continue
        access = app.view_functions[rule.endpoint].access_rule
        if access in (PUBLIC, AUTHENTICATED) or role in roles_granted(access):
            yield rule.endpoint, _url(rule, records)


def _usability_problems(page, endpoint):
    """Where the page does not say where you are, cannot lead back up, or shows a machine date."""
    problems = []
    title = TITLE.match(page.title())
    if not title or title["where"].strip() in ("", "Taxi licensing"):
        problems.append(f"title {page.title()!r}")
    if endpoint not in TOP_LEVEL and page.locator("nav.govuk-breadcrumbs").count() == 0:
        problems.append("no breadcrumbs")
    shown = page.locator("main").inner_text()
    if MACHINE_DATE.search(shown):
        problems.append(f"date shown as {MACHINE_DATE.search(shown).group(0)}")
    return problems


def _check_pages(browsing, page, urls):
    checked, failures, summary = [], {}, {}
    for endpoint, url in urls:
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file download (letter, evidence, export), not a page
            raise
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        found = violations(page)
        checked.append(endpoint)
        summary[endpoint] = [{"id": v["id"], "impact": v["impact"]} for v in found]
        problems = [f"axe {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in serious(found)]
        problems += _usability_problems(page, endpoint)
        if problems:
            failures[url] = problems
    return checked, failures, summary


@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", sorted(ROLE_ACCOUNTS))
def test_no_serious_or_critical_violations_on_any_page(browsing, page_records, role):
    page = browsing.page(axe=True)
    browsing.sign_in(page, ROLE_ACCOUNTS[role])
    checked, failures, summary = _check_pages(browsing, page, _pages_for(browsing.server.app, role, page_records))
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / f"axe-{role}.json").write_text(json.dumps(summary, indent=1, sort_keys=True))
    assert "main.home" in checked and len(checked) >= 3, checked
    assert failures == {}, describe(failures)


@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
def test_signed_out_pages_have_no_serious_or_critical_violations(browsing):
    page = browsing.page(axe=True)
    urls = [("auth.login", "/auth/login"), ("main.accessibility", "/accessibility"),
            ("public_register.index", "/public-register/"),
            ("decision_register.index", "/public-register/decisions/"), ("not_found", "/no-such-page")]
    found_all = {}
    for name, url in urls:
        page.goto(url)
        found = serious(violations(page))
        if found:
            found_all[name] = found
    assert found_all == {}, describe(found_all)
