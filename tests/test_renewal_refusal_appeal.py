"""A refused renewal with an in-time appeal keeps the licence in force (legal review E8; s.77(2)
LG(MP)A 1976: the refusal has no effect until the time for appealing has expired or the appeal is
determined or abandoned). The daily expiry skips such a licence, and expires it on the next run
once the appeal is disposed of or the period passes without one."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.holders.operations.licences import (
    HELD_PENDING_APPEAL,
    apply_for_licence,
    expire_overdue_licences,
    pending_application,
    record_renewal,
)
from licensing.models import AuditEvent, LicenceStatus
from licensing.policy.statutory import rule_for
from licensing.revocations.operations import lodge_appeal, record_appeal_outcome
from tests.support import register
from tests.support.register import TODAY

EXPIRES = TODAY + dt.timedelta(days=5)
DEADLINE = TODAY + dt.timedelta(days=21)  # refused and served by hand today


def _day(n):
    return TODAY + dt.timedelta(days=n)


def _refused_renewal(officer, number="RR0001", licence_type="private_hire_driver"):
    """A licence granted to run until EXPIRES, its renewal refused today with notice by hand."""
    holder = register.person(officer, last_name=f"Renewer{number}")
    vehicle = register.vehicle(officer, holder, registration=f"RR{number[-2:]} ABC", plate=f"P{number}") \
        if "vehicle" in licence_type else None
    licence = apply_for_licence(officer, holder, licence_type=licence_type, licence_number=number,
                                         received_on=TODAY - dt.timedelta(days=30), vehicle=vehicle)
    register.add_required_checks(officer, licence)
    decide_application(officer, pending_application(licence), outcome="granted", capacity="delegated_officer",
                       decided_on=TODAY - dt.timedelta(days=5), expires_on=EXPIRES, reasons="Granted",
                       issue_notice=False)
    renewal = record_renewal(officer, licence, received_on=TODAY - dt.timedelta(days=2), version=licence.version)
    result = decide_application(officer, renewal, outcome="refused", capacity="delegated_officer", decided_on=TODAY,
                                reasons="Failed to disclose a conviction", service_method="hand",
                                issue_notice=False)
    db.session.flush()
    assert result.action.decision == "refuse_renewal" and result.action.served_on == TODAY
    assert rule_for(licence.licence_type, "refuse_renewal", TODAY).appeal_deadline(TODAY) == DEADLINE
    return licence, result.action


def _holds(licence):
    return db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == HELD_PENDING_APPEAL, AuditEvent.entity_id == licence.id)).all()


def test_held_while_the_appeal_period_runs_then_expired_when_it_passes_unappealed(ctx, officer):
    licence, _ = _refused_renewal(officer)
    assert expire_overdue_licences(None, _day(10)) == 0
    assert licence.status == LicenceStatus.ACTIVE
    assert expire_overdue_licences(None, DEADLINE) == 0  # the last day to appeal
    assert licence.status == LicenceStatus.ACTIVE
    [hold] = _holds(licence)  # audited once, not on every run
    assert "s.77(2)" in hold.reason and hold.after["held_on"] == _day(10).isoformat()
    assert expire_overdue_licences(None, DEADLINE + dt.timedelta(days=1)) == 1
    assert licence.status == LicenceStatus.EXPIRED


def test_held_while_an_in_time_appeal_is_undecided_and_expired_after_dismissal(ctx, officer):
    licence, action = _refused_renewal(officer)
    appeal = lodge_appeal(officer, licence, action=action, subject="", lodged_on=DEADLINE, today=DEADLINE)
    assert not appeal.outcome
    for day in (30, 90, 200):
        assert expire_overdue_licences(None, _day(day)) == 0
        assert licence.status == LicenceStatus.ACTIVE
    assert len(_holds(licence)) == 1
    record_appeal_outcome(officer, appeal, outcome="dismissed", decided_on=_day(200), today=_day(200),
                          version=appeal.version)
    assert licence.status == LicenceStatus.ACTIVE  # until the next run
    assert expire_overdue_licences(None, _day(201)) == 1
    assert licence.status == LicenceStatus.EXPIRED


@pytest.mark.parametrize("outcome", ["withdrawn", "abandoned"])
def test_a_withdrawn_or_abandoned_appeal_no_longer_holds(ctx, officer, outcome):
    licence, action = _refused_renewal(officer)
    appeal = lodge_appeal(officer, licence, action=action, subject="", lodged_on=_day(3), today=_day(3))
    assert expire_overdue_licences(None, _day(40)) == 0
    record_appeal_outcome(officer, appeal, outcome=outcome, decided_on=_day(41), today=_day(41),
                          version=appeal.version)
    assert expire_overdue_licences(None, _day(42)) == 1
    assert licence.status == LicenceStatus.EXPIRED


def test_a_late_appeal_does_not_hold(ctx, officer):
    licence, action = _refused_renewal(officer)
    lodge_appeal(officer, licence, action=action, subject="", lodged_on=DEADLINE + dt.timedelta(days=1),
                 today=DEADLINE + dt.timedelta(days=1))
    assert expire_overdue_licences(None, _day(30)) == 1
    assert licence.status == LicenceStatus.EXPIRED


def test_only_refused_renewals_are_held_and_others_expire_in_the_same_run(ctx, officer):
    driver, _ = _refused_renewal(officer, "RR0001")
    vehicle, _ = _refused_renewal(officer, "RR0002", licence_type="private_hire_vehicle")
    # A licence whose renewal was never refused expires on the same run.
    other = apply_for_licence(officer, driver.holder, licence_type="private_hire_operator",
                              licence_number="RR0003", received_on=TODAY - dt.timedelta(days=30))
    register.add_required_checks(officer, other)
    decide_application(officer, pending_application(other), outcome="granted", capacity="delegated_officer",
                       decided_on=TODAY - dt.timedelta(days=5), expires_on=EXPIRES, reasons="Granted",
                       issue_notice=False)
    assert expire_overdue_licences(None, _day(10)) == 1
    assert other.status == LicenceStatus.EXPIRED
    assert driver.status == vehicle.status == LicenceStatus.ACTIVE
    assert len(_holds(driver)) == len(_holds(vehicle)) == 1
