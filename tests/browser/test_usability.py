"""Usability details in a real browser: GOV.UK error summaries that move focus and link to their
fields, the browser's Back button after a saved form, the print stylesheet for a case, sorting
without JavaScript, and the accessibility statement. What the browser shows does not depend on
the database engine, so these run on SQLite only; the journeys run on both."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from licensing.extensions import db
from licensing.models import LicenceHolder
from tests.browser.axe import describe, serious, violations
from tests.browser.seed import listed_case, unique_ref
from tests.browser.steps import pdf_text, press_on, tab_to

pytestmark = pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)


def test_error_summary_takes_focus_and_links_to_the_field(browsing):
    page = browsing.page(axe=True)
    browsing.sign_in(page, "officer")
    page.goto("/holders/new")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile("^Error: New licence holder – "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(summary).to_contain_text("Enter the first name")
    assert serious(violations(page)) == [], describe(violations(page))
    link = summary.get_by_role("link", name="Enter the first name")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.locator("#first_name")).to_be_focused()
    expect(page.locator("#first_name-error")).to_contain_text("Enter the first name")


def test_back_after_saving_returns_to_the_form_without_saving_twice(browsing):
    page = browsing.page()
    browsing.sign_in(page, "officer")
    page.goto("/holders/")
    page.get_by_role("link", name="New licence holder").click()
    last_name = unique_ref("Backtest")
    page.locator("#first_name").fill("Ada")
    page.locator("#last_name").fill(last_name)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text(f"Ada {last_name}")
    # Breadcrumbs lead back up; the browser's Back button goes back to the form page.
    expect(page.locator(".govuk-breadcrumbs")).to_contain_text("Licence holders")
    page.go_back()
    expect(page).to_have_title(re.compile("^New licence holder – "))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/holders/$"))
    with browsing.server.app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).where(LicenceHolder.last_name == last_name))
        assert count == 1


def test_a_case_prints_without_the_service_chrome_or_forms(browsing):
    case = listed_case(browsing.server, unique_ref("PRN"))
    page = browsing.page()
    browsing.sign_in(page, "officer")
    page.goto(f"/reviews/cases/{case['case_id']}")
    expect(page.locator(".govuk-generic-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".govuk-generic-header")).to_be_hidden()
    expect(page.locator(".app-account-bar")).to_be_hidden()
    expect(page.locator("main form").first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    text = " ".join(pdf_text(page.pdf(format="A4")).split())
    assert f"Case {case['case_ref']}" in text and case["holder_name"] in text, text[:300]
    assert "Sign out" not in text and "Update case status" not in text, text
    page.emulate_media(media="screen")
    browsing.screenshot(page, "case-page")


def test_case_list_sorts_by_column_without_javascript(browsing):
    for ref in (unique_ref("SORTA"), unique_ref("SORTB")):
        listed_case(browsing.server, ref)
    page = browsing.page(javascript=False)
    browsing.sign_in(page, "manager")
    page.goto("/reviews/cases")
    header = page.get_by_role("columnheader", name=re.compile("^Due"))
    press_on(page, header.get_by_role("link"))
    expect(page).to_have_url(re.compile(r"sort=due&direction=ascending"))
    expect(page.get_by_role("columnheader", name=re.compile("^Due"))).to_have_attribute("aria-sort", "ascending")
    dues = page.locator("tbody tr td:nth-child(6)").all_inner_texts()
    assert dues, "no cases listed"
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", due) for due in dues), dues


def test_accessibility_statement_states_the_standard_and_how_it_was_tested(browsing):
    page = browsing.page()
    page.goto("/")
    footer_link = page.get_by_role("link", name="Accessibility statement")
    press_on(page, footer_link)
    expect(page).to_have_url(re.compile("/accessibility$"))
    main = page.locator("main")
    expect(main).to_contain_text("Web Content Accessibility Guidelines version 2.2 AA standard")
    expect(main).to_contain_text("partially compliant")
    expect(main).to_contain_text("axe-core")
    expect(main).to_contain_text("keyboard alone")


def test_a_content_security_policy_refusal_would_be_caught(browsing):
    """The journeys run with the page's real CSP and fail on any refusal; prove that one is seen."""
    page = browsing.page()
    page.goto("/accessibility")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1';
                          document.body.appendChild(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.inlineRan") is None
    assert any("Content Security Policy" in text for _, text in browsing.csp_errors())
    browsing.console.clear()  # expected here; any other refusal still fails its test
