"""A manager opens the quarterly compliance report, sees its chart and downloads it as Excel;
the workbook holds the figures the page shows."""

import datetime as dt
import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from licensing.text import govuk_date
from tests.browser.axe import describe, serious, violations
from tests.browser.seed import overdue_driver, unique_ref
from tests.browser.steps import download, press_on, tab_to


def test_manager_opens_the_quarterly_report_sees_the_chart_and_downloads_excel(browsing):
    overdue_driver(browsing.server, unique_ref("RPT"))
    page = browsing.page(axe=True)
    browsing.sign_in(page, "manager", keyboard=True)
    press_on(page, page.get_by_role("link", name="Reports", exact=True))
    press_on(page, page.get_by_role("link", name="Quarterly compliance report"))
    expect(page.locator("h1")).to_contain_text(re.compile("compliance", re.I))

    # The chart is drawn on the server as an image with a text alternative.
    chart = page.locator("figure.app-chart svg[role=img]").first
    expect(chart).to_be_visible()
    assert chart.locator("title").first.text_content().strip()
    assert chart.locator("rect").count() >= 1

    # The Excel file holds the same figures as the first table on the page, as numbers.
    shown = page.locator("main table").first.locator("tbody tr").first.locator("td, th").all_inner_texts()
    link = page.get_by_role("link", name="Excel")
    tab_to(page, link)
    name, content = download(page, lambda: page.keyboard.press("Enter"))
    assert name.endswith(".xlsx"), name
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    # Dates are real date cells, shown on the page as "30 September 2026".
    matching = [row for row in rows if row and (govuk_date(row[0].date()) if isinstance(row[0], dt.datetime)
                                                else str(row[0]).strip()) == shown[0].strip()]
    assert matching, (shown, rows[:8])
    for on_page, in_book in zip(shown[1:], matching[0][1:], strict=False):
        assert float(on_page.replace(",", "").rstrip("%")) == float(in_book), (shown, matching[0])
    assert serious(violations(page)) == [], describe(violations(page))
    browsing.screenshot(page, "manager-report-journey")
