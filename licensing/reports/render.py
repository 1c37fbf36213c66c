"""A Report as CSV, Excel or PDF bytes. Pure: data in, bytes out; every cell is `cell_text` (Excel
keeps whole numbers, sums and dates as numbers and dates) and every CSV cell is neutralised
against formulas. PDFs are set in the letters' embedded fonts, so names in any script print."""

import csv
import datetime as dt
import io
import itertools
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, TableStyle

from licensing.letters.fonts import BOLD, FONT, paragraph, stylesheet
from licensing.reports.charts import drawing
from licensing.reports.document import Pounds, cell_text, plain
from licensing.text import safe_cell

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PDF_ROW_LIMIT = 500
CSV_CHUNK_BYTES = 64 * 1024


def render(report, fmt, council_name=""):
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report, council_name)
    if fmt == "pdf":
        return to_pdf(report, council_name)
    raise ValueError(f"unknown format {fmt!r}")


def _text_rows(table):
    """Header, rows and total row as text, one at a time (the rows may be read as they go)."""
    yield list(table.columns)
    for row in table.rows:
        yield [cell_text(c) for c in row]
    if table.total:
        yield [cell_text(c) for c in table.total]


def csv_chunks(report, chunk_bytes=CSV_CHUNK_BYTES):
    """The CSV as bytes in pieces of about `chunk_bytes`, produced as they are sent: memory stays
    bounded however long the report. One table: the table alone. Several: each under a line with
    its title, a blank line between."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    single = len(report.tables) == 1
    for table in report.tables:
        if not single:
            writer.writerow([safe_cell(table.title)])
        for line in _text_rows(table):
            writer.writerow([safe_cell(v) for v in line])
            if buffer.tell() >= chunk_bytes:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        if not single:
            buffer.write("\r\n")
    yield buffer.getvalue().encode("utf-8")


def to_csv(report):
    return b"".join(csv_chunks(report))


EXCEL_DATE = "d mmmm yyyy"  # 3 March 2016, as every other format writes it
# Characters Excel refuses in a sheet name.
SHEET_NAME_REFUSED = str.maketrans({c: " " for c in "[]:*?/\\"})


def _excel_value(value):
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return cell_text(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date | int):
        return value
    if isinstance(value, Decimal):
        return float(value)
    text = cell_text(value)
    # Text never runs as a formula in the workbook either.
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def sheet_name(title, taken):
    """The table's title as a sheet name: at most 31 characters, none Excel refuses, unique."""
    base = " ".join(title.translate(SHEET_NAME_REFUSED).split()).strip("'")[:31].strip() or "Table"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _number_format(value):
    value = plain(value)
    if isinstance(value, Pounds):
        return '"£"#,##0.00'
    if isinstance(value, Decimal):
        return "0.0"
    if isinstance(value, dt.date):
        return EXCEL_DATE
    return None


def _styled(sheet, value, font=None, number_format=None):
    """A cell with a font or number format (write-only sheets take styles only on such cells)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def _excel_row(sheet, row, font=None):
    cells = []
    for value in row:
        number_format = _number_format(value)
        excel = _excel_value(value)
        cells.append(_styled(sheet, excel, font, number_format) if font is not None or number_format else excel)
    return cells


def _chart_lines(sheet, chart, bold):
    """The chart's figures, two columns from the table's header row down."""
    if chart is None or not chart.labels:
        return []
    return [[_styled(sheet, "Chart: " + chart.title, bold), _styled(sheet, chart.unit or "Number", bold)]] + [
        [str(label), float(value or 0)] for label, value in zip(chart.labels, chart.values, strict=True)]


def _excel_chart(sheet, chart, column, last_row):
    """An Excel bar chart of the figures written beside the table (rows 4 to `last_row`)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    bars = BarChart()
    bars.type, bars.title, bars.legend = "col", chart.title, None
    bars.y_axis.title = chart.unit or None
    bars.add_data(Reference(sheet, min_col=column + 1, min_row=4, max_row=last_row), titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=column, min_row=5, max_row=last_row))
    bars.width, bars.height = 18, 8
    sheet.add_chart(bars, f"{get_column_letter(column)}{last_row + 2}")


def _excel_sheet(book, report, table, taken, council_name):
    """One table on its own sheet, written row by row (openpyxl's write-only mode: the workbook
    never holds the rows, so an export of 160,000 rows needs little memory). Returns the number
    of the table's last row (its header is row 4)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    sheet = book.create_sheet(sheet_name(table.title, taken))
    chart_column = len(table.columns) + 2
    for index in range(1, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    chart_lines = _chart_lines(sheet, table.chart, bold)
    if chart_lines:
        sheet.column_dimensions[get_column_letter(chart_column)].width = 28
    sheet.append([_styled(sheet, table.title, bold)])
    sheet.append([f"{report.title}, {report.period}" + (f" – {council_name}" if council_name else "")])
    sheet.append([])
    body = itertools.chain(
        [[_styled(sheet, c, bold) for c in table.columns]], (_excel_row(sheet, row) for row in table.rows),
        [_excel_row(sheet, table.total, bold)] if table.total else [])
    lines = itertools.chain(body, ([note] for note in table.notes))
    for line, beside in itertools.zip_longest(lines, chart_lines):
        line = list(line or [])
        if beside is not None:
            line = line + [None] * (chart_column - 1 - len(line)) + beside
        sheet.append(line)
    last_row = 3 + 1 + len(table.rows) + (1 if table.total else 0) + len(table.notes)
    if chart_lines:
        _excel_chart(sheet, table.chart, chart_column, 3 + len(chart_lines))
    return sheet, last_row


def to_xlsx(report, council_name="", out=None):
    """The workbook as bytes, or written to the file object `out`."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName

    book = Workbook(write_only=True)
    taken = set()
    for table in report.tables:
        sheet, last_row = _excel_sheet(book, report, table, taken, council_name)
        # The table (header to its notes) is a named range, found by its short name.
        last_column = get_column_letter(max(len(table.columns), 1))
        book.defined_names[f"table_{table.key}"] = DefinedName(
            f"table_{table.key}", attr_text=f"{quote_sheetname(sheet.title)}!$A$4:${last_column}${last_row}")
    book.properties.creator = council_name or "Licensing"
    book.properties.created = dt.datetime(2000, 1, 1)
    book.properties.modified = dt.datetime(2000, 1, 1)
    if out is not None:
        book.save(out)
        return None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf_rows(table):
    """Header, at most PDF_ROW_LIMIT body rows, then the total row once; and how many rows were left out."""
    body = [[cell_text(c) for c in row] for row in itertools.islice(table.rows, PDF_ROW_LIMIT)]
    total = [[cell_text(c) for c in table.total]] if table.total else []
    return [list(table.columns), *body, *total], max(len(table.rows) - PDF_ROW_LIMIT, 0)


def to_pdf(report, council_name=""):
    styles = stylesheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    head = cell.clone("head", fontName=BOLD)
    buffer = io.BytesIO()
    wide = any(len(t.columns) > 6 for t in report.tables)
    page = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(buffer, pagesize=page, initialFontName=FONT, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=report.title,
                            author=council_name or "Licensing", invariant=1)
    story = [paragraph(report.title, styles["Title"]),
             paragraph(f"{council_name} – {report.period}" if council_name else report.period, styles["Normal"])]
    for note in report.notes:
        story.append(paragraph(note, styles["Italic"]))
    for table in report.tables:
        story += [Spacer(1, 6 * mm), paragraph(table.title, styles["Heading2"])]
        shown, left_out = _pdf_rows(table)
        data = [[paragraph(text, head if r == 0 else cell) for text in line] for r, line in enumerate(shown)]
        grid = LongTable(data, repeatRows=1, hAlign="LEFT")
        style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                 ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if table.total:
            style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f2f1")))
        grid.setStyle(TableStyle(style))
        story.append(grid)
        if left_out or table.more_rows:
            story.append(paragraph(f"{left_out + table.more_rows} more rows are in the CSV and Excel downloads.",
                                   styles["Italic"]))
        for note in table.notes:
            story.append(paragraph(note, styles["Italic"]))
        if table.chart:
            story += [Spacer(1, 4 * mm), drawing(table.chart)]
    doc.build(story)
    return buffer.getvalue()


def filename(report, fmt):
    return f"{report.filename}.{fmt}"


__all__ = ["FORMATS", "cell_text", "filename", "render"]
