"""Actions taking effect on exactly the right day through the daily job, suspensions ending,
appeals driving the action and the licence, and status computed on read (both databases)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.models import (
    ActionKind,
    ActionStatus,
    AuditEvent,
    EnforcementAction,
    JobRunStatus,
    Licence,
    LicenceStatus,
)
from licensing.revocations import operations, queries
from licensing.revocations.errors import RevocationError
from licensing.revocations.queries import RegisterFilters
from tests.support.revocations import HEARING_DAY, hearing_action, immediate_action, people

D = dt.date
DAY = dt.timedelta(days=1)


@pytest.fixture
def team(ctx):
    return people()


def _run(day):
    run = run_job("enforcement_effects", day)
    assert run.status == JobRunStatus.SUCCEEDED, run.error
    db.session.expire_all()
    return run.counts


def _licence(action):
    return db.session.get(Licence, action.licence_id)


def _register_ids(status, day):
    rows, _ = queries.register_page(RegisterFilters(status=status), day)
    return {row.action.id for row in rows}


def test_a_revocation_takes_effect_on_exactly_its_day_and_the_register_agrees_before_the_job(team):
    action = hearing_action(team, "R1", notice_date=D(2026, 3, 31))
    db.session.commit()
    assert action.effective_date == D(2026, 4, 22)  # appeal period ends 21 April
    licence_id, action_id = action.licence_id, action.id
    # Consistent on read: on the day, before the job runs, pages already compute "revoked".
    assert queries.expected_licence_statuses([licence_id], D(2026, 4, 21))[licence_id] == LicenceStatus.ACTIVE
    assert queries.expected_licence_statuses([licence_id], D(2026, 4, 22))[licence_id] == LicenceStatus.REVOKED
    assert action_id in _register_ids("pending", D(2026, 4, 21))
    assert action_id in _register_ids("effective", D(2026, 4, 22)) and action_id not in _register_ids(
        "pending", D(2026, 4, 22))
    for day in (D(2026, 3, 31), D(2026, 4, 20), D(2026, 4, 21)):
        assert _run(day)["actions_effective"] == 0
        assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE
    counts = _run(D(2026, 4, 22))
    assert counts["actions_effective"] == 1 and counts["licences_changed"] == 1
    action = db.session.get(EnforcementAction, action_id)
    assert action.status == ActionStatus.EFFECTIVE and _licence(action).status == LicenceStatus.REVOKED
    assert action.return_due_on == D(2026, 4, 29)  # badge within 7 days
    # Idempotent: the same day again changes nothing.
    assert _run(D(2026, 4, 22)) == {"actions_effective": 0, "suspensions_ended": 0, "licences_changed": 0,
                                    "nr3s_tasks_opened": 0, "returns_overdue": 0, "nr3s_overdue": 0,
                                    "referrals_overdue": 0, "deemed_revocations": 0, "defect_reminders": 0}
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="licence.revoked", entity_id=licence_id)
                               ).scalar_one()
    assert event.actor_id is None and f"action {action_id}" in event.reason
    # The badge is flagged overdue the day after its due date, once.
    assert _run(D(2026, 4, 29))["returns_overdue"] == 0
    assert _run(D(2026, 4, 30))["returns_overdue"] == 1
    assert _run(D(2026, 5, 1))["returns_overdue"] == 0


def test_a_suspension_starts_and_ends_on_its_days_and_restores_the_licence(team):
    action = hearing_action(team, "R2", outcome="suspend", suspension_to=D(2026, 6, 30))
    db.session.commit()
    action_id, licence_id = action.id, action.licence_id
    assert action.effective_date == D(2026, 4, 21) and action.suspension_to == D(2026, 6, 30)
    _run(D(2026, 4, 20))
    assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE
    _run(D(2026, 4, 21))
    assert db.session.get(Licence, licence_id).status == LicenceStatus.SUSPENDED
    _run(D(2026, 6, 30))  # the last day of the suspension
    assert db.session.get(Licence, licence_id).status == LicenceStatus.SUSPENDED
    assert queries.expected_licence_statuses([licence_id], D(2026, 7, 1))[licence_id] == LicenceStatus.ACTIVE
    counts = _run(D(2026, 7, 1))
    assert counts["suspensions_ended"] == 1
    assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE
    assert db.session.get(EnforcementAction, action_id).ended_on == D(2026, 7, 1)
    assert _run(D(2026, 7, 2))["suspensions_ended"] == 0


def test_a_missed_day_catches_up_and_a_suspension_already_over_leaves_the_licence_active(team):
    action = hearing_action(team, "R3", outcome="suspend", suspension_to=D(2026, 4, 25))
    db.session.commit()
    licence_id = action.licence_id
    counts = _run(D(2026, 5, 10))  # the job did not run between 21 April and 10 May
    assert counts["actions_effective"] == 1 and counts["suspensions_ended"] == 1
    assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE


def test_an_appeal_in_time_holds_the_action_and_dismissal_applies_it_on_the_day(team):
    action = hearing_action(team, "R4", outcome="suspend", suspension_to=D(2026, 5, 20))  # 21 April-20 May
    appeal = operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                     lodged_on=D(2026, 4, 10), today=D(2026, 4, 10))
    db.session.commit()
    assert not operations.appeal_is_late(appeal)
    assert action.status == ActionStatus.PENDING and action.effective_date is None
    assert action.id in _register_ids("under_appeal", D(2026, 4, 22))
    _run(D(2026, 4, 21))
    _run(D(2026, 6, 1))
    assert _licence(action).status == LicenceStatus.ACTIVE
    operations.add_appeal_hearing(team["officer"], appeal, D(2026, 6, 10), "Full hearing")
    operations.record_appeal_outcome(team["officer"], appeal, outcome="dismissed", decided_on=D(2026, 6, 10),
                                     costs_direction="for_council", costs_pence=52500, today=D(2026, 6, 11))
    db.session.commit()
    action = db.session.get(EnforcementAction, action.id)
    # In effect from the dismissal, keeping its 30 days: 10 June to 9 July.
    assert action.status == ActionStatus.EFFECTIVE and action.effective_date == D(2026, 6, 10)
    assert (action.suspension_from, action.suspension_to) == (D(2026, 6, 10), D(2026, 7, 9))
    assert _licence(action).status == LicenceStatus.SUSPENDED
    _run(D(2026, 7, 9))
    assert _licence(action).status == LicenceStatus.SUSPENDED
    _run(D(2026, 7, 10))
    assert _licence(action).status == LicenceStatus.ACTIVE


def test_an_appeal_recorded_after_the_job_applied_the_action_puts_it_back_on_hold(team):
    action = hearing_action(team, "R5")
    db.session.commit()
    _run(D(2026, 4, 21))
    assert _licence(action).status == LicenceStatus.REVOKED
    # The appeal was lodged on the last day (20 April) but recorded afterwards.
    operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                            lodged_on=D(2026, 4, 20), today=D(2026, 4, 23))
    db.session.commit()
    assert action.status == ActionStatus.PENDING and _licence(action).status == LicenceStatus.ACTIVE
    restored = db.session.execute(sa.select(AuditEvent).filter_by(action="licence.restored_on_appeal")).scalar_one()
    assert restored.before == {"status": "revoked"} and restored.after["status"] == "active"


def test_a_late_appeal_is_flagged_and_does_not_hold(team):
    action = hearing_action(team, "R6")
    appeal = operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                     lodged_on=D(2026, 4, 21), today=D(2026, 4, 21))
    db.session.commit()
    assert operations.appeal_is_late(appeal)
    # Not held: recording it on the effective day applies what is due that day.
    assert action.status == ActionStatus.EFFECTIVE and action.effective_date == D(2026, 4, 21)
    assert _licence(action).status == LicenceStatus.REVOKED
    assert _run(D(2026, 4, 21))["actions_effective"] == 0
    assert queries.appeals_summary(D(2026, 4, 1), D(2026, 4, 30))["lodged_late"] == 1


def test_an_immediate_revocation_allowed_on_appeal_is_cancelled_and_the_licence_restored(team):
    action = immediate_action(team, "R7", safeguarding_or_road_safety=True)
    assert _licence(action).status == LicenceStatus.REVOKED
    appeal = operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                     lodged_on=D(2026, 4, 2), today=D(2026, 4, 2))
    assert action.status == ActionStatus.EFFECTIVE  # s.61(2B): no stay
    from licensing.revocations import duties
    entry = action_entry(action)
    duties.record_nr3s_entry(team["officer"], entry, entered_on=D(2026, 4, 1), entered_by_id=team["officer"].id,
                             reference="NR3S-1", today=D(2026, 4, 2))
    operations.record_appeal_outcome(team["officer"], appeal, outcome="allowed", decided_on=D(2026, 5, 5),
                                     costs_direction="against_council", costs_pence=120000, today=D(2026, 5, 6))
    db.session.commit()
    assert action.status == ActionStatus.CANCELLED and action.cancelled_on == D(2026, 5, 5)
    assert _licence(action).status == LicenceStatus.ACTIVE
    assert entry.needs_update and "allowed" in entry.update_reason
    assert action.id in _register_ids("cancelled", D(2026, 5, 6))
    summary = queries.appeals_summary(D(2026, 4, 1), D(2026, 5, 31))
    assert summary["lost"] == 1 and summary["costs_paid_pence"] == 120000 and summary["defended_text"] == \
        "defended 0 of 1"


def action_entry(action):
    from licensing.models import Nr3sEntry

    return db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one()


def test_an_immediate_revocation_varied_to_a_suspension_applies_the_new_terms(team):
    action = immediate_action(team, "R8")
    appeal = operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                     lodged_on=D(2026, 4, 2), today=D(2026, 4, 2))
    with pytest.raises(RevocationError, match="substituted"):
        operations.record_appeal_outcome(team["officer"], appeal, outcome="varied", decided_on=D(2026, 5, 5),
                                         today=D(2026, 5, 6))
    operations.record_appeal_outcome(team["officer"], appeal, outcome="varied", decided_on=D(2026, 5, 5),
                                     varied_kind="suspension", varied_suspension_to=D(2026, 6, 30),
                                     today=D(2026, 5, 6))
    db.session.commit()
    assert action.kind == ActionKind.SUSPENSION and action.status == ActionStatus.EFFECTIVE
    assert (action.suspension_from, action.suspension_to) == (HEARING_DAY, D(2026, 6, 30))
    assert _licence(action).status == LicenceStatus.SUSPENDED
    _run(D(2026, 7, 1))
    assert _licence(action).status == LicenceStatus.ACTIVE


def test_a_held_revocation_varied_to_a_warning_never_touches_the_licence(team):
    action = hearing_action(team, "R9")
    appeal = operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                     lodged_on=D(2026, 4, 1), today=D(2026, 4, 1))
    operations.record_appeal_outcome(team["officer"], appeal, outcome="varied", decided_on=D(2026, 5, 5),
                                     varied_kind="warning", today=D(2026, 5, 6))
    db.session.commit()
    assert action.kind == ActionKind.WARNING and action.status == ActionStatus.EFFECTIVE
    assert _licence(action).status == LicenceStatus.ACTIVE
    assert action.return_due_on is None


def test_a_further_appeal_to_the_crown_court(team):
    action = hearing_action(team, "R10")
    first = operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                    lodged_on=D(2026, 4, 1), today=D(2026, 4, 1))
    with pytest.raises(RevocationError, match="decided appeal"):
        operations.lodge_appeal(team["officer"], action.licence, parent=first, subject="",
                                lodged_on=D(2026, 4, 2), today=D(2026, 4, 2))
    operations.record_appeal_outcome(team["officer"], first, outcome="dismissed", decided_on=D(2026, 5, 5),
                                     today=D(2026, 5, 5))
    assert _licence(action).status == LicenceStatus.REVOKED
    further = operations.lodge_appeal(team["officer"], action.licence, parent=first, subject="",
                                      lodged_on=D(2026, 5, 20), today=D(2026, 5, 20))
    assert further.court.value == "crown_court" and not operations.appeal_is_late(further)
    assert _licence(action).status == LicenceStatus.REVOKED  # a further appeal does not hold
    operations.record_appeal_outcome(team["officer"], further, outcome="allowed", decided_on=D(2026, 8, 1),
                                     today=D(2026, 8, 1))
    db.session.commit()
    assert action.status == ActionStatus.CANCELLED and _licence(action).status == LicenceStatus.ACTIVE


def test_appeal_rules(team):
    action = hearing_action(team, "R11")
    with pytest.raises(RevocationError, match="today or in the past"):
        operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                lodged_on=D(2026, 4, 2), today=D(2026, 4, 1))
    appeal = operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                     lodged_on=D(2026, 4, 1), today=D(2026, 4, 1))
    with pytest.raises(RevocationError, match="already waiting"):
        operations.lodge_appeal(team["officer"], action.licence, action=action, subject="",
                                lodged_on=D(2026, 4, 1), today=D(2026, 4, 1))
    with pytest.raises(RevocationError, match="both who was awarded costs and the amount"):
        operations.record_appeal_outcome(team["officer"], appeal, outcome="dismissed", decided_on=D(2026, 4, 5),
                                         costs_pence=100, today=D(2026, 4, 5))
    with pytest.raises(RevocationError, match="on or after the day the appeal was lodged"):
        operations.record_appeal_outcome(team["officer"], appeal, outcome="dismissed", decided_on=D(2026, 3, 31),
                                         today=D(2026, 4, 5))
    warning = hearing_action(team, "R12", outcome="warning")
    with pytest.raises(RevocationError, match="no right of appeal"):
        operations.lodge_appeal(team["officer"], warning.licence, action=warning, subject="",
                                lodged_on=D(2026, 4, 1), today=D(2026, 4, 1))


def test_completing_training_does_not_lift_an_enforcement_suspension(team):
    from licensing.models import ProposalStatus, SuspensionProposal
    from licensing.training.suspensions import end_suspensions_if_compliant

    action = immediate_action(team, "R13", kind="suspension", today=D(2026, 4, 1), suspension_to=D(2026, 6, 30))
    licence = _licence(action)
    db.session.add(SuspensionProposal(licence_id=licence.id, holder_id=licence.holder_id, open_licence_id=licence.id,
                                      proposed_on=D(2026, 3, 1), reasons=[], status=ProposalStatus.CONFIRMED))
    db.session.flush()
    assert end_suspensions_if_compliant(None, D(2026, 4, 2), holder_ids=[licence.holder_id], items=[]) == 1
    assert licence.status == LicenceStatus.SUSPENDED  # the enforcement suspension still runs
    db.session.commit()
    _run(D(2026, 7, 1))
    assert _licence(action).status == LicenceStatus.ACTIVE


def test_an_enforcement_suspension_ending_leaves_a_suspension_until_compliant_in_place(team):
    from licensing.models import ProposalStatus, SuspensionProposal

    action = immediate_action(team, "R14", kind="suspension", today=D(2026, 4, 1), suspension_to=D(2026, 4, 10))
    licence = _licence(action)
    db.session.add(SuspensionProposal(licence_id=licence.id, holder_id=licence.holder_id, open_licence_id=licence.id,
                                      proposed_on=D(2026, 3, 1), reasons=[], status=ProposalStatus.CONFIRMED))
    db.session.commit()
    assert _run(D(2026, 4, 11))["suspensions_ended"] == 1
    assert _licence(action).status == LicenceStatus.SUSPENDED
