"""Panel members and the decision maker: only their hearings, the agenda and a bundle, the
panel's proposal, the decision with immediate effect and its letter; and the not-found page
for anything outside their hearings."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from licensing.extensions import db
from licensing.models import Licence, LicenceStatus
from tests.browser.axe import describe, serious, violations
from tests.browser.seed import listed_case, unique_ref
from tests.browser.steps import download, govuk_date, pdf_text, press_on, tab_to, type_into


def test_panel_member_prepares_by_keyboard_alone_and_proposes_a_decision(browsing):
    mine = listed_case(browsing.server, unique_ref("PANA"), venue="Committee Room 3", days_ahead=0)
    other = listed_case(browsing.server, unique_ref("PANB"), chair="outsider", panel=(), venue="Committee Room 9")
    page = browsing.page(axe=True)
    browsing.sign_in(page, "member", keyboard=True)
    # The inline script GOV.UK Frontend needs ran under the Content Security Policy (it carries the nonce).
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))

    # My hearings lists the hearing the member sits on, and not the other one.
    press_on(page, page.get_by_role("link", name="My hearings"))
    expect(page).to_have_title(re.compile("^My hearings – "))
    expect(page.locator("main")).to_contain_text("Committee Room 3")
    expect(page.locator("main")).not_to_contain_text("Committee Room 9")
    assert f"/hearings/{other['hearing_id']}\"" not in page.content()

    # The agenda, then the bundle page of the case.
    press_on(page, page.get_by_role("row").filter(has_text="Committee Room 3").get_by_role("link"))
    expect(page.locator("h1")).to_contain_text(govuk_date(mine["hearing_date"]))
    press_on(page, page.get_by_role("link", name=re.compile(f"Passenger complaints about {mine['case_ref']}|"
                                                              f"{mine['case_ref']}")).first)
    expect(page.locator("h1")).to_contain_text(mine["holder_name"])
    expect(page.locator("main")).to_contain_text("Witness statement")
    expect(page.locator("main")).to_contain_text("Drink driving")

    # The whole bundle as one PDF, opened with Enter.
    link = page.get_by_role("link", name="Download the bundle (PDF)")
    tab_to(page, link)
    _, content = download(page, lambda: page.keyboard.press("Enter"))
    text = pdf_text(content)
    assert mine["holder_name"] in text and "OFFICIAL-SENSITIVE" in text, text[:400]

    # The panel's proposal: choose from the list by typing, submit with Enter.
    select = page.locator("#proposed_outcome")
    tab_to(page, select)
    page.keyboard.type("Warning")
    expect(select).to_have_value("warning")
    press_on(page, page.get_by_role("button", name="Record the proposal"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Proposed decision recorded")
    expect(page.locator("main")).to_contain_text("Warning (proposed by Councillor Mo Member)")
    assert serious(violations(page)) == [], describe(violations(page))
    browsing.screenshot(page, "panel-member-journey")


def test_decision_maker_decides_with_immediate_effect_without_javascript(browsing):
    case = listed_case(browsing.server, unique_ref("DEC"), venue="Committee Room 4", days_ahead=0)
    page = browsing.page(javascript=False)
    browsing.sign_in(page, "chair")
    # The page's own scripts never ran: GOV.UK Frontend's marker class is missing.
    assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")

    page.get_by_role("link", name="My hearings").click()
    page.get_by_role("row").filter(has_text="Committee Room 4").get_by_role("link").click()
    page.get_by_role("link", name=re.compile(case["case_ref"])).click()
    expect(page.locator("h1")).to_contain_text(case["holder_name"])

    # Revocation with immediate effect, on the keyboard where a person would use it.
    page.locator("#outcome").select_option("revoke")
    type_into(page, page.locator("#reasons"), "Drove passengers after drinking; the public must be protected.")
    tab_to(page, page.locator("#immediate"))
    page.keyboard.press("Space")
    expect(page.locator("#immediate")).to_be_checked()
    page.locator("#public_safety_reason").fill("Risk to passengers if the licence runs during an appeal.")
    tab_to(page, page.locator("#safeguarding_or_road_safety"))
    page.keyboard.press("Space")
    page.get_by_role("button", name="Issue decision").click()

    # The confirmation page, and the letter read back from its PDF.
    expect(page).to_have_title(re.compile(r"^Decision issued: case "))
    expect(page.locator(".govuk-panel")).to_contain_text("Revoke")
    expect(page.locator(".govuk-panel")).not_to_contain_text("<")  # markup rendered, not shown
    expect(page.locator("main")).to_contain_text("Immediately")
    _, content = download(page, lambda: page.get_by_role("link", name="Download the decision letter (PDF)").click())
    text = " ".join(pdf_text(content).split())
    assert case["holder_name"] in text and "Drove passengers after drinking" in text, text[:600]
    assert "immediate" in text.lower() and "61(2B)" in text, text[:1500]
    # Those listed to sit were ticked as present; the letter names the body, how it decided and who sat.
    assert re.search(r"Decided by the Licensing sub-committee by a majority of \d to 0\. Members present: ", text), \
        text[-1500:]
    with browsing.server.app.app_context():
        status = db.session.execute(sa.select(Licence.status).filter_by(id=case["licence_id"])).scalar_one()
        assert status == LicenceStatus.REVOKED
    browsing.screenshot(page, "decision-maker-journey")


def test_panel_member_outside_their_hearings_gets_the_not_found_page(browsing):
    mine = listed_case(browsing.server, unique_ref("NFA"))
    other = listed_case(browsing.server, unique_ref("NFB"), chair="outsider", panel=())
    page = browsing.page()
    browsing.sign_in(page, "member")
    for url in (f"/reviews/cases/{other['case_id']}", f"/hearings/{other['hearing_id']}",
                f"/hearings/listings/{other['listing_id']}", f"/hearings/listings/{other['listing_id']}/decided"):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page).to_have_title(re.compile("^Page not found – "))
        expect(page.locator("h1")).to_have_text("Page not found")
    # The same kind of address for a case on the member's own hearing works.
    assert page.goto(f"/hearings/listings/{mine['listing_id']}").status == 200
    page.goto(f"/reviews/cases/{other['case_id']}")
    browsing.screenshot(page, "panel-not-found")
