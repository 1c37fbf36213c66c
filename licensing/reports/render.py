"""A Report as CSV, Excel or PDF bytes. Pure: data in, bytes out; every cell is `cell_text` (Excel
keeps whole numbers as numbers) and every CSV cell is neutralised against formulas."""

import datetime as dt
import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

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


def _excel_value(value):
    value = plain(value)
    if isinstance(value, bool) or value is None:
        return cell_text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return float(value)
    text = cell_text(value)
    # Text never runs as a formula in the workbook either.
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def to_xlsx(report, council_name=""):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in report.tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([f"{report.title}, {report.period}" + (f" – {council_name}" if council_name else "")])
        sheet.append([])
        sheet.append(list(table.columns))
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows + ([table.total] if table.total else []):
            sheet.append([_excel_value(c) for c in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(plain(value), Pounds):
                    cell.number_format = '"£"#,##0.00'
                elif isinstance(plain(value), Decimal):
                    cell.number_format = "0.0"
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for note in table.notes:
            sheet.append([note])
        for index, _ in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = 18
    buffer = io.BytesIO()
    book.properties.creator = council_name or "Licensing"
    book.properties.created = dt.datetime(2000, 1, 1)
    book.properties.modified = dt.datetime(2000, 1, 1)
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(report, council_name=""):
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    head = cell.clone("head", fontName="Helvetica-Bold")
    buffer = io.BytesIO()
    wide = any(len(t.columns) > 6 for t in report.tables)
    page = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=report.title, author=council_name or "Licensing",
                            invariant=1)
    story = [Paragraph(escape(report.title), styles["Title"]),
             Paragraph(escape(f"{council_name} – {report.period}" if council_name else report.period),
                       styles["Normal"])]
    for note in report.notes:
        story.append(Paragraph(escape(note), styles["Italic"]))
    for table in report.tables:
        story += [Spacer(1, 6 * mm), Paragraph(escape(table.title), styles["Heading2"])]
        lines = all_rows(table)
        body_end = len(lines) - (1 if table.total else 0)
        shown = lines[:1 + PDF_ROW_LIMIT] + (lines[body_end:] if table.total else [])
        data = [[Paragraph(escape(text), head if r == 0 else cell) for text in line] for r, line in enumerate(shown)]
        grid = LongTable(data, repeatRows=1, hAlign="LEFT")
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                 ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if table.total:
            style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f2f1")))
        grid.setStyle(TableStyle(style))
        story.append(grid)
        left_out = (body_end - 1 - PDF_ROW_LIMIT) if body_end - 1 > PDF_ROW_LIMIT else 0
        if left_out or table.more_rows:
            story.append(Paragraph(f"{left_out + table.more_rows} more rows are in the CSV and Excel downloads.",
                                   styles["Italic"]))
        for note in table.notes:
            story.append(Paragraph(escape(note), styles["Italic"]))
        if table.chart:
            story += [Spacer(1, 4 * mm), drawing(table.chart)]
    doc.build(story)
    return buffer.getvalue()


def filename(report, fmt):
    return f"{report.filename}.{fmt}"


__all__ = ["FORMATS", "cell_text", "filename", "render"]
