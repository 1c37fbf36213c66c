"""A hearing's decision decides: a refusal closes the application (the licence refused, the
decision maker as decider) and its letter follows the statutory rule table, including what must be
handed back for each licence type (legal review L5, L6, L10, L13; feature review D3)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as ops
from licensing.holders.operations.licences import apply_for_licence
from licensing.models import (
    ApplicationOutcome,
    AuditEvent,
    CaseState,
    DecisionCapacity,
    EnforcementAction,
    LicenceStatus,
    LicenceType,
    Nr3sEntry,
)
from licensing.reviews.operations import cases as review_ops
from tests.support import register
from tests.support.hearings import HEARING_AT, TODAY, awaiting_case, default_body, hearing, staff
from tests.support.pdf import pdf_text

DAY = HEARING_AT.date()
LATER = dt.date(2026, 4, 30)


@pytest.fixture
def people(ctx):
    return staff("officer", "law-officer@x.gov.uk"), staff("panel", "law-chair@x.gov.uk")


def _decide(people, case, **kw):
    officer, chair = people
    listing = ops.list_case(officer, hearing(officer, chair), case, today=TODAY)
    values = {"reasons": "Not a fit and proper person", "decided_by": chair, "decision_date": DAY,
              "notice_date": DAY, "today": LATER, **kw}
    return decisions.record_decision(officer, listing, **values)


def test_a_hearing_refusal_decides_the_application(people):
    officer, chair = people
    person = register.person(officer, last_name="Applicant")
    licence = apply_for_licence(officer, person, licence_type="hackney_carriage_driver", licence_number="HCD9",
                                received_on=dt.date(2026, 2, 1))
    case = review_ops.open_case(officer, person, "audit", "New application with convictions", licences=[licence])
    review_ops.transition(officer, case, CaseState.AWAITING_DECISION, "Ready")
    decision = _decide(people, case, outcome="refuse", safeguarding_or_road_safety=True)
    db.session.flush()
    application = licence.applications[-1]
    assert application.outcome == ApplicationOutcome.REFUSED and application.capacity == DecisionCapacity.HEARING
    assert application.decided_by_id == chair.id and application.decided_on == DAY
    assert licence.status == LicenceStatus.REFUSED
    audit = db.session.execute(sa.select(AuditEvent).filter_by(action="licence_application.refused")).scalar_one()
    assert audit.after["decided_by_id"] == chair.id and audit.actor_id == officer.id  # decider, and who recorded it
    action = db.session.execute(sa.select(EnforcementAction).filter_by(application_id=application.id)).scalar_one()
    assert decision.action_id == action.id and action.decision == "refuse_new"
    assert db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one()
    text = pdf_text(decision.letter.content)
    assert "section 59 of the Local Government (Miscellaneous Provisions) Act 1976" in text
    assert "national register of refusals, revocations and suspensions (NR3S)" in text
    assert "Decided by the Licensing sub-committee by a majority of 1 to 0" in text and "Telephone:" in text


@pytest.mark.parametrize(("licence_type", "outcome", "returned", "absent"), [
    (LicenceType.PRIVATE_HIRE_OPERATOR, "revoke", "return your operator licence document", "plates"),
    (LicenceType.HACKNEY_CARRIAGE_VEHICLE, "suspend", "return the vehicle licence plates", "badge"),
    (LicenceType.PRIVATE_HIRE_DRIVER, "suspend", "return your driver's badge", "plates"),
])
def test_the_letter_asks_for_what_the_rule_table_says_is_handed_back(people, licence_type, outcome, returned,
                                                                   absent):
    case = awaiting_case(people[0], f"RET{licence_type.value[:3]}", licence_type=licence_type)
    extra = {"suspension_to": dt.date(2026, 9, 30)} if outcome == "suspend" else {}
    text = pdf_text(_decide(people, case, outcome=outcome, **extra).letter.content)
    assert returned in text and "within 7 days" in text
    assert absent not in text


def test_no_register_sentence_without_an_nr3s_task(people):
    case = awaiting_case(people[0], "NOREG", licence_type=LicenceType.PRIVATE_HIRE_VEHICLE)
    text = pdf_text(_decide(people, case, outcome="revoke", safeguarding_or_road_safety=True).letter.content)
    assert "NR3S" not in text  # vehicle decisions are not entered on the drivers' register


def test_a_hearing_grant_gives_the_term_expiry_conditions_and_the_appeal_against_them(people):
    from licensing.decisions.operations import proposed_expiry
    from licensing.holders.operations.licences import pending_application
    from licensing.text import govuk_date

    officer, chair = people
    today = dt.date.today()
    person = register.person(officer, last_name="Granted")
    licence = apply_for_licence(officer, person, licence_type="private_hire_driver", licence_number="PHD9",
                                received_on=today - dt.timedelta(days=40))
    register.add_required_checks(officer, licence)
    licence.conditions = "Must not carry more than four passengers"
    case = review_ops.open_case(officer, person, "audit", "New application, minor matters", licences=[licence])
    review_ops.transition(officer, case, CaseState.AWAITING_DECISION, "Ready")
    expected_expiry = proposed_expiry(pending_application(licence), today)
    default_body(officer)
    sitting = ops.create_hearing(officer, dt.datetime.combine(today, dt.time(0, 1)), "Room 1",
                                 "Licensing sub-committee", chair.id, date_override_reason="Sitting today")
    listing = ops.list_case(officer, sitting, case, override_reason="Urgent")
    decision = decisions.record_decision(officer, listing, outcome="grant", reasons="Fit and proper",
                                         decided_by=chair, decision_date=today, notice_date=today)
    db.session.flush()
    assert licence.status == LicenceStatus.ACTIVE and licence.expires_on == expected_expiry
    text = pdf_text(decision.letter.content)
    assert f"The licence runs from {govuk_date(today)} until {govuk_date(expected_expiry)}" in text
    assert "Conditions: Must not carry more than four passengers" in text
    assert "You may appeal against the conditions attached to the licence to the magistrates' court" in text
    assert "section 51 of the Local Government (Miscellaneous Provisions) Act 1976" in text
