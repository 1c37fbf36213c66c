"""Licensing statistics for a date range, the snapshot as at a date, and who may read reports:
figures built through the operations, each equal to its drill-down list, parts adding up to their
totals, and the same figure on screen, in CSV, Excel, PDF and from the command line."""

import datetime as dt
import re

import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.operations.holders import record_conviction
from licensing.holders.operations.licences import decide_application, pending_application
from licensing.models import Licence, Role, User
from licensing.reviews.operations import guidance as policy_operations
from licensing.reviews.operations import registers as register_operations
from licensing.revocations import immediate as action_operations
from licensing.revocations.delegated import take_delegated_action
from tests.conftest import login
from tests.support import register
from tests.support.pdf import pdf_text
from tests.support.people import authoriser_for
from tests.support.register import TODAY
from tests.support.reports import csv_sections, html_links, html_table, xlsx_table

START = TODAY - dt.timedelta(days=60)
PERIOD = {"from": START.isoformat(), "to": TODAY.isoformat()}


def _decide(officer, licence, outcome, capacity="delegated_officer"):
    decide_application(officer, pending_application(licence), outcome=outcome, capacity=capacity,
                       decided_on=TODAY, reasons="Considered", version=licence.version,
                       expires_on=TODAY + dt.timedelta(days=3 * 365))


def _offences(officer, refused_alone, refused_at_hearing, suspended):
    """For the FOI splits: a sexual offence and a protected caution, a drink-driving ban, a violent offence."""
    def convict(holder, category, day, **extra):
        record_conviction(officer, holder, {"category": category, "disposal": "conviction", "offence": "Offence",
                                            "conviction_date": day, "source": "dbs", **extra})
    convict(refused_alone, "sexual", dt.date(2010, 1, 1))
    convict(refused_alone, "dishonesty", dt.date(2012, 1, 1), disposal="caution", protected_override="yes",
            protected_reason="Filtered on the DBS certificate")
    convict(refused_at_hearing, "drink_drug_driving", dt.date(2021, 1, 1), endorsement_code="DR10",
            penalty_points=3, disqualification_start=dt.date(2021, 1, 1), disqualification_end=dt.date(2022, 1, 1))
    convict(suspended, "violence", dt.date(2020, 1, 1))


def _build(app, officer_email):
    """Applications decided every way, officer and hearing actions, complaints answered on time and
    late, mystery shops with each rating, an NR3S search and a policy review campaign."""
    with app.app_context():
        officer = register.user(officer_email)
        licences = []
        for n, (outcome, capacity) in enumerate([("granted", "delegated_officer"), ("granted", "delegated_officer"),
                                                 ("refused", "delegated_officer"), ("refused", "hearing"),
                                                 ("deferred", "delegated_officer"), (None, None)]):
            holder = register.person(officer, last_name=f"Applicant{n}")
            licence = register.driver_application(officer, holder, number=f"DL{n:04d}")
            if outcome == "granted":
                register.add_required_checks(officer, licence)
            if outcome:
                _decide(officer, licence, outcome, capacity)
            licences.append(licence)
        granted = licences[0]
        action_operations.take_immediate_action(
            officer, granted, "suspension", grounds="Arrested", public_safety_reason="Risk to passengers",
            police_information=True,
            authorised_by_id=authoriser_for(officer).id, suspension_to=dt.date.today() + dt.timedelta(days=30))
        register.add_check(officer, granted.holder, "nr3s_search", completed_on=TODAY - dt.timedelta(days=3))
        register.add_check(officer, granted.holder, "nr3s_search", completed_on=TODAY - dt.timedelta(days=2),
                           result="match_found")
        _offences(officer, refused_alone=licences[2].holder, refused_at_hearing=licences[3].holder,
                  suspended=granted.holder)
        on_time = register_operations.record_complaint(
            officer, received_on=TODAY - dt.timedelta(days=2), channel="email", category="overcharging",
            details="Charged twice", holder_id=granted.holder_id)
        register_operations.update_complaint(officer, on_time, "responded", None)
        late = register_operations.record_complaint(
            officer, received_on=TODAY - dt.timedelta(days=50), channel="phone", category="driver_conduct",
            details="Rude", holder_id=granted.holder_id)
        late.response_due_on = TODAY - dt.timedelta(days=30)  # a response deadline long gone
        register_operations.update_complaint(officer, late, "responded", None)
        register_operations.record_complaint(
            officer, received_on=TODAY - dt.timedelta(days=1), channel="letter", category="other",
            details="Open", holder_id=granted.holder_id)
        register_operations.record_complaint(  # before the period
            officer, received_on=START - dt.timedelta(days=1), channel="letter", category="other",
            details="Old", holder_id=granted.holder_id)
        for result in ("satisfactory", "fair", "fair", "unsatisfactory"):
            register_operations.record_enforcement_check(
                officer, checked_on=TODAY - dt.timedelta(days=5), check_type="mystery_shop", officer_id=officer.id,
                result=result, driver_id=granted.holder_id,
                issues_found=None if result == "satisfactory" else "Minor issues")
        register_operations.record_enforcement_check(
            officer, checked_on=TODAY - dt.timedelta(days=5), check_type="unannounced_vehicle_check",
            officer_id=officer.id, result="satisfactory", driver_id=granted.holder_id)
        policy_operations.ensure_bundled_edition(officer)
        policy_operations.run_campaign(officer, "=HYPERLINK(\"http://x\")", TODAY - dt.timedelta(days=1))
        db.session.commit()


EXPECTED = {
    "New applications received": "6", "Renewal applications received": "0", "Decisions made": "5", "Approved": "2",
    "Refused by an officer under delegated powers": "1", "Refused at a hearing": "1", "Deferred": "1",
    "Suspensions by an officer": "1", "Immediate suspensions and revocations by officers": "1",
    "of which following police information": "1", "Revocations at a hearing": "0", "Warnings issued": "0",
    "Complaints received": "3", "Answered on time": "1", "Answered late": "1", "Not answered yet": "1",
    "Enforcement checks (not mystery shops)": "1", "Mystery shops": "4", "Mystery shops rated satisfactory": "1",
    "Mystery shops rated fair": "2", "Mystery shops rated unsatisfactory": "1", "NR3S searches made": "4",
    "NR3S searches that found a match": "1", "Refusals: sexual offences": "1", "Refusals: violent offences": "0",
    "Refusals: dishonesty": "0", "Refusals: motoring offences": "1", "Suspensions: violent offences": "1",
    "Suspensions: sexual offences": "0", "Suspensions: motoring offences": "0", "Revocations: violent offences": "0",
    "DBS update-service checks made": "2",
}
PARTS = [("Decisions made", ["Approved", "Refused by an officer under delegated powers", "Refused at a hearing",
                             "Deferred"]),
         ("Complaints received", ["Answered on time", "Answered late", "Not answered yet"]),
         ("Mystery shops", ["Mystery shops rated satisfactory", "Mystery shops rated fair",
                            "Mystery shops rated unsatisfactory"])]


def _figures(rows_by_table):
    return {row[0]: row[1] for rows in rows_by_table for row in rows[1:] if len(row) == 2}


def test_statistics_reconcile_everywhere_and_drill_down_to_their_records(app, users, tmp_path):
    _build(app, users["officer"])
    client = app.test_client()
    login(client, users["manager"])
    page = client.get("/reports/statistics", query_string=PERIOD)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    ids = re.findall(r'<table class="govuk-table app-table--compact" id="(s\d+_\w+)"', text)
    screen = _figures([html_table(text, i) for i in ids])
    assert {k: screen[k] for k in EXPECTED} == EXPECTED
    for total, parts in PARTS:
        assert int(screen[total]) == sum(int(screen[p]) for p in parts), total
    assert text.count("<svg") >= 2

    # Every figure links to its records, and the list is as long as the figure.
    checked = 0
    for table_id in ids:
        rows = html_table(text, table_id)[1:]
        links = [h for h in html_links(text, table_id) if "/reports/records" in h]
        assert len(links) == len(rows), table_id
        for (label, value), link in zip(rows, links, strict=True):
            listing = client.get(link).get_data(as_text=True)
            count = re.search(r'id="record-count">(\d+) record', listing)
            assert count, (label, link)
            if not value.startswith("£"):  # a sum of money lists the records it adds up
                assert count.group(1) == value, (label, link)
            checked += 1
    assert checked == len(screen)

    csv_file = client.get("/reports/statistics/export", query_string={**PERIOD, "format": "csv"}).data
    sections = csv_sections(csv_file)
    assert _figures([rows for title, rows in sections.items() if rows and rows[0] == ["Figure", "Number"]]) == screen
    campaign = sections["Policy review campaigns"][1]
    assert campaign[0] == "'=HYPERLINK(\"http://x\")"  # neutralised: never a formula
    xlsx = client.get("/reports/statistics/export", query_string={**PERIOD, "format": "xlsx"}).data
    assert _figures([xlsx_table(xlsx, i) for i in ids]) == screen
    pdf = pdf_text(client.get("/reports/statistics/export", query_string={**PERIOD, "format": "pdf"}).data)
    for label, value in EXPECTED.items():
        assert f"{label} {value}" in pdf, label
    printed = app.test_cli_runner().invoke(args=["report", "statistics", "--from", PERIOD["from"],
                                                 "--to", PERIOD["to"]])
    assert printed.exit_code == 0, printed.output
    flat = " ".join(printed.output.split())
    for label, value in EXPECTED.items():
        assert f"{label} {value}" in flat, label
    out = tmp_path / "s.csv"
    app.test_cli_runner().invoke(args=["report", "statistics", "--from", PERIOD["from"], "--to", PERIOD["to"],
                                       "--format", "csv", "--out", str(out)])
    assert out.read_bytes() == csv_file

    # A period that ends before everything shows zeros, and its records lists are empty.
    earlier = client.get("/reports/statistics", query_string={"from": "2016-04-01", "to": "2016-06-30"})
    first = html_table(earlier.get_data(as_text=True), ids[0])
    assert {row[1] for row in first[1:]} == {"0"}


def test_snapshot_as_at_a_date(app, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        licence = register.driver_application(officer, holder)
        register.add_required_checks(officer, licence)
        _decide(officer, licence, "granted")
        db.session.commit()
    client = app.test_client()
    login(client, users["manager"])
    page = client.get("/reports/snapshot", query_string={"on": TODAY.isoformat()}).get_data(as_text=True)
    drivers = html_table(page, "drivers")
    assert ["Private hire driver", "1"] in drivers and drivers[-1] == ["TOTAL", "1"]
    before = client.get("/reports/snapshot", query_string={"on": (TODAY - dt.timedelta(days=1)).isoformat()})
    assert html_table(before.get_data(as_text=True), "drivers")[-1] == ["TOTAL", "0"]
    with app.app_context():
        licence = db.session.execute(sa.select(Licence).filter_by(licence_number="DL0001")).scalar_one()
        from licensing.holders.operations.licences import change_status

        change_status(register.user(users["officer"]), licence, "surrendered", "Handed back")
        db.session.commit()
    # Surrendered today: a snapshot counts licences in force at the end of its day, so not this one.
    after = client.get("/reports/snapshot", query_string={"on": TODAY.isoformat()}).get_data(as_text=True)
    assert html_table(after, "drivers")[-1] == ["TOTAL", "0"]
    xlsx = client.get("/reports/snapshot/export", query_string={"on": TODAY.isoformat(), "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx_table(xlsx.data, "drivers")[-1] == ["TOTAL", "0"]


def test_who_may_read_reports(app, users):
    for role, expected in [("manager", 200), ("officer", 200), ("panel", 404), ("admin", 403)]:
        client = app.test_client()
        login(client, users[role])
        for url in ["/reports/", "/reports/quarterly", "/reports/statistics/export?format=pdf", "/reports/records",
                    "/reports/hearings/export?format=xlsx"]:
            assert client.get(url).status_code == expected, (role, url)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.role == Role.PANEL)) == 1


def test_bad_periods_and_formats_are_refused_plainly(app, users):
    client = app.test_client()
    login(client, users["manager"])
    assert client.get("/reports/statistics", query_string={"from": "2016-07-01", "to": "2016-06-01"}).status_code \
        == 400
    assert client.get("/reports/hearings/export", query_string={**PERIOD, "format": "exe"}).status_code == 400
    assert client.get("/reports/quarterly", query_string={"quarter": "2016-17-Q7"}).status_code == 400
    form = client.get("/reports/statistics", query_string={"start": ["31", "2", "2016"], "end": ["1", "3", "2016"]})
    assert form.status_code == 400 and "must be a real date" in form.get_data(as_text=True)
    assert client.get("/reports/records", query_string={"figure": "nope"}).status_code == 404
    result = app.test_cli_runner().invoke(args=["report", "hearings", "--from", "2016-07-01", "--to", "2016-06-01"])
    assert result.exit_code != 0


def test_the_commissioners_enforcement_figures(app, users):
    """Seed facts §4.1 (2014/15): 7 immediate suspensions or revocations by officers, 6 following
    police information; 216 complaints; 32 mystery shops, 10 rated fair or unsatisfactory."""
    with app.app_context():
        officer = register.user(users["officer"])
        for n in range(7):
            holder = register.person(officer, last_name=f"Driver{n}")
            licence = register.driver_application(officer, holder, number=f"IA{n:04d}")
            register.add_required_checks(officer, licence)
            _decide(officer, licence, "granted")
            action_operations.take_immediate_action(
                officer, licence, "revocation" if n % 2 else "suspension", grounds="Information received",
                public_safety_reason="Risk to the public", police_information=n < 6,
                authorised_by_id=authoriser_for(officer).id,
                suspension_to=None if n % 2 else dt.date.today() + dt.timedelta(days=30))
        for n in range(216):
            register_operations.record_complaint(
                officer, received_on=TODAY - dt.timedelta(days=n % 50), channel="email", category="other",
                details=f"Complaint {n}", holder_id=holder.id)
        for n, result in enumerate(["satisfactory"] * 22 + ["fair"] * 6 + ["unsatisfactory"] * 4):
            register_operations.record_enforcement_check(
                officer, checked_on=TODAY - dt.timedelta(days=n), check_type="mystery_shop", officer_id=officer.id,
                result=result, issues_found=None if result == "satisfactory" else "Minor issues")
        db.session.commit()
    client, screen = _statistics_page(app, users)
    assert screen["Immediate suspensions and revocations by officers"] == "7"
    assert screen["of which following police information"] == "6"
    assert int(screen["Suspensions by an officer"]) + int(screen["Revocations by an officer"]) == 7
    assert screen["Complaints received"] == "216"
    assert screen["Mystery shops"] == "32"
    assert int(screen["Mystery shops rated fair"]) + int(screen["Mystery shops rated unsatisfactory"]) == 10


def _statistics_page(app, users):
    """The statistics page for the period as a manager sees it: (the client, {figure: value})."""
    client = app.test_client()
    login(client, users["manager"])
    text = client.get("/reports/statistics", query_string=PERIOD).get_data(as_text=True)
    ids = re.findall(r'<table class="govuk-table app-table--compact" id="(s\d+_\w+)"', text)
    return client, _figures([html_table(text, i) for i in ids])


def test_officers_delegated_warnings_and_suspensions_are_counted(app, users):
    """An officer's written warning counts under "Warnings issued", and a suspension with notice
    counts as an officer's suspension but not as immediate action."""
    with app.app_context():
        officer = register.user(users["officer"])
        for n, kind in enumerate(["warning", "warning", "suspension"]):
            holder = register.person(officer, last_name=f"Warned{n}")
            licence = register.driver_application(officer, holder, number=f"DW{n:04d}")
            register.add_required_checks(officer, licence)
            _decide(officer, licence, "granted")
            take_delegated_action(officer, licence, kind, grounds="Conduct on the rank",
                                  authorised_by_id=authoriser_for(officer).id,
                                  suspension_to=TODAY + dt.timedelta(days=60) if kind == "suspension" else None)
        db.session.commit()
    client, screen = _statistics_page(app, users)
    assert screen["Warnings issued"] == "2"
    assert screen["Suspensions by an officer"] == "1"
    assert screen["Immediate suspensions and revocations by officers"] == "0"
    listing = client.get("/reports/records", query_string={"figure": "actions.warnings", **PERIOD})
    assert "DW0000" in listing.get_data(as_text=True) and "DW0001" in listing.get_data(as_text=True)
