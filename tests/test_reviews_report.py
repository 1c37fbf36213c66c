"""The officer's report on the case page: prefilled from the record, saved, shown, and refused
when someone else changed it meanwhile."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import operations as ops
from licensing.models import AuditEvent, OfficerReport, ReviewCase, User
from tests.conftest import login
from tests.support.hearings import TODAY, awaiting_case, hearing, staff
from tests.support.reviews import conviction

SECTIONS = ("background", "history", "assessment", "options")


def _case(app, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        case = awaiting_case(officer, "REPORT1")
        conviction(case.holder, "dishonesty", dt.date(2019, 4, 2), offence="Overcharging a passenger")
        db.session.commit()
        return case.id


def test_the_report_is_written_from_the_prefilled_template_and_shown_on_the_case_and_listing(app, client, users):
    case_id = _case(app, users)
    login(client, users["officer"])
    form = client.get(f"/reviews/cases/{case_id}/report").get_data(as_text=True)
    assert "Review of REPORT1" in form and "Overcharging a passenger" in form and "revoke it" in form
    data = {name: f"The {name} section." for name in SECTIONS}
    saved = client.post(f"/reviews/cases/{case_id}/report", data={**data, "version": ""}, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "Officer&#39;s report saved" in page and "The history section." in page and "Version 1" in page
    missing = client.post(f"/reviews/cases/{case_id}/report", data={**data, "options": " ", "version": "1"})
    assert "Write every section of the report" in missing.get_data(as_text=True)
    client.post(f"/reviews/cases/{case_id}/report", data={**data, "options": "Suspend for 28 days.", "version": "1"})
    stale = client.post(f"/reviews/cases/{case_id}/report", data={**data, "options": "Revoke.", "version": "1"})
    assert "was changed by" in stale.get_data(as_text=True)
    with app.app_context():
        report = db.session.execute(sa.select(OfficerReport).filter_by(case_id=case_id)).scalar_one()
        assert (report.version, report.options) == (2, "Suspend for 28 days.")
        change = db.session.execute(sa.select(AuditEvent).filter_by(action="case.report_changed")).scalar_one()
        assert change.before == {"options": "The options section."}
        assert change.after == {"options": "Suspend for 28 days."}
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        sitting = hearing(officer, staff("panel", "chair-report@x.gov.uk"))
        listing = ops.list_case(officer, sitting, db.session.get(ReviewCase, case_id), today=TODAY)
        db.session.commit()
        listing_id = listing.id
    assert "Suspend for 28 days." in client.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)


def test_panel_members_and_managers_cannot_write_reports(app, client, users):
    case_id = _case(app, users)
    login(client, users["manager"])
    assert client.get(f"/reviews/cases/{case_id}/report").status_code == 403
