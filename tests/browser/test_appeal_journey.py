"""An officer records a driver's appeal against a revocation and the court's outcome; the
licence status follows the outcome."""

import datetime as dt
import re

from playwright.sync_api import expect

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.models import Licence, LicenceStatus
from tests.browser.axe import describe, serious, violations
from tests.browser.seed import pending_revocation, unique_ref
from tests.browser.steps import fill_date, press_on, today, type_into


def test_officer_records_an_appeal_and_its_outcome_and_the_licence_follows(browsing):
    case = pending_revocation(browsing.server, unique_ref("APL"))
    page = browsing.page(axe=True)
    browsing.sign_in(page, "officer", keyboard=True)

    # The revocation waits for the appeal period; the licence is still active.
    press_on(page, page.get_by_role("link", name="Revocations and appeals"))
    row = page.locator("tbody tr").filter(has_text=case["holder_name"])
    row.get_by_role("link", name=re.compile("^Revo")).click()
    expect(page.locator("main")).to_contain_text("Repeated drink driving")
    licence_status = page.locator(".govuk-summary-list__row", has_text="Licence status")
    expect(licence_status).to_contain_text("Active")

    # The driver appeals to the magistrates' court within the 21 days.
    fill_date(page, "lodged_on", today())
    type_into(page, page.locator("#court_reference"), "MC-2026-0415")
    page.locator("#grounds").fill("The driver says the convictions were spent.")
    page.get_by_role("button", name="Record appeal").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Appeal recorded")
    expect(page.locator("h1")).to_contain_text("Appeal")
    expect(page.locator("main")).to_contain_text("MC-2026-0415")

    # The court dismisses it, with costs to the council: the revocation takes effect that day.
    page.get_by_label("Dismissed").check()
    fill_date(page, "decided_on", today())
    page.locator("#costs_direction").select_option("for_council")
    page.locator("#costs").fill("525")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Outcome recorded")
    expect(page.locator("main")).to_contain_text(f"Dismissed on {today().day} {today():%B %Y}")
    expect(page.locator("main")).to_contain_text("£525.00")

    # The nightly update applies what the action page already shows for today.
    with browsing.server.app.app_context():
        run_job("enforcement_effects", today())
        db.session.remove()
    page.goto(f"/revocations/actions/{case['action_id']}")
    expect(page.locator(".govuk-summary-list__row", has_text="Licence status")).to_contain_text("Revoked")
    with browsing.server.app.app_context():
        assert db.session.get(Licence, case["licence_id"]).status == LicenceStatus.REVOKED
    assert serious(violations(page)) == [], describe(violations(page))
    browsing.screenshot(page, "appeal-journey")


def test_an_allowed_appeal_cancels_the_revocation_and_the_licence_stays_active(browsing):
    case = pending_revocation(browsing.server, unique_ref("APA"))
    page = browsing.page()
    browsing.sign_in(page, "officer")
    page.goto(f"/revocations/actions/{case['action_id']}")
    fill_date(page, "lodged_on", today() - dt.timedelta(days=0))
    page.get_by_role("button", name="Record appeal").click()
    page.get_by_label("Allowed").check()
    fill_date(page, "decided_on", today())
    page.get_by_role("button", name="Record outcome").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Outcome recorded")
    with browsing.server.app.app_context():
        run_job("enforcement_effects", today() + dt.timedelta(days=30))  # well past the appeal period
        db.session.remove()
    page.goto(f"/revocations/actions/{case['action_id']}")
    expect(page.locator("main")).to_contain_text("cancelled on appeal")
    with browsing.server.app.app_context():
        assert db.session.get(Licence, case["licence_id"]).status == LicenceStatus.ACTIVE
