"""A Report as CSV, Excel or PDF bytes. Pure: data in, bytes out; every cell is `cell_text` (Excel
keeps whole numbers, sums and dates as numbers and dates) and every CSV cell is neutralised
against formulas. PDFs are set in the letters' embedded fonts, so names in any script print."""

import datetime as dt
import io
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, TableStyle

from licensing.letters.fonts import BOLD, FONT, paragraph, stylesheet
from licensing.reports.charts import drawing
from licensing.reports.document import Pounds, all_rows, cell_text, plain
from licensing.text import csv_line

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PDF_ROW_LIMIT = 500


def render(report, fmt, council_name=""):
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report, council_name)
    if fmt == "pdf":
        return to_pdf(report, council_name)
    raise ValueError(f"unknown format {fmt!r}")


def to_csv(report):
    """One table: the table alone. Several: each under a line with its title, a blank line between."""
    out = []
    single = len(report.tables) == 1
    for table in report.tables:
        if not single:
            out.append(csv_line([table.title]))
        out.extend(csv_line(line) for line in all_rows(table))
        if not single:
            out.append("\r\n")
    return "".join(out).encode("utf-8")


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


def _excel_table(sheet, table):
    from openpyxl.styles import Font

    sheet.append(list(table.columns))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table.rows + ([table.total] if table.total else []):
        sheet.append([_excel_value(c) for c in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            number_format = _number_format(value)
            if number_format:
                cell.number_format = number_format
    if table.total:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for note in table.notes:
        sheet.append([note])
    for index, _ in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = 18


def _excel_chart(sheet, chart, column):
    """The chart's figures in two columns beside the table, and an Excel bar chart of them."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    sheet.cell(row=4, column=column, value="Chart: " + chart.title).font = Font(bold=True)
    sheet.cell(row=4, column=column + 1, value=chart.unit or "Number").font = Font(bold=True)
    for offset, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True), start=5):
        sheet.cell(row=offset, column=column, value=str(label))
        sheet.cell(row=offset, column=column + 1, value=float(value or 0))
    last = 4 + len(chart.labels)
    bars = BarChart()
    bars.type, bars.title, bars.legend = "col", chart.title, None
    bars.y_axis.title = chart.unit or None
    bars.add_data(Reference(sheet, min_col=column + 1, min_row=4, max_row=last), titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=column, min_row=5, max_row=last))
    bars.width, bars.height = 18, 8
    sheet.column_dimensions[sheet.cell(row=4, column=column).column_letter].width = 28
    sheet.add_chart(bars, sheet.cell(row=last + 2, column=column).coordinate)


def to_xlsx(report, council_name=""):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName

    book = Workbook()
    book.remove(book.active)
    taken = set()
    for table in report.tables:
        sheet = book.create_sheet(sheet_name(table.title, taken))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([f"{report.title}, {report.period}" + (f" – {council_name}" if council_name else "")])
        sheet.append([])
        _excel_table(sheet, table)
        # The table (header to its notes) is a named range, found by its short name.
        last_column = get_column_letter(max(len(table.columns), 1))
        book.defined_names[f"table_{table.key}"] = DefinedName(
            f"table_{table.key}", attr_text=f"{quote_sheetname(sheet.title)}!$A$4:${last_column}${sheet.max_row}")
        if table.chart and table.chart.labels:
            _excel_chart(sheet, table.chart, len(table.columns) + 2)
    buffer = io.BytesIO()
    book.properties.creator = council_name or "Licensing"
    book.properties.created = dt.datetime(2000, 1, 1)
    book.properties.modified = dt.datetime(2000, 1, 1)
    book.save(buffer)
    return buffer.getvalue()


def _pdf_rows(table):
    """Header, at most PDF_ROW_LIMIT body rows, then the total row once; and how many rows were left out."""
    lines = all_rows(table)
    body = lines[1:-1] if table.total else lines[1:]
    shown = [lines[0], *body[:PDF_ROW_LIMIT]] + ([lines[-1]] if table.total else [])
    return shown, max(len(body) - PDF_ROW_LIMIT, 0)


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
