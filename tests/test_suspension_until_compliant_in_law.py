"""Suspension until compliant is a suspension for "any other reasonable cause" under the section
for the licence type, with notice of grounds, the 21-day appeal right and the s.77(2) stay;
immediate effect only for a driver with a recorded public-safety reason (legal review L2, E5)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    ActionStatus,
    EnforcementAction,
    IssuedLetter,
    LicenceStatus,
    LicenceType,
    ProposalStatus,
    Role,
    SuspensionProposal,
    User,
)
from licensing.policy.service import deemed_served_on
from licensing.policy.statutory import rule_for
from licensing.revocations.operations import apply_due, lodge_appeal, record_appeal_outcome
from licensing.text import govuk_date
from licensing.training.suspensions import SuspensionError, confirm_suspensions, end_suspensions_if_compliant
from tests.support.pdf import pdf_text
from tests.support.training_data import make_driver

DAY = dt.date(2026, 11, 2)  # a Monday: posted today, served on Wednesday the 4th
REASONS = [{"requirement": "dbs_update_service", "label": "DBS update service status check", "due_on": "2026-10-01"}]


@pytest.fixture
def officer(ctx):
    user = User(email="sus-officer@test.example.gov.uk", name="Sue Officer", role=Role.OFFICER, password_hash="x",
                post="Senior Licensing Officer")
    db.session.add(user)
    db.session.flush()
    return user


def _proposal(ref, licence_type):
    holder, licence = make_driver(ref, issued_on=DAY - dt.timedelta(days=300), expires_on=DAY + dt.timedelta(days=400),
                                  licence_type=licence_type)
    proposal = SuspensionProposal(licence_id=licence.id, holder_id=holder.id, open_licence_id=licence.id,
                                  proposed_on=DAY, reasons=REASONS, status=ProposalStatus.PROPOSED)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _letter(proposal):
    letter = db.session.execute(sa.select(IssuedLetter).filter_by(action_id=proposal.action_id)).scalar_one()
    return pdf_text(letter.content)


@pytest.mark.parametrize("licence_type", [t for t in LicenceType])
def test_each_type_is_suspended_under_its_own_section_after_the_appeal_period(officer, licence_type):
    proposal = _proposal("T1", licence_type)
    confirm_suspensions(officer, [proposal.id], "Overdue after two reminders", DAY)
    action, rule = proposal.action, rule_for(licence_type, "suspension", DAY)
    served = deemed_served_on("first_class_post", DAY)
    assert served == dt.date(2026, 11, 4)
    assert (action.decision, action.status, action.immediate) == ("suspension", ActionStatus.PENDING, False)
    assert action.effective_date == served + dt.timedelta(days=22)
    assert proposal.licence.status == LicenceStatus.ACTIVE  # s.77(2): in force while the time to appeal runs
    text = _letter(proposal)
    assert f"under {rule.power}, for any other reasonable cause" in text
    assert f"You may appeal against this decision to {rule.court_name}" in text
    assert f"The last day to appeal is {govuk_date(served + dt.timedelta(days=21))}" in text
    assert f"takes effect on {govuk_date(action.effective_date)}" in text
    assert "DBS update service status check (due 1 October 2026)" in text
    assert "Sue Officer, Senior Licensing Officer" in text and "LIC/04" in text
    expected_section = {"driver": "section 61(1)", "vehicle": "section 60(1)", "operator": "section 62(1)"}
    kind = "driver" if licence_type.is_driver else "vehicle" if licence_type.is_vehicle else "operator"
    assert expected_section[kind] in rule.power
    assert rule.return_words in text


@pytest.mark.parametrize("licence_type", [LicenceType.PRIVATE_HIRE_VEHICLE, LicenceType.HACKNEY_CARRIAGE_VEHICLE,
                                          LicenceType.PRIVATE_HIRE_OPERATOR])
def test_vehicles_and_operators_cannot_be_suspended_with_immediate_effect(officer, licence_type):
    proposal = _proposal("T2", licence_type)
    with pytest.raises(SuspensionError, match="driver licences only") as refused:
        confirm_suspensions(officer, [proposal.id], "Overdue", DAY, immediate=True, public_safety_reason="Risk")
    assert refused.value.field == "immediate"


def test_a_driver_suspended_immediately_for_public_safety_is_suspended_when_served(officer):
    proposal = _proposal("T3", LicenceType.PRIVATE_HIRE_DRIVER)
    with pytest.raises(SuspensionError, match="public safety"):
        confirm_suspensions(officer, [proposal.id], "Overdue", DAY, immediate=True)
    confirm_suspensions(officer, [proposal.id], "Overdue", DAY, immediate=True,
                        public_safety_reason="No valid DBS check", service_method="hand")
    action = proposal.action
    assert (action.status, action.effective_date) == (ActionStatus.EFFECTIVE, DAY)
    assert proposal.licence.status == LicenceStatus.SUSPENDED
    text = _letter(proposal)
    assert "section 61(1) and (2B)" in text and "No valid DBS check" in text
    assert "takes effect immediately, on 2 November 2026" in text


def test_complying_before_it_takes_effect_cancels_it_and_after_ends_it(officer):
    early, late = _proposal("T4", LicenceType.PRIVATE_HIRE_DRIVER), _proposal("T5", LicenceType.PRIVATE_HIRE_DRIVER)
    confirm_suspensions(officer, [early.id, late.id], "Overdue", DAY)
    takes_effect = early.action.effective_date
    end_suspensions_if_compliant(officer, takes_effect - dt.timedelta(days=3), holder_ids=[early.holder_id], items=[])
    assert early.action.status == ActionStatus.CANCELLED and early.status == ProposalStatus.ENDED
    apply_due(None, takes_effect)
    assert early.licence.status == LicenceStatus.ACTIVE
    assert late.licence.status == LicenceStatus.SUSPENDED
    end_suspensions_if_compliant(officer, takes_effect + dt.timedelta(days=5), holder_ids=[late.holder_id], items=[])
    assert late.action.ended_on == takes_effect + dt.timedelta(days=5)
    assert late.licence.status == LicenceStatus.ACTIVE


def test_an_appeal_in_time_holds_the_suspension_until_the_court_decides(officer):
    proposal = _proposal("T6", LicenceType.HACKNEY_CARRIAGE_DRIVER)
    confirm_suspensions(officer, [proposal.id], "Overdue", DAY)
    action = proposal.action
    deadline = rule_for(proposal.licence.licence_type, "suspension", DAY).appeal_deadline(action.served_on)
    appeal = lodge_appeal(officer, proposal.licence, subject="", lodged_on=deadline, action=action,
                          today=deadline)
    assert action.status == ActionStatus.PENDING and action.effective_date is None
    apply_due(None, deadline + dt.timedelta(days=10))
    assert proposal.licence.status == LicenceStatus.ACTIVE
    record_appeal_outcome(officer, appeal, outcome="dismissed", decided_on=deadline + dt.timedelta(days=30),
                          today=deadline + dt.timedelta(days=30))
    assert proposal.licence.status == LicenceStatus.SUSPENDED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EnforcementAction)) == 1


def test_notices_served_by_e_mail_go_by_e_mail_only_with_the_holders_agreement(officer):
    from licensing.letters.issue import find_letter_email
    from licensing.revocations.errors import RevocationError

    proposal = _proposal("T7", LicenceType.PRIVATE_HIRE_DRIVER)
    db.session.commit()
    with pytest.raises(RevocationError, match="not agreed") as refused:
        confirm_suspensions(officer, [proposal.id], "Overdue", DAY, service_method="email")
    assert refused.value.field == "service_method"
    db.session.rollback()
    proposal = db.session.get(SuspensionProposal, proposal.id)
    assert proposal.status == ProposalStatus.PROPOSED and proposal.action_id is None  # nothing half-saved
    proposal.holder.email = "t7@drivers.example"
    proposal.holder.email_service_consent_on = DAY - dt.timedelta(days=100)
    confirm_suspensions(officer, [proposal.id], "Overdue", DAY, service_method="email")
    letter = db.session.execute(sa.select(IssuedLetter).filter_by(action_id=proposal.action_id)).scalar_one()
    assert find_letter_email(letter) is not None and proposal.action.served_on == DAY
