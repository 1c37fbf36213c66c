"""Building enforcement actions for the revocations tests through the hearings and reviews operations."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as hearing_ops
from licensing.models import EnforcementAction, Role, User
from licensing.revocations.immediate import take_immediate_action
from tests.support.hearings import TODAY, awaiting_case, hearing, staff
from tests.support.people import authoriser_for
from tests.support.reviews import holder

HEARING_DAY = dt.date(2026, 3, 30)


def people():
    return {"officer": staff("officer", "off@x.gov.uk"), "chair": staff("panel", "chair@x.gov.uk")}


def hearing_action(team, ref, outcome="revoke", notice_date=HEARING_DAY, **kw):
    """A decision at a hearing on 30 March 2026 and the action it creates."""
    officer = team["officer"]
    sitting = hearing(officer, team["chair"])
    listing = hearing_ops.list_case(officer, sitting, awaiting_case(officer, ref), today=TODAY)
    decision = decisions.record_decision(officer, listing, outcome=outcome, reasons=f"Reasons for {ref}",
                                         decided_by=team["chair"], notice_date=notice_date, **kw)
    return db.session.get(EnforcementAction, decision.action_id)


def immediate_action(team, ref, kind="revocation", today=HEARING_DAY, **kw):
    """An officer's immediate suspension or revocation of an active driver licence."""
    person = holder(ref)
    return take_immediate_action(team["officer"], person.licences[0], kind, grounds="Arrested",
                                 public_safety_reason="Risk to passengers", police_information=True,
                                 authorised_by_id=authoriser_for(team["officer"]).id, today=today, **kw)


def sample_route_args(app):
    """One action with an appeal, an NR3S entry, a match request and a referral; {parameter: id}."""
    from licensing.models import CheckKind, CheckResult, ComplianceCheck, Nr3sEntry
    from licensing.revocations import duties, operations

    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(role=Role.OFFICER)).scalars().first()
        person = holder("REVSAMPLE")
        action = take_immediate_action(officer, person.licences[0], "revocation", grounds="Arrested",
                                       public_safety_reason="Risk", police_information=True,
                                       authorised_by_id=authoriser_for(officer).id, safeguarding_or_road_safety=True)
        appeal = operations.lodge_appeal(officer, action.licence, action=action, subject="",
                                         lodged_on=dt.date.today())
        entry = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one()
        check = ComplianceCheck(holder_id=person.id, kind=CheckKind.NR3S_SEARCH, completed_on=dt.date.today(),
                                result=CheckResult.MATCH_FOUND, recorded_by_id=officer.id)
        db.session.add(check)
        db.session.flush()
        request = duties.record_nr3s_request(officer, check, recording_authority="Leeds City Council",
                                             requested_on=dt.date.today())
        referral = duties.create_referral(officer, received_on=dt.date.today(), other_authority="Wolverhampton",
                                          driver_name="A Driver", information="Seen plying for hire")
        db.session.commit()
        return {"action_id": action.id, "appeal_id": appeal.id, "entry_id": entry.id, "check_id": check.id,
                "request_id": request.id, "referral_id": referral.id}
