"""Small steps the journeys share: filling GOV.UK date inputs, reading downloads, using the keyboard."""

import datetime as dt

from tests.support.pdf import pdf_pages

PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")


def fill_date(page, field_id, day, scope=None):
    where = scope or page
    where.locator(f"#{field_id}-day").fill(str(day.day))
    where.locator(f"#{field_id}-month").fill(str(day.month))
    where.locator(f"#{field_id}-year").fill(str(day.year))


def govuk_date(day):
    """A date as every page shows it: 3 March 2016."""
    return f"{day.day} {day:%B %Y}"


def download(page, action):
    """Run `action` (which starts a download) and return (suggested filename, bytes)."""
    with page.expect_download() as info:
        action()
    found = info.value
    with open(found.path(), "rb") as fh:
        return found.suggested_filename, fh.read()


def pdf_text(content):
    assert content.startswith(b"%PDF-"), content[:20]
    return "\n".join(pdf_pages(content))


def focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, limit=120, backwards=False):
    """Press Tab (or Shift+Tab) until `locator` has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(locator):
            return locator
    raise AssertionError(f"{key} never reached {locator}")


def press_on(page, locator, key="Enter"):
    tab_to(page, locator)
    page.keyboard.press(key)


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def today():
    return dt.date.today()
