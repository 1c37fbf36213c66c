"""The national register in full (legal review N1, N3, N4, N5): a search match stops a grant
until the recording authority's reply is recorded or a senior officer overrides it with reasons;
the search is required only from 27 April 2023; refusals to renew on safeguarding grounds open an
entry; s.5 information about our own drivers is considered and the sender told."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.holders.checks import missing_for_decision
from licensing.holders.errors import NotReadyError
from licensing.holders.operations.licences import apply_for_licence, pending_application, record_renewal
from licensing.models import (
    ApplicationOutcome,
    AuditEvent,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    IncomingConcern,
    LicenceStatus,
    Nr3sEntry,
    Nr3sMatchOverride,
    Role,
    User,
)
from licensing.policy.requirements import required_check_kinds
from licensing.policy.working_days import end_of_working_days_beginning_with
from licensing.revocations import duties
from licensing.safeguarding.errors import SafeguardingError
from licensing.safeguarding.operations import nr3s
from tests.conftest import login
from tests.support import register
from tests.support.register import TODAY, date_parts


def _manager():
    return db.session.execute(sa.select(User).filter_by(role=Role.MANAGER)).scalar_one()


def _driver_with_match(officer, number="DL0901"):
    holder = register.person(officer, last_name=f"Match{number}")
    licence = register.driver_application(officer, holder, number=number)
    register.add_required_checks(officer, licence, skip=("nr3s_search",))
    match = register.add_check(officer, holder, "nr3s_search", completed_on=TODAY - dt.timedelta(days=5),
                               result="match_found")
    db.session.flush()
    return licence, match


def _grant(officer, licence):
    return decide_application(officer, pending_application(licence), outcome="granted", capacity="delegated_officer",
                              decided_on=TODAY, reasons="Fit and proper", issue_notice=False)


def test_a_match_blocks_the_grant_until_the_reply_is_recorded(officer):
    licence, match = _driver_with_match(officer)
    with pytest.raises(NotReadyError) as refused:
        _grant(officer, licence)
    assert refused.value.field == "outcome"
    assert "found a match; record the request" in str(refused.value)
    request = duties.record_nr3s_request(officer, match, recording_authority="Leeds City Council",
                                         requested_on=TODAY - dt.timedelta(days=4))
    with pytest.raises(NotReadyError, match="record the reply from Leeds City Council"):
        _grant(officer, licence)
    duties.record_nr3s_reply(officer, request, reply_on=TODAY - dt.timedelta(days=1),
                             summary="Revoked in 2021 for a road-safety matter; details attached")
    assert missing_for_decision(licence, TODAY) == []
    _grant(officer, licence)
    assert licence.status == LicenceStatus.ACTIVE


def test_a_reply_dated_after_the_decision_does_not_count(officer):
    licence, match = _driver_with_match(officer, "DL0902")
    request = duties.record_nr3s_request(officer, match, recording_authority="York", requested_on=TODAY - dt.timedelta(
        days=4))
    duties.record_nr3s_reply(officer, request, reply_on=TODAY, summary="Nothing further")
    assert any("record the reply" in p for p in missing_for_decision(licence, TODAY - dt.timedelta(days=1)))
    assert missing_for_decision(licence, TODAY) == []


def test_a_senior_officer_may_override_with_reasons(officer, users):
    licence, match = _driver_with_match(officer, "DL0903")
    with pytest.raises(PermissionError):
        nr3s.record_match_override(officer, match, decided_on=TODAY, reasons="An officer is not senior enough here")
    manager = _manager()
    with pytest.raises(SafeguardingError) as short:
        nr3s.record_match_override(manager, match, decided_on=TODAY, reasons="Urgent")
    assert short.value.field == "reasons"
    nr3s.record_match_override(manager, match, decided_on=TODAY, reasons=(
        "Recording authority closed for a month; the entry is a 2019 refusal already disclosed by the applicant "
        "and examined at interview"))
    _grant(officer, licence)
    assert licence.status == LicenceStatus.ACTIVE
    audit = db.session.execute(sa.select(AuditEvent).filter_by(action="nr3s.match_override")).scalar_one()
    assert audit.actor_id == manager.id and "Recording authority closed" in audit.reason
    with pytest.raises(SafeguardingError, match="already been recorded"):
        nr3s.record_match_override(manager, match, decided_on=TODAY, reasons="A second override of the same match")


def test_the_grant_page_shows_the_refusal_at_the_field_and_the_override_page_works(app, client, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        licence, match = _driver_with_match(officer, "DL0904")
        db.session.commit()
        licence_id, check_id, version = licence.id, match.id, licence.version
    login(client, users["officer"])
    page = client.post(f"/holders/licences/{licence_id}/decision", data={
        "version": version, "outcome": "granted", "decided_on": date_parts(TODAY), "reasons": "Fit and proper",
        "service_method": "first_class_post", "notice_date": date_parts(TODAY)}).get_data(as_text=True)
    assert "found a match" in page
    assert client.get(f"/safeguarding/nr3s/searches/{check_id}/override").status_code == 403
    manager = app.test_client()
    login(manager, users["manager"])
    response = manager.post(f"/safeguarding/nr3s/searches/{check_id}/override", data={
        "decided_on": date_parts(TODAY), "reasons": "The entry is known: the applicant disclosed the 2019 refusal"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Nr3sMatchOverride.check_id)) == check_id


def test_the_search_is_required_only_from_27_april_2023():
    for licence_type in ("private_hire_driver", "hackney_carriage_driver", "dual_driver"):
        assert "nr3s_search" not in required_check_kinds(licence_type, dt.date(2023, 4, 26))
        assert "nr3s_search" in required_check_kinds(licence_type, dt.date(2023, 4, 27))


def test_a_grant_before_the_duty_needs_no_search(officer):
    holder = register.person(officer, last_name="Early")
    licence = register.driver_application(officer, holder, number="DL0905")
    early = dt.date(2022, 6, 1)
    assert not any("NR3S" in problem for problem in missing_for_decision(licence, early))


def test_operators_are_asked_for_a_basic_dbs_and_proprietors_too():
    for day in (dt.date(2016, 1, 1), dt.date(2020, 1, 1), dt.date(2026, 1, 1)):
        kinds = required_check_kinds("private_hire_operator", day)
        assert "dbs_basic" in kinds and "dbs_enhanced" not in kinds
    for licence_type in ("private_hire_vehicle", "hackney_carriage_vehicle"):
        assert "dbs_basic" in required_check_kinds(licence_type, dt.date(2026, 1, 1))
        assert "dbs_enhanced" not in required_check_kinds(licence_type, dt.date(2026, 1, 1))
    assert "dbs_enhanced" in required_check_kinds("private_hire_driver", dt.date(2026, 1, 1))


def test_a_basic_dbs_is_recorded_and_satisfies_the_operator_requirement(officer):
    company = register.organisation(officer)
    licence = apply_for_licence(officer, company, licence_type="private_hire_operator", licence_number="OP0901",
                                received_on=TODAY - dt.timedelta(days=5))
    assert any(p.startswith("Basic DBS certificate: none recorded") for p in missing_for_decision(licence, TODAY))
    register.add_required_checks(officer, licence)
    check = db.session.execute(sa.select(ComplianceCheck).filter_by(kind=CheckKind.DBS_BASIC)).scalar_one()
    assert check.result == CheckResult.CLEAR
    assert missing_for_decision(licence, TODAY) == []


def test_a_refusal_to_renew_on_safeguarding_grounds_opens_an_nr3s_entry(officer):
    holder = register.person(officer, last_name="Renewer")
    licence = register.driver_application(officer, holder, number="DL0906")
    register.add_required_checks(officer, licence)
    _grant(officer, licence)
    record_renewal(officer, licence, received_on=TODAY, version=licence.version)
    decision = decide_application(officer, pending_application(licence), outcome="refused",
                                  capacity="delegated_officer", decided_on=TODAY, reasons="Safeguarding concerns",
                                  safeguarding_or_road_safety=True, issue_notice=False)
    assert decision.application.outcome == ApplicationOutcome.REFUSED
    entry = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=decision.action.id)).scalar_one()
    assert entry.holder_id == holder.id


def test_incoming_s5_information_is_considered_and_the_sender_told(officer):
    holder = register.person(officer, last_name="Ours")
    licence = register.driver_application(officer, holder, number="DL0907")
    received = TODAY - dt.timedelta(days=7)
    concern = nr3s.record_incoming_concern(officer, holder, {
        "sending_authority": "Bradford MDC", "received_on": received, "licence_id": str(licence.id),
        "information": "Seen refusing an assistance dog on 1 May"})
    assert concern.consider_by == end_of_working_days_beginning_with(received, 10)
    with pytest.raises(SafeguardingError) as early:
        nr3s.record_sender_informed(officer, concern, {"informed_on": TODAY})
    assert early.value.field == "informed_on"
    nr3s.record_concern_decision(officer, concern, {
        "considered_on": TODAY - dt.timedelta(days=2), "decision": "warning",
        "decision_reasons": "First matter; written warning and training"})
    assert concern.inform_by == end_of_working_days_beginning_with(TODAY - dt.timedelta(days=2), 5)
    nr3s.record_sender_informed(officer, concern, {"informed_on": TODAY})
    assert db.session.get(IncomingConcern, concern.id).sender_informed_on == TODAY
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "incoming_concerns")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["incoming_concern.received", "incoming_concern.decided", "incoming_concern.sender_informed"]


def test_incoming_information_needs_clearance(ctx, users):
    uncleared = db.session.execute(sa.select(User).filter_by(email=users["officer_no_clearance"])).scalar_one()
    holder = register.person(uncleared, last_name="Nobody")
    with pytest.raises(PermissionError):
        nr3s.record_incoming_concern(uncleared, holder, {"sending_authority": "X", "received_on": TODAY,
                                                         "information": "Y"})
