"""An officer lists a case whose material the holder has not seen (the agenda warns), discloses a
document and withholds a conviction with its gist (the warning goes), publishes the agenda; the
panel's and the holder's bundles are the same version, and a panel member reads the panel's."""

import datetime as dt
import re

from playwright.sync_api import expect

from licensing.extensions import db
from licensing.hearings import operations as hearing_ops
from licensing.reviews.operations import cases as review_ops
from tests.browser.axe import describe, serious, violations
from tests.browser.seed import _user, unique_ref
from tests.browser.steps import download, fill_date, govuk_date, pdf_text, today
from tests.support.hearings import awaiting_case
from tests.support.pdf import make_pdf
from tests.support.reviews import conviction


def _case_and_hearing(server, ref):
    with server.app.app_context():
        officer = _user("officer")
        case = awaiting_case(officer, ref)
        conviction(case.holder, "dishonesty", dt.date(2018, 2, 1), offence="Theft from a passenger")
        document = review_ops.add_document(officer, case, "Passenger statement", "statement.pdf",
                                           make_pdf("STATEMENT OF THE PASSENGER, PAGE ONE"),
                                           disclose_to_panel=True)
        sitting = hearing_ops.create_hearing(
            officer, dt.datetime.combine(dt.date.today() + dt.timedelta(days=40), dt.time(14)), "Committee Room 7",
            "Licensing sub-committee", _user("chair").id, [_user("member").id],
            date_override_reason="Seeded hearing (may fall on a weekend)")
        db.session.commit()
        return {"case_id": case.id, "document_id": document.id, "hearing_id": sitting.id,
                "holder_name": case.holder.display_name}


def test_officer_discloses_lists_and_publishes_and_the_panel_reads_the_same_version(browsing):
    seeded = _case_and_hearing(browsing.server, unique_ref("DSC"))
    page = browsing.page(axe=True)
    browsing.sign_in(page, "officer")

    # Listing the case warns: the holder has seen none of the panel's material.
    page.goto(f"/hearings/{seeded['hearing_id']}")
    page.locator(f"input[name=case_id][value='{seeded['case_id']}']").check()
    page.get_by_role("button", name="List case").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("2 items of panel material have not been disclosed")
    expect(page.locator("#undisclosed-warning")).to_contain_text("1 case on the agenda has panel material")
    page.get_by_role("link", name=re.compile("Review of")).first.click()
    expect(page.locator("main")).to_contain_text("2 items of panel material have not been disclosed")

    # The disclosure page: the statement in full by post, the conviction withheld with a gist.
    page.get_by_role("link", name="Record disclosure to the licence holder").click()
    page.locator("#item").select_option(f"document:{seeded['document_id']}")
    page.locator("#decision").select_option("disclosed")
    fill_date(page, "disclosed_on", today())
    page.locator("#method").select_option("post")
    page.locator("#extent").fill("full copy")
    page.get_by_role("button", name="Record disclosure").click()
    expect(banner).to_contain_text("Disclosure recorded")
    expect(page.locator("main")).to_contain_text("1 item of panel material has not been disclosed")
    page.locator("#item").select_option(page.locator("#item option", has_text="Conviction").get_attribute("value"))
    page.locator("#decision").select_option("withheld")
    page.locator("#method").select_option("by_hand")
    page.locator("#withheld_reason").fill("The court record names the victim")
    page.locator("#gist").fill("A conviction for dishonesty in 2018")
    page.get_by_role("button", name="Record disclosure").click()
    expect(banner).to_contain_text("Disclosure recorded")
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    assert serious(violations(page)) == [], describe(violations(page))

    # The agenda no longer warns; publishing issues version 1 of both copies.
    page.goto(f"/hearings/{seeded['hearing_id']}")
    expect(page.locator("#undisclosed-warning")).to_have_count(0)
    page.get_by_role("button", name="Publish the agenda and bundles").click()
    expect(banner).to_contain_text("Agenda published: 1 case bundle(s) issued")
    expect(page.locator("main")).to_contain_text("Bundle version 1")
    page.get_by_role("link", name=re.compile("Review of")).first.click()
    expect(page.locator("#bundle-versions")).to_contain_text("Current version: 1")
    expect(page.locator("#bundle-versions")).to_contain_text("The licence holder was sent version 1")
    issued = f"Version 1, issued {govuk_date(today())}"
    _, panel_copy = download(page, lambda: page.get_by_role("link", name="Version 1, panel's copy").click())
    _, holder_copy = download(page, lambda: page.get_by_role("link", name="Version 1, licence holder's copy").click())
    for content in (panel_copy, holder_copy):
        text = " ".join(pdf_text(content).split())
        assert issued in text and "STATEMENT OF THE PASSENGER, PAGE ONE" in text, text[:600]
    holder_text = " ".join(pdf_text(holder_copy).split())
    assert "A conviction for dishonesty in 2018" in holder_text and "Theft from a passenger" not in holder_text
    browsing.screenshot(page, "disclosure-journey-officer")

    # A panel member sitting on the hearing reads the same bundle as published.
    member = browsing.page()
    browsing.sign_in(member, "member")
    member.goto(f"/hearings/{seeded['hearing_id']}")
    member.get_by_role("link", name=re.compile("Review of")).first.click()
    expect(member.locator("#bundle-versions")).to_contain_text("Current version: 1")
    _, read = download(member, lambda: member.get_by_role("link", name="Download the bundle (PDF)").click())
    assert read == panel_copy
    assert "Theft from a passenger" in pdf_text(read)
    browsing.screenshot(member, "disclosure-journey-panel")
