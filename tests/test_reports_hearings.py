"""The hearing outcomes table reproduces the council's published Appendix K table exactly, from
the hearings import, on screen, as CSV, Excel and PDF, and from the command line."""

import datetime as dt
from urllib.parse import unquote_plus

from licensing.extensions import db
from licensing.hearings import decisions
from licensing.reports.hearings import COLUMNS
from tests.conftest import login
from tests.support.hearings import staff
from tests.support.pdf import pdf_text
from tests.support.reports import csv_table, html_links, html_table, tokens, xlsx_table
from tests.test_hearings_import import _appendix_k_csv

# Seed facts §4.6 (Appendix K), with the surrender at 19 July as its own column.
COUNCIL_TABLE = [
    COLUMNS,
    ["3 March 2016", "4", "1", "1", "2", "1", "0", "0", "0", "0", "0"],
    ["22 March 2016", "7", "2", "2", "1", "0", "3", "0", "1", "0", "0"],
    ["11 April 2016", "5", "2", "2", "1", "2", "0", "0", "0", "0", "0"],
    ["3 May 2016", "4", "1", "1", "1", "2", "0", "0", "0", "0", "0"],
    ["13 June 2016", "4", "1", "1", "2", "0", "0", "0", "1", "0", "0"],
    ["19 July 2016", "5", "0", "1", "0", "2", "0", "1", "0", "0", "1"],
    ["TOTAL", "29", "7", "8", "7", "7", "3", "1", "2", "0", "1"],
]
PERIOD = {"from": "2016-03-01", "to": "2016-07-31"}


def _import_appendix_k(app, tmp_path):
    with app.app_context():
        staff("officer", "importer@x.gov.uk")
        db.session.commit()
        path = _appendix_k_csv(tmp_path)
    result = app.test_cli_runner().invoke(args=["import", "hearings", str(path)])
    assert result.exit_code == 0, result.output


def test_hearing_outcomes_table_equals_the_councils_in_every_format(app, users, tmp_path):
    _import_appendix_k(app, tmp_path)
    client = app.test_client()
    login(client, users["manager"])

    page = client.get("/reports/hearings", query_string=PERIOD)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert html_table(text, "hearing_outcomes") == COUNCIL_TABLE
    assert "<svg" in text and "Outcomes of the cases listed" in text and "cdn" not in text.lower()

    csv_download = client.get("/reports/hearings/export", query_string={**PERIOD, "format": "csv"})
    assert csv_download.status_code == 200
    assert csv_download.headers["Content-Disposition"].startswith("attachment")
    assert csv_table(csv_download.data) == COUNCIL_TABLE

    xlsx = client.get("/reports/hearings/export", query_string={**PERIOD, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx_table(xlsx.data, "hearing_outcomes")[:len(COUNCIL_TABLE)] == COUNCIL_TABLE

    pdf = client.get("/reports/hearings/export", query_string={**PERIOD, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert tokens(COUNCIL_TABLE[1:]) in pdf_text(pdf.data)
    assert "Licence Surrendered" in pdf_text(pdf.data)

    runner = app.test_cli_runner()
    printed = runner.invoke(args=["report", "hearings", "--from", PERIOD["from"], "--to", PERIOD["to"]])
    assert printed.exit_code == 0, printed.output
    assert tokens(COUNCIL_TABLE[1:]) in " ".join(printed.output.split())
    out = tmp_path / "hearings.csv"
    written = runner.invoke(args=["report", "hearings", "--from", PERIOD["from"], "--to", PERIOD["to"],
                                  "--format", "csv", "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert out.read_bytes() == csv_download.data
    for fmt in ("xlsx", "pdf"):
        path = tmp_path / f"hearings.{fmt}"
        result = runner.invoke(args=["report", "hearings", "--from", PERIOD["from"], "--to", PERIOD["to"],
                                     "--format", fmt, "--out", str(path)])
        assert result.exit_code == 0, result.output
    assert xlsx_table(path.with_suffix(".xlsx").read_bytes(), "hearing_outcomes")[:8] == COUNCIL_TABLE
    assert tokens(COUNCIL_TABLE[1:]) in pdf_text(path.read_bytes())


def test_the_period_bounds_and_drill_down_lists_the_cases(app, users, tmp_path):
    _import_appendix_k(app, tmp_path)
    client = app.test_client()
    login(client, users["manager"])
    # 22 March to 3 May 2016 inclusive: three hearings, 16 cases.
    page = client.get("/reports/hearings", query_string={"from": "2016-03-22", "to": "2016-05-03"})
    rows = html_table(page.get_data(as_text=True), "hearing_outcomes")
    assert [r[0] for r in rows[1:]] == ["22 March 2016", "11 April 2016", "3 May 2016", "TOTAL"]
    assert rows[-1][:4] == ["TOTAL", "16", "5", "5"]
    links = [h for h in html_links(page.get_data(as_text=True), "hearing_outcomes") if "figure=" in h]
    assert len(links) == 4
    listing = client.get(links[0])
    assert listing.status_code == 200
    assert "7 records" in listing.get_data(as_text=True)
    total = client.get(links[-1]).get_data(as_text=True)
    assert "16 records" in total and "Did not attend" in total


def _august_hearing(app):
    """One hearing on 9 August 2016 built through the operations: a grant whose letter is then
    corrected, a deferral for a holder who did not attend, and a surrender at the hearing. The
    panel member proposed grant (matched) and refuse (the chair deferred)."""
    from licensing.hearings import operations as ops
    from tests.support.hearings import awaiting_case, hearing

    with app.app_context():
        officer = staff("officer", "clerk@x.gov.uk")
        chair = staff("panel", "chair@x.gov.uk")
        member = staff("panel", "member@x.gov.uk")
        sitting = hearing(officer, chair, [member], starts_at=dt.datetime(2016, 8, 9, 10))
        listings = [ops.list_case(officer, sitting, awaiting_case(officer, ref), override_reason="Test listing",
                                  today=dt.date(2016, 8, 1)) for ref in ("AUGA", "AUGB", "AUGC")]
        decisions.record_attendance(officer, listings[0], "attended", "grant", member)
        decisions.record_attendance(officer, listings[1], "did_not_attend", "refuse", member)
        decisions.record_attendance(officer, listings[2], "attended")
        first = decisions.record_decision(officer, listings[0], outcome="grant", reasons="Fit and proper",
                                          decided_by=chair)
        decisions.record_decision(officer, listings[0], outcome="grant", reasons="Fit and proper (corrected)",
                                  decided_by=chair, corrects=first, correction_reason="Reasons incomplete")
        decisions.record_decision(officer, listings[1], outcome="defer", reasons="Holder absent", decided_by=chair,
                                  deferred_to=dt.date(2016, 9, 6))
        decisions.record_decision(officer, listings[2], outcome="surrendered", reasons="Handed back", decided_by=None)
        db.session.commit()
        return member.id


def test_corrections_deferrals_non_attendance_and_a_surrender(app, users):
    member_id = _august_hearing(app)
    client = app.test_client()
    login(client, users["manager"])
    response = client.get("/reports/hearings", query_string={"start": ["1", "8", "2016"],
                                                              "end": ["31", "8", "2016"]})
    assert response.status_code == 302
    assert "from=2016-08-01" in response.location and "to=2016-08-31" in response.location
    table = html_table(client.get(response.location).get_data(as_text=True), "hearing_outcomes")
    assert table == [COLUMNS, ["9 August 2016", "3", "1", "1", "1", "0", "0", "0", "0", "0", "1"],
                     ["TOTAL", "3", "1", "1", "1", "0", "0", "0", "0", "0", "1"]]

    agreement = client.get("/reports/agreement", query_string={"from": "2016-08-01", "to": "2016-08-31"})
    rows = html_table(agreement.get_data(as_text=True), "panel_agreement")
    assert rows[1:] == [["Member", "2", "1", "1", "50.0"], ["TOTAL", "2", "1", "1", "50.0"]]
    assert "<svg" in agreement.get_data(as_text=True)
    drill = client.get("/reports/records", query_string={"figure": "agreement.proposals", "member": member_id,
                                                          "from": "2016-08-01", "to": "2016-08-31"})
    page = drill.get_data(as_text=True)
    assert "2 records" in page and "Refuse" in page and "Defer" in page
    csv_rows = csv_table(client.get("/reports/agreement/export", query_string={
        "from": "2016-08-01", "to": "2016-08-31", "format": "csv"}).data)
    assert csv_rows[1:] == rows[1:]
    result = app.test_cli_runner().invoke(args=["report", "agreement", "--from", "2016-08-01", "--to", "2016-08-31"])
    assert "Member 2 1 1 50.0" in " ".join(result.output.split())


# The sub-committee's chair and one member sat in August and both voted for each decision.
MAKER = "Licensing sub-committee, by majority (2 to 0)"


def test_the_table_filters_by_deciding_body_and_decision_maker(app, users, tmp_path):
    """Appendix K (imported) and a sub-committee hearing in August: unfiltered both; by deciding
    body each alone, the imported one still exactly the council's table; by decision maker only
    the cases whose current decision that person made."""
    _import_appendix_k(app, tmp_path)
    _august_hearing(app)
    client = app.test_client()
    login(client, users["manager"])
    period = {"from": "2016-03-01", "to": "2016-08-31"}
    august = ["9 August 2016", "3", "1", "1", "1", "0", "0", "0", "0", "0", "1"]

    page = client.get("/reports/hearings", query_string=period).get_data(as_text=True)
    assert html_table(page, "hearing_outcomes")[1:-1] == COUNCIL_TABLE[1:-1] + [august]
    assert '<option value="Licensing hearing (imported)">' in page and f'<option value="{MAKER}">' in page
    assert '<option value="Licensing sub-committee">' in page

    imported = {**period, "body": "Licensing hearing (imported)"}
    page = client.get("/reports/hearings", query_string=imported).get_data(as_text=True)
    assert html_table(page, "hearing_outcomes") == COUNCIL_TABLE
    csv_download = client.get("/reports/hearings/export", query_string={**imported, "format": "csv"})
    assert csv_table(csv_download.data) == COUNCIL_TABLE

    page = client.get("/reports/hearings", query_string={**period, "body": "Licensing sub-committee"})
    assert html_table(page.get_data(as_text=True), "hearing_outcomes")[1:] == [august, ["TOTAL"] + august[1:]]

    by_chair = {**period, "maker": MAKER}
    page = client.get("/reports/hearings", query_string=by_chair).get_data(as_text=True)
    decided = ["9 August 2016", "2", "1", "1", "1", "0", "0", "0", "0", "0", "0"]  # the surrender had no maker
    assert html_table(page, "hearing_outcomes")[1:] == [decided, ["TOTAL"] + decided[1:]]
    links = [h for h in html_links(page, "hearing_outcomes") if "figure=" in h]
    assert all(f"maker={MAKER}" in unquote_plus(link) for link in links)
    assert "2 records" in client.get(links[0]).get_data(as_text=True)
    assert "2 records" in client.get(links[-1]).get_data(as_text=True)

    nobody = client.get("/reports/hearings", query_string={**period, "body": "No such body"})
    assert html_table(nobody.get_data(as_text=True), "hearing_outcomes")[1:] == [["Nothing in this period."],
                                                                                 ["TOTAL"] + ["0"] * 10]
    response = client.get("/reports/hearings", query_string={"start": ["1", "3", "2016"], "end": ["31", "8", "2016"],
                                                              "maker": MAKER})
    assert response.status_code == 302 and f"maker={MAKER}" in unquote_plus(response.location)
