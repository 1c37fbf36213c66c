"""The report pages as people meet them: a wrong period keeps the report's own heading and says
which box is wrong; chart labels fit their bars; a quarter still running is measured as at today."""

import datetime as dt
import html as html_lib
import math
import re

import pytest

from licensing.reports import charts, measure, periods
from licensing.reports.document import Chart
from licensing.reports.hearings import COLUMNS
from licensing.reports.periods import Quarter
from licensing.reports.quarterly import quarterly
from tests.conftest import login
from tests.support.pdf import pdf_text
from tests.support.reports import csv_sections, html_table, xlsx_table
from tests.test_reports_quarterly import Q2, SUMMARY, _load

# (address, the report's heading)
PERIOD_REPORTS = [("/reports/hearings", "Licensing hearing outcomes"), ("/reports/statistics", "Licensing statistics"),
                  ("/reports/agreement", "Panel decision agreement"), ("/reports/decisions", "Record of decisions")]


def _heading_and_title(text):
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.S)
    return (html_lib.unescape(" ".join(h1.group(1).split())) if h1 else None,
            html_lib.unescape(" ".join(title.group(1).split())))


def _error_summary(text):
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', text, re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


@pytest.mark.parametrize("query, message", [
    ({"from": "2016-07-01", "to": "2016-06-01"}, "The date in To must be the same as or after the date in From"),
    ({"from": "2016-13-45", "to": "2016-06-01"}, "From must be a real date"),
    ({"from": "2016-06-01", "to": "nonsense"}, "To must be a real date"),
    ({"start": ["1", "7", "2016"], "end": ["1", "6", "2016"]},
     "The date in To must be the same as or after the date in From"),
])
def test_a_wrong_period_keeps_the_reports_heading_and_names_the_box(app, users, query, message):
    client = app.test_client()
    login(client, users["manager"])
    for url, heading in PERIOD_REPORTS:
        page = client.get(url, query_string=query)
        text = page.get_data(as_text=True)
        assert page.status_code == 400, url  # the convention for wrong query input
        h1, title = _heading_and_title(text)
        assert h1 == heading and title.startswith(f"Error: {heading} –"), (url, h1, title)
        assert message in _error_summary(text), url
        at_fields = [" ".join(re.sub(r"<[^>]+>", " ", m).split())
                     for m in re.findall(r'<p[^>]*class="govuk-error-message".*?</p>', text, re.S)]
        assert f"Error: {message}" in at_fields, (url, at_fields)  # at the field too
        assert "Bad request" not in text


def test_the_published_record_and_downloads_still_refuse_a_wrong_period(app, users):
    client = app.test_client()
    public = client.get("/public-register/decisions/", query_string={"from": "2016-07-01", "to": "2016-06-01"})
    assert public.status_code == 400
    summary = _error_summary(public.get_data(as_text=True))
    assert "The date in To must be the same as or after the date in From" in summary
    login(client, users["manager"])
    assert client.get("/reports/statistics/export", query_string={"from": "2016-07-01", "to": "2016-06-01",
                                                                  "format": "csv"}).status_code == 400


def test_a_wrong_snapshot_date_or_quarter_keeps_the_reports_heading(app, users):
    client = app.test_client()
    login(client, users["manager"])
    for url, query, heading, message in [
            ("/reports/snapshot", {"on": "2016-02-31"}, "Licensing snapshot", "As at must be a real date"),
            ("/reports/snapshot", {"as_at": ["31", "2", "2016"]}, "Licensing snapshot", "As at must be a real date"),
            ("/reports/quarterly", {"quarter": "2016-17-Q7"}, "Quarterly compliance report",
             "Choose a quarter from the list")]:
        page = client.get(url, query_string=query)
        text = page.get_data(as_text=True)
        assert page.status_code == 400
        h1, title = _heading_and_title(text)
        assert h1 == heading and title.startswith(f"Error: {heading} –"), (url, h1, title)
        assert message in _error_summary(text), url


def _extents(layout):
    """Each label's estimated left and right edge as drawn level (centred under its bar)."""
    return [(b["centre"] - b["label_width"] / 2, b["centre"] + b["label_width"] / 2) for b in layout["bars"]]


@pytest.mark.parametrize("labels", [
    ["Licence Granted", "Licence Refused", "Suspend Temporarily", "Revoke Licence", "Warnings Issued",
     "Licence Surrendered"],
    COLUMNS[3:],  # the hearing-outcomes chart as the report draws it, with Defer and No action
])
def test_chart_labels_are_whole_and_do_not_collide(labels):
    layout = charts.layout(Chart("bar", "Outcomes of the cases listed", list(labels), [3] * len(labels)))
    assert [" ".join(b["lines"]) for b in layout["bars"]] == list(labels)  # none cut
    assert not any("…" in line for b in layout["bars"] for line in b["lines"])
    if layout["label_angle"]:
        # Turned labels are parallel: they are apart by the slot across their slope.
        assert layout["slot"] * math.sin(math.radians(layout["label_angle"])) > charts.SVG_LABEL
    else:
        extents = _extents(layout)
        assert all(left >= 0 for left, _ in extents)
        for (_, right), (left, _) in zip(extents, extents[1:], strict=False):
            assert right < left, (right, left)
        assert all(charts.text_width(line) <= layout["slot"] for b in layout["bars"] for line in b["lines"])
    # Wrapped onto two lines, the chart grows to hold the second.
    if any(len(b["lines"]) == 2 for b in layout["bars"]):
        assert layout["height"] >= layout["label_y"] + charts.SVG_LINE + charts.SVG_LABEL


def test_labels_too_long_to_wrap_are_turned_and_kept_inside_the_chart():
    labels = [f"Suspended until compliant {i}" for i in range(9)]
    layout = charts.layout(Chart("bar", "Outcomes", labels, [1] * 9))
    assert layout["label_angle"] == 45
    assert [b["lines"][0] for b in layout["bars"]] == labels  # turned, they have room to be whole
    reach = max(b["label_width"] for b in layout["bars"]) * math.sin(math.radians(45))
    assert layout["height"] >= layout["label_y"] + reach  # a larger bottom margin
    first = layout["bars"][0]
    assert layout["view_x"] <= first["centre"] - first["label_width"] * math.cos(math.radians(45))


def test_the_chart_on_the_page_uses_the_pages_font_and_whole_labels(app, users):
    client = app.test_client()
    login(client, users["manager"])
    text = client.get("/reports/hearings", query_string={"from": "2016-04-01", "to": "2017-03-31"}) \
        .get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", text, re.S).group(0)
    family = html_lib.unescape(re.search(r'<svg[^>]*font-family="([^"]+)"', svg).group(1))
    assert family.endswith("sans-serif") and "system-ui" in family  # assets/council.scss's stack
    drawn = [html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", t).split()))
             for t in re.findall(r'<text class="app-chart__label".*?</text>', svg, re.S)]
    assert drawn == COLUMNS[3:]


def test_a_quarter_still_running_is_measured_as_at_today(app, users, tmp_path, monkeypatch):
    _load(app, tmp_path)
    today = dt.date(2016, 9, 15)  # Q2 (1 July to 30 September 2016) has not ended
    monkeypatch.setattr(periods, "today", lambda: today)
    with app.app_context():
        expected = measure.measures([today])[today]
        at_the_end = measure.measures([Q2.end])[Q2.end]
        report = quarterly(Q2, today=today)
    # The data make the two days differ (checks lapsing on 29 September), so the test can tell.
    assert (expected.holders_adhering, expected.holders) != (at_the_end.holders_adhering, at_the_end.holders)
    client = app.test_client()
    login(client, users["manager"])
    page = client.get("/reports/quarterly", query_string={"quarter": Q2.name})
    text = html_lib.unescape(page.get_data(as_text=True))
    summary = html_table(text, "measure")
    assert summary[1][:5] == ["15 September 2016", str(expected.holders), str(expected.holders_adhering),
                              str(expected.holders - expected.holders_adhering), f"{expected.percentage:.1f}"]
    assert html_table(text, "trend")[-1][:4] == ["2016-17-Q2", "15 September 2016", str(expected.holders),
                                                 str(expected.holders_adhering)]
    said = "as at 15 September 2016; the quarter ends on 30 September 2016"
    assert said in text
    assert report.table("measure").rows[0][2] == expected.holders_adhering
    csv_text = client.get("/reports/quarterly/export", query_string={"quarter": Q2.name, "format": "csv"}) \
        .get_data(as_text=True)
    assert said in csv_text
    for fmt in ("xlsx", "pdf"):
        download = client.get("/reports/quarterly/export", query_string={"quarter": Q2.name, "format": fmt})
        read = xlsx_table(download.data, "measure") if fmt == "xlsx" else pdf_text(download.data)
        assert (read[1][0] == "15 September 2016") if fmt == "xlsx" else (said in " ".join(read.split())), fmt
    drill = client.get("/reports/records", query_string={"figure": "quarterly.not_adhering", "quarter": Q2.name})
    drilled = drill.get_data(as_text=True)
    count = expected.holders - expected.holders_adhering
    assert f"{count} record" in drilled and "15 September 2016" in drilled

    # Once the quarter has ended it is measured at its last day, as before.
    monkeypatch.setattr(periods, "today", lambda: dt.date(2016, 10, 5))
    closed = client.get("/reports/quarterly", query_string={"quarter": Q2.name}).get_data(as_text=True)
    assert html_table(closed, "measure") == SUMMARY
    assert "the quarter ends on" not in closed
    sections = csv_sections(client.get("/reports/quarterly/export",
                                       query_string={"quarter": Q2.name, "format": "csv"}).data)
    assert sections["Licence holders adhering to the policy at the quarter end"] == SUMMARY


def test_a_stored_quarter_is_measured_at_its_end_whatever_the_day(app, tmp_path):
    _load(app, tmp_path)
    with app.app_context():
        from licensing.reports.store import store_quarter

        stored = store_quarter(Quarter.parse(Q2.name))
        measured = stored.figures["tables"][0]["rows"][0]
        assert measured[0] == {"date": Q2.end.isoformat()}
        assert measured[1:3] == [10, 7]
