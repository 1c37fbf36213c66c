"""An officer works the due-and-overdue queue and confirms a suspension until the driver's
training and checks are complete, by keyboard alone: Tab, typing, Space and Enter."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from licensing.extensions import db
from licensing.models import ComplianceFlag, FlagStatus, Licence, LicenceStatus
from tests.browser.axe import describe, serious, violations
from tests.browser.seed import overdue_driver, unique_ref
from tests.browser.steps import pdf_text, press_on, tab_to, type_into


def test_officer_chases_the_queue_and_suspends_until_compliant_by_keyboard(browsing):
    driver = overdue_driver(browsing.server, unique_ref("QX"))
    ref = driver["licence_number"].removeprefix("L-")
    page = browsing.page(axe=True)
    browsing.sign_in(page, "officer", keyboard=True)

    press_on(page, page.get_by_role("link", name="Compliance and training"))
    expect(page.locator("h1")).to_have_text("Due and overdue")

    # Only hackney carriage drivers: chosen by typing into the list.
    type_into(page, page.locator("#licence_type"), "Hackney carriage d")
    expect(page.locator("#licence_type")).to_have_value("hackney_carriage_driver")
    press_on(page, page.get_by_role("button", name="Filter"))
    expect(page).to_have_url(re.compile("licence_type=hackney_carriage_driver"))
    rows = page.locator("tbody tr").filter(has_text=driver["licence_number"])
    expect(rows.first).to_contain_text("days overdue")

    # Mark the safeguarding item as chased.
    checkbox = page.get_by_label(re.compile(f"Select {ref} Safeguarding children and vulnerable adults training"))
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    tab_to(page, page.locator("#action"), backwards=True)  # the bulk action sits above the items
    page.keyboard.type("Mark")
    expect(page.locator("#action")).to_have_value("chase")
    press_on(page, page.get_by_role("button", name="Apply to selected"))
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    expect(page.locator("tbody tr").filter(has_text="Safeguarding children and vulnerable adults training")
           ).to_contain_text("Chased")

    # The proposed suspension until compliant, confirmed with a reason.
    press_on(page, page.get_by_role("link", name="Suspensions until compliant"))
    expect(page.locator("h1")).to_have_text("Suspensions until compliant")
    proposal = page.get_by_label(f"Select {driver['licence_number']}", exact=True)
    tab_to(page, proposal)
    page.keyboard.press("Space")
    expect(proposal).to_be_checked()
    type_into(page, page.locator("#reason"), "Safeguarding training and checks overdue; suspended until complete.")
    press_on(page, page.get_by_role("button", name="Continue"))

    # Check before suspending, then the confirmation page with the notice letter.
    expect(page.locator("h1")).to_have_text("Check before suspending 1 licence")
    expect(page.locator("main")).to_contain_text(driver["licence_number"])
    expect(page.locator("main")).to_contain_text("Safeguarding training and checks overdue")
    press_on(page, page.get_by_role("button", name="Confirm suspensions"))
    expect(page.locator(".govuk-panel")).to_contain_text("1 licence suspended")
    notice = page.get_by_role("link", name=f"notice letter for {driver['licence_number']}")
    tab_to(page, notice)
    letter = page.request.get(notice.get_attribute("href"))
    text = " ".join(pdf_text(letter.body()).split())
    assert f"Licence number: {driver['licence_number']}" in text, text[:400]
    assert "for any other reasonable cause" in text and "section 77(2)" in text, text[:1200]
    assert "Safeguarding training and checks overdue" in text, text[:800]

    with browsing.server.app.app_context():
        # Suspended for any other reasonable cause: in force until the time to appeal has run.
        assert db.session.get(Licence, driver["licence_id"]).status == LicenceStatus.ACTIVE
        chased = db.session.scalars(sa.select(ComplianceFlag.status).filter_by(
            licence_id=driver["licence_id"], requirement="safeguarding_training")).all()
        assert FlagStatus.CHASED in chased
    assert serious(violations(page)) == [], describe(violations(page))
    browsing.screenshot(page, "compliance-queue-journey")
