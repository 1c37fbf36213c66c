"""An officer's day in a real browser, with the keyboard alone and on a 390 px phone screen: each
role's home page, the holder page's "fit to work today" summary, immediate action from the licence
page with its check step, and a DBS renewal recorded in a few clicks from the holder page."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from licensing.extensions import db
from licensing.models import CheckKind, ComplianceCheck, EnforcementAction, Licence, LicenceStatus
from tests.browser.axe import describe, violations
from tests.browser.seed import overdue_driver, unique_ref
from tests.browser.steps import press_on, tab_to

PHONE = {"width": 390, "height": 844}
HOME_HEADINGS = {"officer": "Your review cases", "chair": "Your next hearings", "manager": "Measure 3.A4",
                 "admin": "Scheduled jobs"}


def _no_sideways_scrolling(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


@pytest.mark.parametrize("who", sorted(HOME_HEADINGS))
def test_each_roles_home_page_on_a_phone_with_the_keyboard(browsing, who):
    page = browsing.page(axe=True)
    page.set_viewport_size(PHONE)
    browsing.sign_in(page, who, keyboard=True)
    expect(page.locator("h1")).to_contain_text("Today, ")
    expect(page.locator("main")).to_contain_text(HOME_HEADINGS[who])
    _no_sideways_scrolling(page)
    found = violations(page)
    assert found == [], describe(found)
    # Every link on the page is reachable with Tab, the first of the main content among them.
    first = page.locator("main a.govuk-link").first
    tab_to(page, first)
    browsing.screenshot(page, f"home-{who}-phone")


def test_fit_to_work_summary_is_on_the_first_phone_screen(browsing):
    driver = overdue_driver(browsing.server, unique_ref("FTW"))
    page = browsing.page(axe=True)
    page.set_viewport_size(PHONE)
    browsing.sign_in(page, "officer")
    page.goto(f"/holders/{driver['holder_id']}")
    summary = page.locator("#fit-to-work")
    expect(summary).to_contain_text("Not fit to work today")
    box = summary.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] * 1.5, box  # the answer, not five screens down
    assert box["y"] < PHONE["height"], box
    _no_sideways_scrolling(page)
    found = violations(page)
    assert found == [], describe(found)
    browsing.screenshot(page, "holder-fit-to-work-phone")


def test_immediate_action_from_the_licence_page_with_the_keyboard(browsing):
    driver = overdue_driver(browsing.server, unique_ref("IMA"))
    page = browsing.page(axe=True)
    browsing.sign_in(page, "officer", keyboard=True)
    page.goto(f"/holders/licences/{driver['licence_id']}")
    press_on(page, page.get_by_role("link", name="Suspend or revoke with immediate effect"))
    expect(page.locator("h1")).to_have_text("Suspend or revoke with immediate effect")
    tab_to(page, page.locator("#kind"))  # a radio group is one Tab stop: the arrows choose within it
    page.keyboard.press("ArrowDown")  # revocation: no end date to give
    expect(page.locator("#kind-2")).to_be_checked()
    tab_to(page, page.locator("#grounds"))
    page.keyboard.type("Arrested for a serious sexual offence against a passenger")
    tab_to(page, page.locator("#public_safety_reason"))
    page.keyboard.type("Risk to passengers while the police investigate")
    select = page.locator("#authorised_by_id")
    tab_to(page, select)
    select.select_option(index=1)
    press_on(page, page.get_by_role("button", name="Continue"))
    expect(page.locator("h1")).to_have_text("Check before you revoke this licence")
    found = violations(page)
    assert found == [], describe(found)
    with browsing.server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EnforcementAction).where(
            EnforcementAction.licence_id == driver["licence_id"])) == 0
    press_on(page, page.get_by_role("button", name="Confirm: revoke now"))
    expect(page.locator("main")).to_contain_text("is now revoked")
    with browsing.server.app.app_context():
        assert db.session.get(Licence, driver["licence_id"]).status == LicenceStatus.REVOKED


def test_a_dbs_renewal_takes_at_most_four_clicks_from_the_holder_page(browsing):
    driver = overdue_driver(browsing.server, unique_ref("DBS"))
    page = browsing.page(axe=True)
    page.set_viewport_size(PHONE)
    browsing.sign_in(page, "officer")
    page.goto(f"/holders/{driver['holder_id']}")
    clicks = 0
    page.get_by_role("link", name="Record a check").first.click()
    clicks += 1
    # First which check: the enhanced DBS certificate, the commonest renewal, is already chosen.
    expect(page.locator("input[name=kind][value=dbs_enhanced]")).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    clicks += 1
    expect(page.locator("#kind")).to_have_value("dbs_enhanced")
    expect(page.locator("#result")).to_have_value("clear")  # the default is one this check allows
    today = dt.date.today()
    page.locator("#completed_on-day").fill(str(today.day))
    page.locator("#completed_on-month").fill(str(today.month))
    page.locator("#completed_on-year").fill(str(today.year))
    page.locator("#reference").fill("001234567890")
    page.get_by_label(re.compile("barred lists checked")).check()
    clicks += 1
    _no_sideways_scrolling(page)
    found = violations(page)
    assert found == [], describe(found)
    page.get_by_role("button", name="Record check").click()
    clicks += 1
    expect(page.locator("main")).to_contain_text("Enhanced DBS certificate recorded")
    assert clicks <= 4
    with browsing.server.app.app_context():
        check = db.session.execute(sa.select(ComplianceCheck).filter_by(reference="001234567890")).scalar_one()
        assert check.kind == CheckKind.DBS_ENHANCED and check.holder_id == driver["holder_id"]


def test_the_audit_trail_fits_the_page_on_a_desktop_screen(browsing):
    """Finding 9: the audit table, with its long changes and reasons, stays inside the page."""
    from licensing.audit import record

    driver = overdue_driver(browsing.server, unique_ref("AUD"))
    with browsing.server.app.app_context():  # a row as long as real ones get: a change and its reason
        record(None, "holder.update", entity_type="licence_holders", entity_id=driver["holder_id"],
               holder_id=driver["holder_id"], before={"address": "Flat 1, " + "Long Street Name " * 8},
               after={"address": "Flat 2, " + "Another-Very-Long-Street-Name" * 4},
               reason="Corrected after the holder's letter " + "reference-" * 12)
        db.session.commit()
        db.session.remove()
    page = browsing.page()
    page.set_viewport_size({"width": 1280, "height": 900})
    browsing.sign_in(page, "admin")
    page.goto("/admin/audit")
    expect(page.locator("h1")).to_contain_text("Audit")
    expect(page.locator("main table tbody tr").first).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280, f"the audit trail is {width} px wide on a 1280 px screen"
    table = page.evaluate("() => document.querySelector('main table').getBoundingClientRect().right")
    main = page.evaluate("() => document.querySelector('main').getBoundingClientRect().right")
    assert table <= main + 1, f"the table ends at {table} px, outside the page at {main} px"
