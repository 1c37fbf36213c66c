"""Appeals summary, NR3S entry tasks and match requests, cross-border referral deadlines in
working days over bank holidays, and their overdue flags from the daily job (both databases)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.models import (
    AuditEvent,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    CrossBorderReferral,
    Licence,
    LicenceType,
    Nr3sEntry,
)
from licensing.policy.working_days import end_of_working_days_beginning_with
from licensing.revocations import duties, operations, queries
from licensing.revocations.errors import RevocationError
from tests.support.reviews import holder
from tests.support.revocations import hearing_action, immediate_action, people

D = dt.date


@pytest.fixture
def team(ctx):
    return people()


def _flags(day):
    run = run_job("enforcement_effects", day)
    db.session.expire_all()
    return run.counts


def test_defended_5_of_7_and_eight_camera_appeals_with_525_pounds_costs_each(team):
    officer = team["officer"]
    outcomes = ["dismissed", "dismissed", "dismissed", "withdrawn", "abandoned", "allowed", "varied"]
    for n, outcome in enumerate(outcomes):
        action = immediate_action(team, f"AP{n}", today=D(2016, 10, 3))
        appeal = operations.lodge_appeal(officer, action.licence, action=action, subject="",
                                         lodged_on=D(2016, 10, 10), today=D(2016, 10, 10))
        extra = {"varied_kind": "suspension", "varied_suspension_to": D(2017, 2, 1)} if outcome == "varied" else {}
        operations.record_appeal_outcome(officer, appeal, outcome=outcome, decided_on=D(2017, 1, 9),
                                         today=D(2017, 1, 9), **extra)
    summary = queries.appeals_summary(D(2017, 1, 1), D(2017, 1, 31))
    assert summary["defended_text"] == "defended 5 of 7"
    assert (summary["decided"], summary["defended"], summary["lost"]) == (7, 5, 2)
    assert summary["by_outcome"] == {"dismissed": 3, "allowed": 1, "varied": 1, "withdrawn": 1, "abandoned": 1}
    assert summary["lodged"] == 0  # lodged in October 2016
    assert queries.appeals_summary(D(2016, 10, 1), D(2016, 12, 31))["pending"] == 7
    # Eight drivers appealed against the camera condition and lost: £525 costs each, £4,200 in all.
    for n in range(8):
        person = holder(f"CAM{n}", licence_type=LicenceType.HACKNEY_CARRIAGE_DRIVER)
        appeal = operations.lodge_appeal(officer, person.licences[0], subject="Condition requiring a taxi camera",
                                         notice_on=D(2016, 8, 1), lodged_on=D(2016, 8, 15), today=D(2016, 8, 15))
        operations.record_appeal_outcome(officer, appeal, outcome="dismissed", decided_on=D(2016, 12, 5),
                                         costs_direction="for_council", costs_pence=52500, today=D(2016, 12, 5))
    db.session.commit()
    december = queries.appeals_summary(D(2016, 12, 1), D(2016, 12, 31))
    assert december["defended_text"] == "defended 8 of 8"
    assert december["costs_recovered_pence"] == 420000 and december["costs_awards_for_council"] == 8
    assert december["costs_paid_pence"] == 0
    records = queries.appeal_records(D(2016, 8, 1), D(2016, 8, 31))
    assert len(records) == 8 and {r["costs_pence"] for r in records} == {52500}
    assert all(r["subject"] == "Condition requiring a taxi camera" and not r["late"] for r in records)


def test_nr3s_entry_task_due_in_working_days_over_easter_and_flagged_the_day_after(team):
    officer = team["officer"]
    # Officer's immediate revocation on Thursday 2 April 2026, on safeguarding grounds.
    action = immediate_action(team, "N1", today=D(2026, 4, 2), safeguarding_or_road_safety=True)
    entry = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one()
    # 5 working days: Good Friday 3 April and Easter Monday 6 April are bank holidays.
    assert entry.due_on == D(2026, 4, 13)
    db.session.commit()
    assert _flags(D(2026, 4, 13))["nr3s_overdue"] == 0
    assert _flags(D(2026, 4, 14))["nr3s_overdue"] == 1
    assert _flags(D(2026, 4, 15))["nr3s_overdue"] == 0
    entry = db.session.get(Nr3sEntry, entry.id)
    assert entry.overdue_flagged_on == D(2026, 4, 14) and entry.overdue_on(D(2026, 4, 14))
    with pytest.raises(RevocationError, match="today or in the past"):
        duties.record_nr3s_entry(officer, entry, entered_on=D(2026, 4, 16), entered_by_id=officer.id,
                                 reference="X", today=D(2026, 4, 15))
    duties.record_nr3s_entry(officer, entry, entered_on=D(2026, 4, 15), entered_by_id=officer.id,
                             reference="NR3S-77", today=D(2026, 4, 15))
    # Kept 11 years beginning with the day the entry is first made.
    assert entry.retain_until == D(2037, 4, 14) and entry.entered_by_id == officer.id
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="nr3s.entered")).scalar_one()
    assert event.after["late"] is True
    summary = queries.nr3s_summary(D(2026, 4, 1), D(2026, 4, 30), today=D(2026, 4, 20))
    assert (summary["entries_due"], summary["entries_made"], summary["entries_made_late"]) == (1, 1, 1)
    with pytest.raises(RevocationError, match="record an update"):
        duties.record_nr3s_entry(officer, entry, entered_on=D(2026, 4, 15), entered_by_id=officer.id,
                                 reference="X", today=D(2026, 4, 15))


def test_no_nr3s_task_without_safeguarding_grounds_or_for_warnings(team):
    immediate_action(team, "N2", today=D(2026, 4, 2))
    hearing_action(team, "N3", outcome="warning", safeguarding_or_road_safety=True)
    revocation = hearing_action(team, "N4", safeguarding_or_road_safety=True)
    entries = db.session.execute(sa.select(Nr3sEntry)).scalars().all()
    assert [e.action_id for e in entries] == [revocation.id]
    assert entries[0].due_on == D(2026, 4, 8)  # Monday 30 March + 5 working days, skipping Easter
    db.session.commit()
    assert _flags(D(2026, 4, 7))["nr3s_tasks_opened"] == 0


def test_nr3s_entry_is_updated_after_an_appeal(team):
    officer = team["officer"]
    action = immediate_action(team, "N5", today=D(2026, 4, 2), safeguarding_or_road_safety=True)
    entry = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one()
    duties.record_nr3s_entry(officer, entry, entered_on=D(2026, 4, 3), entered_by_id=officer.id, reference="",
                             today=D(2026, 4, 3))
    appeal = operations.lodge_appeal(officer, action.licence, action=action, subject="", lodged_on=D(2026, 4, 8),
                                     today=D(2026, 4, 8))
    operations.record_appeal_outcome(officer, appeal, outcome="dismissed", decided_on=D(2026, 6, 1),
                                     today=D(2026, 6, 1))
    assert entry.needs_update and "dismissed" in entry.update_reason
    with pytest.raises(RevocationError, match="Say what was changed"):
        duties.record_nr3s_update(officer, entry, updated_on=D(2026, 6, 2), note=" ", today=D(2026, 6, 2))
    duties.record_nr3s_update(officer, entry, updated_on=D(2026, 6, 2), note="Appeal outcome added",
                              today=D(2026, 6, 2))
    assert not entry.needs_update and entry.updated_by_id == officer.id


def test_nr3s_searches_with_matches_and_the_follow_up_request(team):
    officer = team["officer"]
    person = holder("S1")
    clear = ComplianceCheck(holder_id=person.id, kind=CheckKind.NR3S_SEARCH, completed_on=D(2026, 3, 1),
                            result=CheckResult.NO_MATCH, recorded_by_id=officer.id)
    match = ComplianceCheck(holder_id=person.id, kind=CheckKind.NR3S_SEARCH, completed_on=D(2026, 3, 2),
                            result=CheckResult.MATCH_FOUND, recorded_by_id=officer.id)
    db.session.add_all([clear, match])
    db.session.flush()
    with pytest.raises(RevocationError, match="found a match"):
        duties.record_nr3s_request(officer, clear, recording_authority="Leeds", requested_on=D(2026, 3, 2),
                                   today=D(2026, 3, 3))
    request = duties.record_nr3s_request(officer, match, recording_authority="Leeds City Council",
                                         requested_on=D(2026, 3, 3), today=D(2026, 3, 3))
    with pytest.raises(RevocationError, match="already been recorded"):
        duties.record_nr3s_request(officer, match, recording_authority="Leeds", requested_on=D(2026, 3, 3),
                                   today=D(2026, 3, 3))
    with pytest.raises(RevocationError, match="after the request"):
        duties.record_nr3s_reply(officer, request, reply_on=D(2026, 3, 2), summary="x", today=D(2026, 3, 20))
    with pytest.raises(RevocationError, match="Summarise the reply"):
        duties.record_nr3s_reply(officer, request, reply_on=D(2026, 3, 20), summary="  ", today=D(2026, 3, 20))
    duties.record_nr3s_reply(officer, request, reply_on=D(2026, 3, 20), summary="Revoked 2019, sexual offence",
                             today=D(2026, 3, 20))
    with pytest.raises(RevocationError, match="already been recorded"):
        duties.record_nr3s_reply(officer, request, reply_on=D(2026, 3, 21), summary="Again", today=D(2026, 3, 21))
    db.session.commit()
    rows, total = queries.nr3s_searches(matches_only=True)
    assert total == 1 and rows[0][0].id == match.id and rows[0][1].reply_on == D(2026, 3, 20)
    assert queries.nr3s_searches()[1] == 2
    summary = queries.nr3s_summary(D(2026, 3, 1), D(2026, 3, 31))
    assert (summary["searches"], summary["matches"], summary["requests_sent"]) == (2, 1, 1)


@pytest.mark.parametrize(("received", "due"), [
    (D(2026, 12, 24), D(2027, 1, 11)),  # Christmas, Boxing Day substitute (28th) and New Year's Day
    (D(2026, 6, 6), D(2026, 6, 19)),  # a Saturday: the period begins on Monday
    (D(2026, 4, 2), D(2026, 4, 17)),  # over Good Friday and Easter Monday
    (D(2026, 6, 1), D(2026, 6, 12)),  # the day of receipt is the first of the ten
])
def test_referral_deadline_is_ten_working_days_beginning_with_the_day_of_receipt(received, due):
    assert end_of_working_days_beginning_with(received, 10) == due
    assert duties.referral_due_on(received) == due


def test_cross_border_referral_overdue_flag_sent_and_reply(team):
    officer = team["officer"]
    with pytest.raises(RevocationError, match="authority that licenses"):
        duties.create_referral(officer, received_on=D(2026, 12, 24), other_authority=" ", driver_name="A B",
                               information="x", today=D(2026, 12, 24))
    referral = duties.create_referral(officer, received_on=D(2026, 12, 24), other_authority="City of Wolverhampton",
                                      driver_name="Sam Driver", information="Plying for hire at the station",
                                      other_licence_number="phd 123", vehicle_registration="ab12 cde",
                                      today=D(2026, 12, 24))
    late = duties.create_referral(officer, received_on=D(2026, 12, 24), other_authority="Sefton",
                                  driver_name="Jo Driver", information="Speeding", today=D(2026, 12, 24))
    assert referral.due_on == D(2027, 1, 11) and referral.vehicle_registration == "AB12CDE"
    duties.record_referral_sent(officer, referral, sent_on=D(2027, 1, 11), what_sent="Statement and CCTV still",
                                today=D(2027, 1, 11))
    db.session.commit()
    assert not referral.sent_late
    assert _flags(D(2027, 1, 11))["referrals_overdue"] == 0
    assert _flags(D(2027, 1, 12))["referrals_overdue"] == 1  # only the one not sent
    assert db.session.get(CrossBorderReferral, late.id).overdue_flagged_on == D(2027, 1, 12)
    referral = db.session.get(CrossBorderReferral, referral.id)
    with pytest.raises(RevocationError, match="after the referral was sent"):
        duties.record_referral_reply(officer, referral, reply_on=D(2027, 1, 10), summary="x", today=D(2027, 2, 1))
    duties.record_referral_reply(officer, referral, reply_on=D(2027, 2, 1), summary="Licence suspended 4 weeks",
                                 today=D(2027, 2, 1))
    late = db.session.get(CrossBorderReferral, late.id)
    duties.record_referral_sent(officer, late, sent_on=D(2027, 1, 13), what_sent="Report", today=D(2027, 1, 13))
    assert late.sent_late
    summary = queries.referrals_summary(D(2026, 12, 1), D(2026, 12, 31), today=D(2027, 2, 1))
    assert summary == {"received": 2, "sent": 2, "sent_in_time": 1, "sent_late": 1, "overdue": 0, "replies": 1}


def test_badge_return_recorded_and_plate_for_vehicle_licences(team):
    officer = team["officer"]
    action = immediate_action(team, "B1", today=D(2026, 4, 2))
    assert action.return_due_on == D(2026, 4, 9) and operations.return_item(action.licence) == "badge"
    with pytest.raises(RevocationError, match="today or in the past"):
        duties.record_return(officer, action, D(2026, 4, 9), today=D(2026, 4, 8))
    duties.record_return(officer, action, D(2026, 4, 8), today=D(2026, 4, 8))
    db.session.commit()
    assert _flags(D(2026, 4, 20))["returns_overdue"] == 0
    vehicle = db.session.execute(sa.select(Licence).filter_by(licence_number="L-B1")).scalar_one()
    vehicle.licence_type = LicenceType.PRIVATE_HIRE_VEHICLE
    assert operations.return_item(vehicle) == "plate"
