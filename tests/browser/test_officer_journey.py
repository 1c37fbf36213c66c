"""An officer registers a driver with a licence and checks, uploads the DBS certificate, records
police intelligence, opens a review case, lists it for a hearing and issues the notice."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.axe import describe, serious, violations
from tests.browser.steps import PDF_BYTES, download, fill_date, govuk_date, pdf_text, press_on, today, type_into

CHECKS = [
    ("dbs_enhanced", "clear"), ("dbs_update_service", "clear"), ("medical_group2", "pass"), ("dvla", "pass"),
    ("right_to_work", "pass"), ("nr3s_search", "no_match"), ("safeguarding_training", "pass"),
]


def _record_check(page, kind, result):
    page.get_by_role("link", name="Record a check").click()
    expect(page).to_have_title(re.compile("^Record a compliance check"))
    page.locator(f"input[name=kind][value={kind}]").check()  # which check first, then its own form
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#kind")).to_have_value(kind)
    fill_date(page, "completed_on", today() - dt.timedelta(days=3))
    if kind not in ("nr3s_search", "right_to_work"):
        fill_date(page, "expires_on", today() + dt.timedelta(days=365))
    page.locator("#result").select_option(result)
    page.locator("#reference").fill(f"REF-{kind.upper()}")
    if kind == "dbs_enhanced":
        page.locator("#barred_lists_checked").check()
    page.get_by_role("button", name="Record check").click()
    expect(page.locator("h1")).to_have_text("Mary Keyes")


def test_officer_registers_a_driver_and_takes_the_case_to_a_hearing(browsing):
    page = browsing.page(axe=True)
    browsing.sign_in(page, "officer", keyboard=True)

    # A new holder, from the navigation, typed in from the keyboard.
    press_on(page, page.get_by_role("link", name="New licence holder"))
    expect(page).to_have_title(re.compile("^New licence holder – Taxi licensing"))
    type_into(page, page.locator("#first_name"), "Mary")
    page.keyboard.press("Tab")
    page.keyboard.type("Keyes")
    expect(page.locator("#last_name")).to_have_value("Keyes")
    type_into(page, page.locator("#date_of_birth-day"), "3")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("1979")
    page.locator("#address").fill("4 Mill Lane, Exampleton")
    page.locator("#postcode").fill("EX1 2AB")
    page.locator("#email").fill("mary.keyes@example.com")
    page.locator("#dvla_licence_number").fill("KEYES703039MK9AB")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Mary Keyes")
    expect(page.locator("main")).to_contain_text("3 March 1979")
    holder_url = page.url
    holder_ref = page.locator(".govuk-caption-l").inner_text().split("·")[0].strip()

    # A private hire driver licence application.
    page.get_by_role("link", name="New licence application").click()
    page.locator("#licence_type").select_option("private_hire_driver")
    page.locator("#licence_number").fill("PHD-BR-0001")
    fill_date(page, "received_on", today() - dt.timedelta(days=5))
    page.locator("#badge_number").fill("B-0001")
    page.get_by_role("button", name="Record application").click()
    expect(page.locator("main")).to_contain_text("PHD-BR-0001")
    licence_url = page.url

    # Every check the policy requires of a driver, then the DBS certificate itself.
    page.goto(holder_url)
    for kind, result in CHECKS:
        _record_check(page, kind, result)
    page.get_by_role("link", name=re.compile("Upload evidence for Enhanced DBS certificate")).click()
    expect(page).to_have_title(re.compile("^Upload evidence"))
    page.locator("#evidence").set_input_files(
        files=[{"name": "dbs-certificate.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="dbs-certificate.pdf")).to_be_visible()

    # With the checks in, the licence is granted under delegated powers.
    page.goto(licence_url)
    page.get_by_role("link", name=re.compile("Grant, refuse or defer|Decide|Record a decision")).first.click()
    page.get_by_label("Grant").check()
    fill_date(page, "decided_on", today())
    fill_date(page, "expires_on", today() + dt.timedelta(days=3 * 365))
    page.locator("#reasons").fill("All checks satisfactory.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Application granted")
    expect(page.locator(".govuk-panel__body")).to_have_text(re.compile(r"^\s*Licence PHD-BR-0001\s*Mary Keyes\s*$"))
    expect(page.locator("main")).to_contain_text("Active, expires")

    # Police intelligence, restricted, disclosed to a panel.
    page.goto(holder_url)
    page.get_by_role("link", name="Record intelligence").click()
    page.locator("#source").select_option("police")
    page.locator("#grading").fill("B2 P")
    fill_date(page, "received_on", today() - dt.timedelta(days=1))
    page.locator("#summary").fill("Police report concerns about passenger safety on 3 night shifts.")
    page.locator("#disclose_to_panel").check()
    page.get_by_role("button", name="Record intelligence").click()
    expect(page.locator("main")).to_contain_text("Police report concerns about passenger safety")

    # A review case from the reviews work queue, made ready for a decision.
    page.get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name="Open a case").click()
    page.locator("#holder_ref").fill(holder_ref)
    page.locator("#licence_numbers").fill("PHD-BR-0001")
    page.locator("#origin").select_option("police_information")
    page.locator("#summary").fill("Police intelligence about passenger safety")
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Case RC-\d+$"))
    expect(page.locator("main")).to_contain_text("Police intelligence about passenger safety")
    case_ref = page.locator("h1").inner_text().removeprefix("Case ")
    page.locator("#new_state").select_option("awaiting_decision")
    page.locator("#reason").fill("Report written; for a sub-committee")
    page.get_by_role("button", name="Update case status").click()
    expect(page.locator("main")).to_contain_text("Awaiting decision")

    # A hearing with a chair and a member, and the case listed on it.
    hearing_day = today() + dt.timedelta(days=35)
    page.get_by_role("link", name="Hearings").click()
    page.get_by_role("link", name="Schedule a hearing").click()
    fill_date(page, "date", hearing_day)
    page.locator("#time").fill("10:00")
    page.locator("#venue").fill("Committee Room 2")
    page.locator("#chair_id").select_option(label="Councillor Cath Chair")
    page.get_by_role("group", name="Panel members").get_by_label("Councillor Mo Member").check()
    page.get_by_role("button", name="Create hearing").click()
    expect(page.locator("h1")).to_contain_text(govuk_date(hearing_day))
    # Any waiting case is found by its reference (or the holder's name, or a licence number).
    page.locator("#q").fill(case_ref)
    page.get_by_role("button", name="Find cases").click()
    page.locator("label", has_text=f"{case_ref}: Mary Keyes").click()
    page.get_by_role("button", name="List case").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("notice of hearing issued")

    # The notice of hearing, read back from the PDF.
    page.get_by_role("link", name=re.compile("Police intelligence about passenger safety")).click()
    name, content = download(page, lambda: page.get_by_role("link", name=re.compile(r"\.pdf$")).first.click())
    text = " ".join(pdf_text(content).split())
    assert "Mary Keyes" in text and "Committee Room 2" in text, text[:500]
    assert govuk_date(hearing_day) in text, text[:800]
    assert serious(violations(page)) == [], describe(violations(page))
    browsing.screenshot(page, "officer-journey")
