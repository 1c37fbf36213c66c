"""The record of decisions (the council's Appendix J): each decision with its matter, date, forum
and decision maker, in full for managers and in a public form that names no holder; on screen, as
CSV, Excel and PDF; filtered by period, forum and decision maker."""

import datetime as dt

import sqlalchemy as sa

from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as hearing_ops
from licensing.holders.operations.licences import apply_for_licence, pending_application
from licensing.models import BodyKind, HearingDecision
from tests.conftest import login
from tests.support import register
from tests.support.hearings import TODAY, awaiting_case, default_body, staff
from tests.support.pdf import pdf_text
from tests.support.reports import csv_table, html_table, xlsx_table
from tests.support.revocations import hearing_action, immediate_action, people

PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
SUB_COMMITTEE = "Licensing sub-committee"
COMMISSIONER = "Commissioner sitting with advisory members"
DELEGATED = "Officer under delegated powers"
BY_MAJORITY = "Licensing sub-committee, by majority (1 to 0)"  # the chair sat alone in these tests
RESOLUTION = "Council resolution (test)"
SCHEME = "Constitution Part 3, Scheme of Delegation to Officers"
# What the public form must never show: holders' names and references, licence numbers, reasons.
PRIVATE = ["DriverRV1", "DriverWN1", "DriverIM1", "Applicant", "Pat ", "Dana ", "L-RV1", "L-WN1", "L-IM1",
           "AP0001", "Corrected reasons", "Reasons for", "Arrested", "Failed the knowledge test"]


def _record(app):
    """A revocation at the sub-committee (corrected once), a warning by the commissioner, an
    officer's immediate revocation and an officer's refusal of an application, all in March 2026."""
    with app.app_context():
        team = people()
        officer, chair = team["officer"], team["chair"]
        action = hearing_action(team, "RV1", outcome="revoke")
        first = db.session.execute(sa.select(HearingDecision).filter_by(action_id=action.id)).scalar_one()
        decisions.record_decision(officer, first.listing, outcome="revoke", reasons="Corrected reasons for RV1",
                                  decided_by=chair, corrects=first, correction_reason="Reasons incomplete",
                                  notice_date=first.notice_date)
        commissioner = staff("panel", "ney@x.gov.uk")
        default_body(officer, COMMISSIONER, BodyKind.COMMISSIONER)
        sitting = hearing_ops.create_hearing(officer, dt.datetime(2026, 3, 31, 10), "Town Hall", COMMISSIONER,
                                             commissioner.id, [], date_override_reason="Hearing entered for the test")
        listing = hearing_ops.list_case(officer, sitting, awaiting_case(officer, "WN1"), today=TODAY)
        decisions.record_decision(officer, listing, outcome="warning", reasons="Reasons for WN1",
                                  decided_by=commissioner)
        immediate_action(team, "IM1")
        applicant = register.person(officer, last_name="Applicant")
        licence = apply_for_licence(officer, applicant, licence_type="private_hire_driver", licence_number="AP0001",
                                    received_on=dt.date(2026, 3, 1), today=dt.date(2026, 3, 1))
        decide_application(officer, pending_application(licence), outcome="refused", capacity="delegated_officer",
                           decided_on=dt.date(2026, 3, 25), reasons="Failed the knowledge test",
                           issue_notice=False, today=dt.date(2026, 3, 25))
        db.session.commit()


PUBLIC_ROWS = [
    ["No.", "Date", "Matter", "Forum", "Decision maker", "Authority"],
    ["1", "25 March 2026", "Private hire driver licence application: refused", DELEGATED, "Off",
     f"{SCHEME}, delegation LIC/02"],
    ["2", "30 March 2026", "Private hire driver licence: revoked", SUB_COMMITTEE, BY_MAJORITY, RESOLUTION],
    # An immediate action is decided by the officer who authorised it, not the one who recorded it.
    ["3", "30 March 2026", "Private hire driver licence: revoked with immediate effect", DELEGATED, "Test Manager",
     f"{SCHEME}, delegation LIC/05"],
    ["4", "31 March 2026", "Private hire driver licence: warning issued", COMMISSIONER, "Ney", RESOLUTION],
]


def test_the_full_record_lists_each_decision_with_its_maker_forum_holder_and_reasons(app, users):
    _record(app)
    client = app.test_client()
    login(client, users["manager"])
    page = client.get("/reports/decisions", query_string=PERIOD)
    assert page.status_code == 200
    rows = html_table(page.get_data(as_text=True), "decisions")
    assert [r[:6] for r in rows] == PUBLIC_ROWS
    assert rows[0][6:] == ["Holder", "Licence", "Reasons"]
    assert [r[7:] for r in rows[1:]] == [["AP0001", "Failed the knowledge test"],
                                         ["L-RV1", "Corrected reasons for RV1"], ["L-IM1", "Arrested"],
                                         ["L-WN1", "Reasons for WN1"]]
    assert "DriverRV1 (RV1)" in rows[2][6] and "Applicant" in rows[1][6]
    assert "Reasons for RV1" not in page.get_data(as_text=True)  # the superseded decision is not listed

    csv_rows = csv_table(client.get("/reports/decisions/export", query_string={**PERIOD, "format": "csv"}).data)
    assert csv_rows == rows
    xlsx = client.get("/reports/decisions/export", query_string={**PERIOD, "format": "xlsx"}).data
    assert xlsx_table(xlsx, "decisions")[:5] == rows
    pdf = pdf_text(client.get("/reports/decisions/export", query_string={**PERIOD, "format": "pdf"}).data)
    assert "Failed the knowledge test" in pdf and "Commissioner sitting with advisory" in pdf and "Ney" in pdf
    printed = app.test_cli_runner().invoke(args=["report", "decisions", "--from", PERIOD["from"], "--to", PERIOD["to"]])
    assert printed.exit_code == 0, printed.output
    assert "Private hire driver licence: warning issued Commissioner sitting with advisory members Ney" in \
        " ".join(printed.output.split())


def test_the_public_record_names_no_holder_in_any_format(app, users):
    _record(app)
    client = app.test_client()  # not signed in
    page = client.get("/public-register/decisions/", query_string=PERIOD)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "public, max-age=300"
    text = page.get_data(as_text=True)
    assert html_table(text, "decisions") == PUBLIC_ROWS
    csv_download = client.get("/public-register/decisions/export", query_string={**PERIOD, "format": "csv"})
    assert csv_download.headers["Content-Disposition"].startswith("attachment")
    assert csv_table(csv_download.data) == PUBLIC_ROWS
    xlsx = client.get("/public-register/decisions/export", query_string={**PERIOD, "format": "xlsx"}).data
    assert xlsx_table(xlsx, "decisions")[:5] == PUBLIC_ROWS
    pdf = pdf_text(client.get("/public-register/decisions/export", query_string={**PERIOD, "format": "pdf"}).data)
    assert "warning issued" in pdf and "Licensing sub-committee" in pdf
    sheet = " ".join(" ".join(str(c) for c in row) for row in xlsx_table(xlsx, "decisions"))
    for private in PRIVATE:
        assert private not in text, private
        assert private not in csv_download.get_data(as_text=True), private
        assert private not in sheet, private
        assert private not in pdf, private
    assert "record of licensing decisions" in client.get("/public-register/").get_data(as_text=True)


def test_the_record_filters_by_period_forum_and_decision_maker(app, users):
    _record(app)
    client = app.test_client()
    rows = html_table(client.get("/public-register/decisions/", query_string={**PERIOD, "forum": DELEGATED})
                      .get_data(as_text=True), "decisions")
    assert [r[2] for r in rows[1:]] == [PUBLIC_ROWS[1][2], PUBLIC_ROWS[3][2]]
    page = client.get("/public-register/decisions/", query_string={**PERIOD, "maker": "Ney"}).get_data(as_text=True)
    assert [r[2:5] for r in html_table(page, "decisions")[1:]] == [PUBLIC_ROWS[4][2:5]]
    assert f'<option value="{BY_MAJORITY}">' in page and f'<option value="{SUB_COMMITTEE}">' in page  # choices
    rows = html_table(client.get("/public-register/decisions/", query_string={"from": "2026-03-30",
                                                                             "to": "2026-03-30"})
                      .get_data(as_text=True), "decisions")
    assert [r[2] for r in rows[1:]] == [PUBLIC_ROWS[2][2], PUBLIC_ROWS[3][2]]
    csv_rows = csv_table(client.get("/public-register/decisions/export", query_string={
        **PERIOD, "forum": SUB_COMMITTEE, "maker": BY_MAJORITY, "format": "csv"}).data)
    assert [r[2:5] for r in csv_rows[1:]] == [PUBLIC_ROWS[2][2:5]]
    response = client.get("/public-register/decisions/", query_string={
        "start": ["1", "3", "2026"], "end": ["31", "3", "2026"], "forum": COMMISSIONER})
    assert response.status_code == 302 and "from=2026-03-01" in response.location
    assert "Commissioner" in response.location
    assert client.get("/public-register/decisions/", query_string={"start": ["", "", ""]}).status_code == 400

    login(client, users["manager"])
    signed_in = client.get("/public-register/decisions/", query_string=PERIOD)
    assert signed_in.headers["Cache-Control"] == "no-store"  # a signed-in reader's copy is never kept


def test_the_page_keeps_its_first_rows_and_the_downloads_have_all(app):
    from licensing.reports.service import build

    _record(app)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    with app.app_context():
        table = build("decisions_public", start=start, end=end, list_limit=2).table("decisions")
        assert [r[0] for r in table.rows] == [1, 2] and table.more_rows == 2
        assert table.notes[0].startswith("4 decisions.")
        assert len(build("decisions", start=start, end=end).table("decisions").rows) == 4


def test_the_unfiltered_page_reads_only_its_first_rows_and_agrees_with_the_full_record(app):
    """`first_page` gives the same first rows, count and choices as reading every decision."""
    from licensing.reports import decision_record as record

    _record(app)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    with app.app_context():
        every = record.decisions_in(start, end)
        for limit in (1, 2, 3, 10):
            first, total, choices = record.first_page(start, end, limit)
            assert first == every[:limit] and total == len(every) == 4
            assert choices == record.choices(every)
