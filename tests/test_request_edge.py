"""A refusal raised by another area's operation shows at a field of the form that caused it, never
as a 500, and nothing of the refused request is saved."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import operations as hearing_ops
from licensing.models import (
    CaseState,
    EnforcementAction,
    HearingDecision,
    Licence,
    LicenceStatus,
    ReviewCase,
    User,
)
from licensing.revocations import immediate as action_operations
from tests.conftest import login
from tests.support.hearings import awaiting_case, hearing, seated_ids
from tests.support.people import authoriser_for
from tests.support.register import date_parts, field_error

# Heard today (just after midnight): a decision cannot be dated before its hearing.
LATER = dt.datetime.combine(dt.date.today(), dt.time(0, 1))


def test_a_hearing_suspending_a_driver_already_on_interim_suspension_refuses_at_its_field(app, client, users):
    app.config["ALLOW_INTERIM_SUSPENSION"] = True
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        chair = db.session.execute(sa.select(User).filter_by(email=users["panel"])).scalar_one()
        case = awaiting_case(officer, "INTERIM1")
        licence = case.licences[0]
        # An officer suspends the driver at once, pending the hearing.
        action_operations.take_immediate_action(
            officer, licence, "suspension", grounds="Arrested on suspicion", public_safety_reason="Risk to passengers",
            police_information=True, authorised_by_id=authoriser_for(officer).id, interim_pending_hearing=True)
        listing = hearing_ops.list_case(officer, hearing(officer, chair, starts_at=LATER), case,
                                        override_reason="Urgent")
        db.session.commit()
        ids = {"listing": listing.id, "case": case.id, "licence": licence.id}
        assert licence.status == LicenceStatus.SUSPENDED
    login(client, users["officer"])
    today = date_parts(dt.date.today())
    ends = date_parts(dt.date.today() + dt.timedelta(days=90))
    response = client.post(f"/hearings/listings/{ids['listing']}/decision", data={
        "outcome": "suspend", "reasons": "Risk to passengers", "immediate": "y",
        "public_safety_reason": "Risk to passengers", "decision_date": today, "notice_date": today,
        "suspension_to": ends, "present_ids": seated_ids(app, ids["listing"])})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[-2000:]
    # Raised by the revocations area's take_action inside the hearing's decision.
    assert "cannot be given an immediate suspension" in (field_error(html, "immediate") or ""), html[-3000:]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HearingDecision)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EnforcementAction)) == 1
        assert db.session.get(ReviewCase, ids["case"]).state == CaseState.LISTED_FOR_HEARING
        assert db.session.get(Licence, ids["licence"]).status == LicenceStatus.SUSPENDED
