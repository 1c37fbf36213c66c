"""Report PDFs and workbooks: names in any script, each total once, labels that fit, real dates and charts."""

import datetime as dt
import io

from openpyxl import load_workbook
from reportlab.pdfbase.pdfmetrics import stringWidth

from licensing.letters.fonts import FONT
from licensing.reports.charts import LABEL_SIZE, drawing, pdf_labels
from licensing.reports.document import Chart, Report, Table
from licensing.reports.render import render, sheet_name
from tests.support.pdf import pdf_reader, pdf_text
from tests.support.reports import xlsx_table


def _report(rows=None, chart=None):
    table = Table(
        key="holders", title="Holders due: renewals / checks [Q1]", columns=["Name", "Due", "Count"],
        rows=rows if rows is not None else [["Łukasz Żółć", dt.date(2026, 3, 2), 2],
                                            ["Pat Driver", dt.datetime(2026, 3, 9, 14, 30), 1]],
        total=["TOTAL", None, 3], chart=chart)
    return Report(kind="quarterly", title="Quarterly return", period="1 January to 31 March 2026",
                  tables=[table, Table(key="other", title="Holders due: renewals / checks [Q1]", columns=["A"],
                                       rows=[["x"]])],
                  filename="quarterly")


def test_the_report_pdf_prints_names_in_any_script_in_embedded_fonts():
    content = render(_report(), "pdf", council_name="Example Borough Council")
    text = pdf_text(content)
    assert "Łukasz Żółć" in text and "■" not in text
    fonts = set()
    for page in pdf_reader(content).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts
    assert not any("Helvetica" in name for name in fonts)


def test_each_total_row_is_printed_once():
    assert pdf_text(render(_report(), "pdf")).count("TOTAL") == 1
    many = [[f"Holder {i}", None, 1] for i in range(520)]
    text = pdf_text(render(_report(rows=many), "pdf"))
    assert text.count("TOTAL") == 1 and "20 more rows are in the CSV and Excel downloads" in text


def test_chart_labels_fit_the_room_they_have():
    short = Chart(kind="bar", title="Licences by type", labels=["Hackney", "Private hire"], values=[3, 4])
    labels, angle, room, _ = pdf_labels(short, 420)
    assert angle == 0 and labels == ["Hackney", "Private hire"]
    long = Chart(kind="bar", title="Outcomes", values=list(range(9)),
                 labels=[f"Licence revoked with immediate effect, case {i}" for i in range(9)])
    labels, angle, room, _ = pdf_labels(long, 420)
    assert angle == 45 and all(label.endswith("…") for label in labels)
    assert all(stringWidth(label, FONT, LABEL_SIZE) <= room for label in labels)
    named = Chart(kind="bar", title="By officer", labels=["Łukasz Żółć"], values=[1])
    assert drawing(named).contents[1].categoryAxis.labels.fontName == FONT
    assert "Łukasz Żółć" in pdf_text(render(_report(chart=named), "pdf"))


def test_excel_dates_are_dates_with_charts_and_friendly_sheet_names():
    chart = Chart(kind="bar", title="Due by month", labels=["March", "April"], values=[2, 1])
    content = render(_report(chart=chart), "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Holders due renewals checks Q1", "Holders due renewals checks (2)"]
    sheet = book[book.sheetnames[0]]
    due = sheet["B5"]
    assert due.is_date and due.value == dt.datetime(2026, 3, 2) and due.number_format == "d mmmm yyyy"
    assert sheet["B6"].is_date and sheet["B6"].value == dt.datetime(2026, 3, 9)
    assert sheet["C5"].value == 2  # numbers stay numbers
    assert len(sheet._charts) == 1 and len(book[book.sheetnames[1]]._charts) == 0
    # the named table range holds the table alone, not the chart's figures beside it
    assert xlsx_table(content, "holders") == [["Name", "Due", "Count"], ["Łukasz Żółć", "2 March 2026", "2"],
                                              ["Pat Driver", "9 March 2026", "1"], ["TOTAL", "", "3"]]


def test_sheet_names_are_cut_cleaned_and_unique():
    taken = set()
    assert sheet_name("A" * 40, taken) == "A" * 31
    assert sheet_name("A" * 40, taken) == "A" * 27 + " (2)"
    assert sheet_name("'Hearings: outcomes?'", taken) == "Hearings outcomes"
