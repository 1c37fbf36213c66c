"""Reading reports back in every format, for the reports tests."""

import csv
import datetime as dt
import html as html_lib
import io
import re
from html.parser import HTMLParser

from openpyxl import load_workbook

from licensing.text import govuk_date


class _TableParser(HTMLParser):
    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth = 0
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell.append(data)


def html_table(page, table_id):
    """Header, rows and total row of the table with this id, as text."""
    parser = _TableParser(table_id)
    parser.feed(page)
    assert parser.rows, f"no table {table_id}"
    return parser.rows


def html_links(page, table_id):
    """The drill-down links in a table, unescaped."""
    start = page.index(f'id="{table_id}"')
    end = page.index("</table>", start)
    return [html_lib.unescape(h) for h in re.findall(r'href="([^"]+)"', page[start:end])]


def csv_table(content):
    return [row for row in csv.reader(io.StringIO(content.decode("utf-8")))]


def csv_sections(content):
    """{section title: rows} for a CSV of several tables."""
    sections, current = {}, None
    for row in csv_table(content):
        if not row:
            current = None
        elif current is None:
            current = row[0]
            sections[current] = []
        else:
            sections[current].append(row)
    return sections


def _excel_text(cell):
    if cell.value is None:
        return ""
    if cell.is_date:
        return govuk_date(cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value)
    if cell.number_format == "0.0":
        return f"{cell.value:.1f}"
    if cell.number_format == '"£"#,##0.00':
        return f"£{cell.value:,.2f}"
    return str(cell.value)


def xlsx_sheet(book, key):
    """The sheet and cell range of the table with this short name (each is a named range)."""
    sheet, cells = next(book.defined_names[f"table_{key}"].destinations)
    return book[sheet], cells


def xlsx_table(content, key):
    """The table as text from its header row (title, subtitle and a blank row come first); one
    decimal place where the workbook formats the number that way, dates as the page writes them."""
    book = load_workbook(io.BytesIO(content))
    sheet, cells = xlsx_sheet(book, key)
    rows = [[_excel_text(c) for c in r] for r in sheet[cells.replace("$", "")]]
    return [r for r in rows if any(r)]


def tokens(rows):
    return " ".join(" ".join(cell.split()) for row in rows for cell in row if cell != "")
