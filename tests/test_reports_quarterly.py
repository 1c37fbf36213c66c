"""The quarterly compliance measure (corporate plan 3.A4) as at the quarter end: UK financial-year
quarters, the boundary days, the set-based measure agreeing with the per-holder compliance rules,
and the same figures on screen, in every download and from the command line."""

import datetime as dt

import pytest

from licensing.compliance.evaluate import population_compliance, population_due_items
from licensing.compliance.sql import evidence_expiries
from licensing.extensions import db
from licensing.models import Licence
from licensing.reports import measure
from licensing.reports.periods import PeriodError, Quarter
from tests.conftest import login
from tests.support.hearings import staff
from tests.support.pdf import pdf_text
from tests.support.reports import csv_sections, html_table, tokens, xlsx_table

Q2 = Quarter.parse("2016-17-Q2")

HOLDERS = """holder_ref,first_name,last_name,date_of_birth,address,postcode,email,phone
QA,Ann,Able,1980-05-17,1 High St,AB1 2CD,,
QB,Bob,Bound,1980-05-17,2 High St,AB1 2CD,,
QC,Cat,Late,1980-05-17,3 High St,AB1 2CD,,
QD,Dan,Untrained,1980-05-17,4 High St,AB1 2CD,,
QE,Eve,Expiring,1980-05-17,5 High St,AB1 2CD,,
QF,Fay,Vehicle,1980-05-17,6 High St,AB1 2CD,,
QG,Gus,Later,1980-05-17,7 High St,AB1 2CD,,
QH,Hal,Suspended,1980-05-17,8 High St,AB1 2CD,,
QI,Ivy,Revoked,1980-05-17,9 High St,AB1 2CD,,
QJ,Jo,Leapday,1972-02-29,10 High St,AB1 2CD,,
QK,Kit,Fiveyearly,1960-01-01,11 High St,AB1 2CD,,
QL,Lou,Yearly,1950-06-01,12 High St,AB1 2CD,,
"""
VEHICLES = """registration,make,model,colour,seats,wheelchair_accessible,plate_number,proprietor_ref
QF16 AAA,Skoda,Octavia,Silver,4,no,PHV-Q1,QF
"""
LICENCES = "licence_number,holder_ref,licence_type,status,issued_on,expires_on,vehicle_registration\n" + "".join(
    f"Q-{ref},{ref},private_hire_driver,{status},{issued},{expires},\n" for ref, status, issued, expires in [
        ("QA", "active", "2015-01-01", "2018-01-01"), ("QB", "active", "2015-01-01", "2018-01-01"),
        ("QC", "active", "2015-01-01", "2018-01-01"), ("QD", "active", "2015-01-01", "2018-01-01"),
        ("QE", "active", "2015-01-01", "2016-09-30"), ("QG", "active", "2016-10-01", "2019-10-01"),
        ("QH", "suspended", "2015-01-01", "2018-01-01"), ("QI", "revoked", "2015-01-01", "2018-01-01"),
        ("QJ", "active", "2015-01-01", "2018-01-01"), ("QK", "active", "2015-01-01", "2018-01-01"),
        ("QL", "active", "2015-01-01", "2018-01-01")]
) + "Q-QFV,QF,private_hire_vehicle,active,2016-02-01,2017-02-01,QF16AAA\n"

# Every driver has a current DVLA check and medical unless a row below says otherwise.
CHECK_ROWS = [(ref, "", "dvla", "2016-06-01", "", "pass") for ref in "ABCDEGHIJKL"] + [
    (ref, "", "medical_group2", "2015-06-01", "", "pass") for ref in "ABCDEGHIJ"] + [
    ("K", "", "medical_group2", "2011-09-30", "", "pass"),  # age 51: five-yearly, due 30 Sep 2016 (not late)
    ("L", "", "medical_group2", "2015-09-29", "", "pass"),  # age 65+: yearly, due 29 Sep 2016 (late)
] + [(ref, "", "safeguarding_training", "2016-01-10", "", "pass") for ref in "ABCEGHIKL"] + [
    (ref, "", "dbs_update_service", "2016-09-01", "", "clear") for ref in "ADEGHIJKL"] + [
    ("B", "", "dbs_update_service", "2016-03-30", "", "clear"),  # due 30 September 2016: on time
    ("C", "", "dbs_update_service", "2016-03-29", "", "clear"),  # due 29 September 2016: overdue
    ("", "Q-QFV", "insurance", "2016-02-01", "2017-02-01", "pass"),
    ("", "Q-QFV", "mot", "2016-02-01", "", "pass"),
]
CHECKS = "holder_ref,licence_number,kind,completed_on,expires_on,result,reference\n" + "".join(
    f"{'Q' + h if h else ''},{lic},{kind},{done},{exp},{res},R{i}\n"
    for i, (h, lic, kind, done, exp, res) in enumerate(CHECK_ROWS))
# Enforcement either side of the quarter's first and last days, through the hearings import.
HEARINGS = """hearing_date,licence_number,attended,outcome,suspension_until,immediate,reasons
2016-06-30,Q-QI,yes,revoked,,no,
2016-07-01,Q-QC,yes,suspended,2016-08-01,no,
2016-09-30,Q-QD,yes,warning,,no,
2016-10-01,Q-QG,yes,revoked,,no,
"""

SUMMARY = [["As at", "Holders with a licence in force", "Adhering", "Not adhering", "% adhering", "Target %"],
           ["30 September 2016", "10", "7", "3", "70.0", "100.0"]]
BY_TYPE = [["Licence type", "Licences in force", "Adhering", "Not adhering", "% adhering"],
           ["Private hire driver", "9", "6", "3", "66.7"],
           ["Private hire vehicle", "1", "1", "0", "100.0"],
           ["TOTAL", "10", "7", "3", "70.0"]]
ENFORCEMENT = [["Action", "By an officer", "At a hearing", "Total"],
               ["Suspension", "0", "1", "1"], ["Revocation", "0", "0", "0"], ["Refusal", "0", "0", "0"],
               ["Warning", "0", "1", "1"], ["Suspended until compliant", "0", "0", "0"], ["TOTAL", "0", "2", "2"]]
REASONS = [["Requirement", "Licences with it overdue"], ["DBS update service status check", "1"],
           ["Group 2 medical", "1"], ["Safeguarding children and vulnerable adults training", "1"], ["TOTAL", "3"]]


def test_financial_year_quarters_and_their_boundaries():
    assert (Q2.start, Q2.end) == (dt.date(2016, 7, 1), dt.date(2016, 9, 30))
    assert Q2.name == "2016-17-Q2" and str(Q2.previous()) == "2016-17-Q1"
    q1, q4 = Quarter.parse("2016-17-Q1"), Quarter.parse("2016-17-Q4")
    assert (q1.start, q1.end) == (dt.date(2016, 4, 1), dt.date(2016, 6, 30))
    assert (q4.start, q4.end) == (dt.date(2017, 1, 1), dt.date(2017, 3, 31))
    assert Quarter.parse("2016-17-Q3").end == dt.date(2016, 12, 31)
    assert Quarter.containing(dt.date(2016, 3, 31)) == Quarter(2015, 4)
    assert Quarter.containing(dt.date(2016, 4, 1)) == q1
    assert Quarter.containing(dt.date(2016, 9, 30)) == Q2 and Quarter.containing(dt.date(2016, 10, 1)) == Q2.next()
    assert q1.previous() == Quarter(2015, 4) and q4.next() == Quarter(2017, 1)
    assert [str(q) for q in Q2.trend(4)] == ["2015-16-Q3", "2015-16-Q4", "2016-17-Q1", "2016-17-Q2"]
    assert Quarter.parse("2023-24-Q4").end == dt.date(2024, 3, 31)
    for bad in ("2016-18-Q2", "2016-17-Q5", "2016/17 Q2", ""):
        with pytest.raises(PeriodError):
            Quarter.parse(bad)


def test_refresher_thresholds_match_the_policy_arithmetic():
    from licensing.policy.requirements import add_months

    for day in [dt.date(2016, 9, 30), dt.date(2016, 3, 1), dt.date(2016, 2, 29), dt.date(2017, 3, 31)]:
        for months in (6, 12, 36, 60):
            threshold = measure.months_threshold(day, months)
            assert add_months(threshold, months) >= day
            assert add_months(threshold - dt.timedelta(days=1), months) < day


def _load(app, tmp_path):
    runner = app.test_cli_runner()
    for kind, text in [("holders", HOLDERS), ("vehicles", VEHICLES), ("licences", LICENCES), ("checks", CHECKS)]:
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        result = runner.invoke(args=["import", kind, str(path)])
        assert result.exit_code == 0 and "created" in result.output, result.output
    with app.app_context():
        from licensing.training import operations as training

        officer = staff("officer", "trainer@x.gov.uk")
        course = training.create_course(officer, code="SG1", title="Safeguarding", kind="safeguarding",
                                        satisfies="safeguarding_training", validity_months=36)
        session = training.create_session(officer, course=course, held_on=dt.date(2016, 2, 1), venue="Town Hall",
                                          capacity=10, trainer="T. Rainer")
        holder_id = db.session.scalar(db.select(Licence.holder_id).where(Licence.licence_number == "Q-QJ"))
        booking = training.book(officer, session.id, holder_id)
        training.complete_booking(officer, booking, completed_on=dt.date(2016, 2, 1), certificate_reference="C1")
        db.session.commit()
    path = tmp_path / "hearings.csv"
    path.write_text(HEARINGS)
    result = runner.invoke(args=["import", "hearings", str(path)])
    assert result.exit_code == 0, result.output


def _per_holder(on_date):
    """The measure from the one compliance module, holder by holder."""
    statuses = population_compliance(on_date)
    holders = {row for row in db.session.scalars(
        db.select(Licence.holder_id).where(Licence.status.in_(["active", "suspended"]),
                                           db.or_(Licence.issued_on.is_(None), Licence.issued_on <= on_date)))}
    adhering = sum(1 for h in holders if h not in statuses or statuses[h].compliant)
    return len(holders), adhering


def test_set_based_measure_agrees_with_the_compliance_rules(app, tmp_path):
    _load(app, tmp_path)
    with app.app_context():
        from licensing.demo.council import build_demo_council, ensure_demo_users

        ensure_demo_users()
        build_demo_council(holders=150, seed=11, today=dt.date(2016, 9, 1))
        db.session.commit()
        days = [Q2.end, Q2.start, dt.date(2016, 3, 31), dt.date(2016, 4, 1), dt.date(2016, 2, 29),
                dt.date(2017, 3, 1), dt.date(2019, 4, 1), dt.date(2015, 12, 31)]
        found = measure.measures(days)
        for day in days:
            expected = sorted((i.holder_id, i.licence_id, i.requirement) for i in population_due_items(day)
                              if i.overdue)
            assert measure.overdue_items(day) == expected, day
            assert (found[day].holders, found[day].holders_adhering) == _per_holder(day), day
        assert any(found[d].holders_adhering < found[d].holders for d in days)


def test_the_quarterly_report_is_the_same_everywhere(app, users, tmp_path):
    _load(app, tmp_path)
    client = app.test_client()
    login(client, users["manager"])
    page = client.get("/reports/quarterly", query_string={"quarter": "2016-17-Q2"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert html_table(text, "measure") == SUMMARY
    assert html_table(text, "by_type") == BY_TYPE
    assert html_table(text, "enforcement") == ENFORCEMENT
    assert html_table(text, "reasons") == REASONS
    assert [r[:3] for r in html_table(text, "not_adhering")[1:]] == [
        ["QC", "Cat Late", "Q-QC"], ["QD", "Dan Untrained", "Q-QD"], ["QL", "Lou Yearly", "Q-QL"]]
    trend = html_table(text, "trend")
    assert [r[0] for r in trend[1:]] == ["2015-16-Q3", "2015-16-Q4", "2016-17-Q1", "2016-17-Q2"]
    assert trend[-1] == ["2016-17-Q2", "30 September 2016", "10", "7", "70.0", "100.0"]
    with app.app_context():
        for row in trend[1:]:
            holders, adhering = _per_holder(Quarter.parse(row[0]).end)
            assert row[2:4] == [str(holders), str(adhering)]
    assert "<svg" in text and "Target 100%" in text

    drill = client.get("/reports/records", query_string={"figure": "quarterly.not_adhering", "quarter": "2016-17-Q2"})
    assert "3 records" in drill.get_data(as_text=True)

    csv_file = client.get("/reports/quarterly/export", query_string={"quarter": "2016-17-Q2", "format": "csv"})
    sections = csv_sections(csv_file.data)
    assert sections["Licence holders adhering to the policy at the quarter end"] == SUMMARY
    assert sections["Licences in force by type"] == BY_TYPE
    assert sections["Enforcement action taken in the quarter"] == ENFORCEMENT
    xlsx = client.get("/reports/quarterly/export", query_string={"quarter": "2016-17-Q2", "format": "xlsx"}).data
    assert xlsx_table(xlsx, "measure") == SUMMARY
    assert xlsx_table(xlsx, "by_type")[:4] == BY_TYPE
    assert xlsx_table(xlsx, "enforcement") == ENFORCEMENT
    pdf = pdf_text(client.get("/reports/quarterly/export", query_string={"quarter": "2016-17-Q2",
                                                                           "format": "pdf"}).data)
    for table in (SUMMARY[1:], BY_TYPE[1:], ENFORCEMENT[1:], REASONS[1:]):
        assert tokens(table) in pdf

    runner = app.test_cli_runner()
    out = tmp_path / "q.csv"
    result = runner.invoke(args=["report", "quarterly", "--quarter", "2016-17-Q2", "--format", "csv",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == csv_file.data
    printed = runner.invoke(args=["report", "quarterly", "--quarter", "2016-17-Q2"])
    assert tokens(SUMMARY[1:]) in " ".join(printed.output.split())
    bad = runner.invoke(args=["report", "quarterly", "--quarter", "2016-17-Q9"])
    assert bad.exit_code != 0 and "2016-17-Q2" in bad.output


def test_measure_agrees_where_every_piece_of_evidence_has_an_expiry_date(app):
    """Checks that all carry expiry dates (as the demo council's do) are read by their latest
    expiry alone; the answers still agree with the compliance rules, licence by licence."""
    with app.app_context():
        from licensing.demo.council import build_demo_council, ensure_demo_users

        ensure_demo_users()
        build_demo_council(holders=150, seed=5, today=dt.date(2026, 6, 1))
        db.session.commit()
        expiring = evidence_expiries(["dvla", "insurance", "mot", "disability_awareness"])
        assert expiring["dvla"] == (True, False) and expiring["mot"] == (True, False)
        assert expiring["disability_awareness"] == (False, True)  # training without expiry dates
        days = [dt.date(2025, 6, 30), dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 6, 1)]
        found = measure.measures(days)
        for day in days:
            expected = sorted((i.holder_id, i.licence_id, i.requirement) for i in population_due_items(day)
                              if i.overdue)
            assert expected and measure.overdue_items(day) == expected, day
            assert (found[day].holders, found[day].holders_adhering) == _per_holder(day), day
