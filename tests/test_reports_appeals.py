"""Appeals and NR3S figures in the licensing statistics: the seed facts' appeals (5 of 7 driver
appeals defended; eight camera appeals lost with £525 costs each, £4,200 in all), equal to the
revocations summary, to their drill-down lists and in every format."""

import datetime as dt
import re

from licensing.extensions import db
from licensing.models import LicenceType
from licensing.revocations import operations, queries
from tests.conftest import login
from tests.support.pdf import pdf_text
from tests.support.reports import csv_sections, html_table, xlsx_table
from tests.support.reviews import holder
from tests.support.revocations import immediate_action, people

D = dt.date
PERIOD = {"from": "2016-10-01", "to": "2017-01-31"}


def _appeals(app):
    with app.app_context():
        team = people()
        officer = team["officer"]
        outcomes = ["dismissed", "dismissed", "dismissed", "withdrawn", "abandoned", "allowed", "varied"]
        for n, outcome in enumerate(outcomes):
            action = immediate_action(team, f"AP{n}", today=D(2016, 10, 3), safeguarding_or_road_safety=True)
            appeal = operations.lodge_appeal(officer, action.licence, action=action, subject="",
                                             lodged_on=D(2016, 10, 10), today=D(2016, 10, 10))
            extra = {"varied_kind": "suspension", "varied_suspension_to": D(2017, 2, 1)} if outcome == "varied" else {}
            operations.record_appeal_outcome(officer, appeal, outcome=outcome, decided_on=D(2017, 1, 9),
                                             today=D(2017, 1, 9), **extra)
        for n in range(8):
            person = holder(f"CAM{n}", licence_type=LicenceType.HACKNEY_CARRIAGE_DRIVER)
            appeal = operations.lodge_appeal(officer, person.licences[0], subject="Condition requiring a taxi camera",
                                             notice_on=D(2016, 8, 1), lodged_on=D(2016, 10, 15), today=D(2016, 10, 15))
            operations.record_appeal_outcome(officer, appeal, outcome="dismissed", decided_on=D(2016, 12, 5),
                                             costs_direction="for_council", costs_pence=52500, today=D(2016, 12, 5))
        db.session.commit()


def test_appeals_and_nr3s_figures(app, users, tmp_path):
    _appeals(app)
    client = app.test_client()
    login(client, users["manager"])
    text = client.get("/reports/statistics", query_string=PERIOD).get_data(as_text=True)
    ids = re.findall(r'<table class="govuk-table app-table--compact" id="(s\d+_\w+)"', text)
    rows = {r[0]: r[1] for i in ids for r in html_table(text, i)[1:]}
    assert rows["Appeals lodged"] == "15"
    assert rows["Appeals decided"] == "15"
    assert rows["Defended (dismissed, withdrawn or abandoned)"] == "13"
    assert rows["Lost (allowed or varied)"] == "2"
    assert rows["Costs awarded to the council"] == "£4,200.00"
    assert rows["Costs awarded against the council"] == "£0.00"
    with app.app_context():
        summary = queries.appeals_summary(D(2016, 10, 1), D(2017, 1, 31))
        nr3s = queries.nr3s_summary(D(2016, 10, 1), D(2017, 1, 31))
    assert (summary["lodged"], summary["decided"], summary["defended"], summary["lost"]) == (15, 15, 13, 2)
    assert summary["costs_recovered_pence"] == 420000
    assert rows["NR3S entries required (revocations, refusals and suspensions decided)"] == str(nr3s["entries_due"])
    assert rows["NR3S entries made"] == str(nr3s["entries_made"])
    january = client.get("/reports/statistics", query_string={"from": "2017-01-01", "to": "2017-01-31"})
    jan = {r[0]: r[1] for i in ids for r in html_table(january.get_data(as_text=True), i)[1:]}
    assert (jan["Appeals decided"], jan["Defended (dismissed, withdrawn or abandoned)"]) == ("7", "5")
    drill = client.get("/reports/records", query_string={"figure": "appeals.costs_for", **PERIOD})
    assert "8 records" in drill.get_data(as_text=True)
    sections = csv_sections(client.get("/reports/statistics/export", query_string={**PERIOD, "format": "csv"}).data)
    assert ["Costs awarded to the council", "£4,200.00"] in sections["Appeals"]
    xlsx = client.get("/reports/statistics/export", query_string={**PERIOD, "format": "xlsx"}).data
    appeals_sheet = next(i for i in ids if "appeals" in i)
    assert ["Costs awarded to the council", "£4,200.00"] in xlsx_table(xlsx, appeals_sheet)
    pdf = pdf_text(client.get("/reports/statistics/export", query_string={**PERIOD, "format": "pdf"}).data)
    assert "Costs awarded to the council £4,200.00" in pdf
