"""The licence holder's own service in a real browser, with the keyboard alone and on a 390 px
phone screen: an applicant signs up, applies for a private hire driver licence with its uploads and
pays through the local fake payment service; an officer verifies each item and grants the licence;
the holder then sees it and what is next due. A licensed holder sends a renewed DBS certificate for
a due item, and the officers' queue shrinks when it is accepted. axe checks every page on the way."""

import datetime as dt
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from licensing.extensions import db
from licensing.models import CheckKind, ComplianceCheck, Licence, LicenceStatus, OnlineApplication, PortalAccount
from tests.browser.axe import describe, violations
from tests.browser.seed import _user, overdue_driver, unique_ref
from tests.browser.steps import PDF_BYTES, tab_to
from tests.support.portal import PASSWORD, code_in, jpeg_with_metadata, last_email

PHONE = {"width": 390, "height": 844}


def _accessible(page):
    """axe finds nothing on the page, and it does not scroll sideways on the phone."""
    found = violations(page)
    assert found == [], (page.url, describe(found))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width} px wide on a {viewport} px screen"


def _type(page, selector, text, clear=False):
    field = tab_to(page, page.locator(selector))
    if clear:
        page.keyboard.press("Control+A")
    page.keyboard.type(text)
    return field


def _date(page, field, day, clear=False):
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        _type(page, f"#{field}-{part}", str(value), clear=clear)


def _choose(page, name, value):
    """Tab into a radio group and move to `value` with the arrow keys, as a keyboard user does."""
    tab_to(page, page.locator(f"input[name={name}]").first)
    for _ in range(10):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no {value!r} in the {name} radios")


def _tick(page, selector):
    tab_to(page, page.locator(selector))
    page.keyboard.press("Space")


def _upload(page, name, content, mime):
    """Reach the file input with Tab, then pick a file (the system's file dialog is not the page's)."""
    field = tab_to(page, page.locator("input[type=file]"))
    field.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])


def _press_and_wait(page, locator):
    tab_to(page, locator)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _submit(page, name):
    _press_and_wait(page, page.get_by_role("button", name=name, exact=True))


def _follow(page, name):
    _press_and_wait(page, page.get_by_role("link", name=name, exact=True))


def _sign_in_holder(browsing, page, email):
    """Password, then the code the service e-mails (read from the outbox, as the holder reads mail)."""
    page.goto("/account/sign-in")
    _type(page, "#email", email)
    _type(page, "#password", PASSWORD)
    _submit(page, "Continue")
    page.wait_for_url(re.compile(r"/account/sign-in/code$"))
    _accessible(page)
    _subject, body = last_email(browsing.server.app, email)
    _type(page, "#code", code_in(body))
    _submit(page, "Sign in")
    page.wait_for_url(re.compile(r"/account/$"))


def _pay_through_the_fake(browsing):
    app = browsing.server.app
    app.config.update(PAY_API_URL=f"{browsing.server.url}/fake-pay", PAY_API_KEY="browser-fake-pay-key")


def test_an_applicant_applies_pays_and_is_granted_a_licence_on_a_phone_with_the_keyboard(browsing):
    _pay_through_the_fake(browsing)
    ref = unique_ref("ONL")
    email = f"{ref.lower()}@example.com"
    page = browsing.page(axe=True)
    page.set_viewport_size(PHONE)

    # Sign up, and confirm the address from the e-mailed link.
    page.goto("/account/create")
    _accessible(page)
    _type(page, "#name", "Łukasz Żółć")
    _type(page, "#email", email)
    _type(page, "#password", PASSWORD)
    _type(page, "#confirm", PASSWORD)
    _submit(page, "Create account")
    expect(page.locator("h1")).to_contain_text("Check your email")
    _accessible(page)
    _subject, body = last_email(browsing.server.app, email)
    page.goto(re.search(r"https?://[^/\s]+(/account/confirm/\S+)", body).group(1))
    expect(page.locator("main")).to_contain_text("Your email address is confirmed")
    _sign_in_holder(browsing, page, email)
    _accessible(page)

    # Apply: choose the licence, answer each section from the task list, upload each document.
    _follow(page, "Apply for a driver licence")  # no licence yet: no account code is needed to apply
    _accessible(page)
    _choose(page, "choice", "private_hire_driver")
    _submit(page, "Continue")
    page.wait_for_url(re.compile(r"/account/applications/\d+$"))
    application_id = int(re.search(r"/applications/(\d+)$", page.url).group(1))
    _accessible(page)

    _follow(page, "About you")
    _accessible(page)
    _type(page, "#first_name", "Łukasz")
    _type(page, "#last_name", "Żółć")
    _date(page, "date_of_birth", dt.date(1988, 4, 2))
    _type(page, "#address", "4 Station Road, Exampleton")
    _type(page, "#postcode", "EX1 4AB")
    _type(page, "#phone", "07700 900123")
    _submit(page, "Save and continue")
    expect(page.locator("#status-about-you")).to_have_text("Completed")

    _follow(page, "Your driving licence")
    _accessible(page)
    _type(page, "#dvla_licence_number", "ZOLCL804028LU9AB")
    _type(page, "#dvla_check_code", "Ab12Cd34")
    _submit(page, "Save and continue")

    _follow(page, "Convictions and cautions")
    _accessible(page)
    _choose(page, "has_convictions", "no")
    _submit(page, "Save and continue")

    _follow(page, "Your DBS certificate")
    _accessible(page)
    _choose(page, "dbs_update_service", "yes")
    _type(page, "#dbs_certificate_number", "001234567890")
    _tick(page, "#dbs_consent")
    _submit(page, "Save and continue")

    documents = page.locator("a.govuk-task-list__link[href*='/documents/']")
    names = documents.all_inner_texts()
    assert len(names) == 4, names
    for name in names:
        _follow(page, name)
        _accessible(page)
        if "photo" in name.lower():
            _upload(page, "face.jpg", jpeg_with_metadata(), "image/jpeg")
        else:
            _upload(page, "document.pdf", PDF_BYTES, "application/pdf")
        _submit(page, "Upload and continue")
        page.wait_for_url(re.compile(rf"/account/applications/{application_id}$"))
    expect(page.locator("main")).not_to_contain_text("Incomplete")

    # Check your answers, declare and send; then pay the fee on the payment service's page.
    _follow(page, "Check your answers and send")
    _accessible(page)
    expect(page.locator("main")).to_contain_text("2 April 1988")
    _tick(page, "#declaration")
    _submit(page, "Send application")
    expect(page.locator(".govuk-panel")).to_contain_text(f"APP-{application_id:06d}")
    _accessible(page)
    _submit(page, "Pay the fee")
    page.wait_for_url(re.compile(r"/fake-pay/pay/"))
    _submit(page, "Pay now")
    page.wait_for_url(re.compile(r"/account/applications/\d+/payments/\d+$"))
    expect(page.locator("main")).to_contain_text("Payment received")
    _accessible(page)

    # The officer verifies each document and grants the licence on the one decision path.
    with browsing.server.app.app_context():
        application = db.session.get(OnlineApplication, application_id)
        licence = db.session.get(Licence, application.licence_id)
        licence_id, licence_number = licence.id, licence.licence_number
        from tests.support import register

        # What the applicant cannot send: the officer's own DVLA, NR3S and training records.
        register.add_required_checks(_user("officer"), licence,
                                     skip=("dbs_enhanced", "medical_group2", "right_to_work"))
        db.session.commit()
        db.session.remove()
    officer = browsing.page(axe=True)
    browsing.sign_in(officer, "officer", keyboard=True)
    officer.goto("/holders/online-applications")
    _accessible(officer)
    _follow(officer, f"APP-{application_id:06d}")
    _accessible(officer)
    item_url = officer.url
    for name in ("Enhanced DBS certificate", "Group 2 medical", "Right to work", "A photo of your face for your badge"):
        _follow(officer, name)
        _accessible(officer)
        first = officer.locator("input[name=result]").first.get_attribute("value")
        _choose(officer, "result", first)
        if name != "Right to work":
            _date(officer, "expires_on", dt.date.today() + dt.timedelta(days=365))
        _submit(officer, "Accept and record the check")
        expect(officer.locator(".govuk-notification-banner")).to_be_visible()
        officer.goto(item_url)
    _follow(officer, f"Licence {licence_number}: decide the application")
    _accessible(officer)
    _press_and_wait(officer, officer.get_by_role("link", name=re.compile(r"^Decide the .* application$")))
    _accessible(officer)
    _choose(officer, "outcome", "granted")
    _type(officer, "#reasons", "Every check is in order")
    _submit(officer, "Record decision")
    expect(officer.locator("h1")).to_have_text("Application granted")
    _accessible(officer)
    with browsing.server.app.app_context():
        assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE
        db.session.remove()

    # The holder sees the licence, active, and what is next due.
    page.goto("/account/")
    expect(page.locator("main")).to_contain_text(licence_number)
    expect(page.locator("main")).to_contain_text("Active")
    expect(page.locator("main")).to_contain_text("Licence renewal")
    _accessible(page)
    browsing.screenshot(page, "holder-granted-phone")


def _linked_account(server, holder_id, email):
    """An account the holder made and an officer linked to their record (as the code on a letter does)."""
    from licensing.auth.passwords import hash_password
    from licensing.models.base import utcnow

    with server.app.app_context():
        db.session.add(PortalAccount(email=email, name="Linked Holder", password_hash=hash_password(PASSWORD),
                                     verified_at=utcnow(), holder_id=holder_id, linked_at=utcnow()))
        db.session.commit()
        db.session.remove()


def test_a_holder_sends_a_medical_for_an_overdue_item_and_the_officers_queue_shrinks(browsing):
    """Under the council's policy a driver's DBS certificate is kept up by the council's own
    Update Service status checks, so the document a holder sends for an overdue item is the
    Group 2 medical."""
    ref = unique_ref("DUE")
    driver = overdue_driver(browsing.server, ref)
    email = f"{ref.lower()}@example.com"
    _linked_account(browsing.server, driver["holder_id"], email)

    page = browsing.page(axe=True)
    page.set_viewport_size(PHONE)
    _sign_in_holder(browsing, page, email)
    _accessible(page)
    expect(page.locator("main")).to_contain_text("5 things are overdue")
    _press_and_wait(page, page.get_by_role("link", name=f"Send a document for Group 2 medical, licence L-{ref}"))
    page.wait_for_url(re.compile(r"/send/medical_group2$"))
    _accessible(page)
    _upload(page, "medical.pdf", PDF_BYTES, "application/pdf")
    _date(page, "completed_on", dt.date.today() - dt.timedelta(days=3))
    _date(page, "expires_on", dt.date.today() + dt.timedelta(days=5 * 365))
    _type(page, "#reference", "GP-2026-114")
    _submit(page, "Send document")
    _accessible(page)
    page.goto("/account/")
    expect(page.locator("main li", has_text="Group 2 medical, sent")).to_contain_text("Waiting to be checked")

    officer = browsing.page(axe=True)
    browsing.sign_in(officer, "officer", keyboard=True)
    officer.goto("/holders/online-documents")
    _accessible(officer)
    waiting = officer.locator("main table tbody tr")
    before = waiting.count()
    row = waiting.filter(has_text=ref)
    expect(row).to_have_count(1)
    _press_and_wait(officer, row.locator("a").first)
    _accessible(officer)
    _choose(officer, "result", officer.locator("input[name=result]").first.get_attribute("value"))
    _submit(officer, "Accept and record the check")
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("Accepted")
    expect(officer.locator("main table tbody tr")).to_have_count(before - 1)
    expect(officer.locator("main")).not_to_contain_text(ref)
    with browsing.server.app.app_context():
        recorded = db.session.execute(sa.select(ComplianceCheck).filter_by(
            holder_id=driver["holder_id"], kind=CheckKind.MEDICAL_GROUP2)).scalars().all()
        assert [c.reference for c in recorded] == ["GP-2026-114"]
        db.session.remove()
    page.goto("/account/")
    expect(page.locator("main li", has_text="Group 2 medical, sent")).to_contain_text("Accepted")
    expect(page.locator("main")).to_contain_text("4 things are overdue")
    _accessible(page)
