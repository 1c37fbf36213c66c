"""The expiry scan and reminder sender against a real local SMTP server, walked through a year."""

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.models import (
    AuditEvent,
    ComplianceFlag,
    EmailStatus,
    FlagStatus,
    JobRun,
    JobRunStatus,
    Licence,
    LicenceStatus,
    OutboundEmail,
    ProposalStatus,
    SuspensionProposal,
    User,
)
from licensing.training.operations import book, complete_booking
from licensing.training.suspensions import confirm_suspensions
from tests.conftest import make_user
from tests.support.training_data import add_check, make_driver, safeguarding_session, write_policy

ONGOING = {"private_hire_driver": ["licence_renewal", "dbs_update_service", "safeguarding_training"]}
RULES = {
    "licence_renewal": {"label": "Licence renewal", "source": "licence"},
    "dbs_update_service": {"label": "DBS update service status check", "source": "check",
                           "deadline": {"rule": "within_days_of_grant", "days": 0}, "refresh_months": 6,
                           "suspend_when_overdue": True},
    "safeguarding_training": {"label": "Safeguarding training", "source": "check_or_training",
                              "deadline": {"rule": "within_days_of_grant", "days": 30}, "refresh_months": 36,
                              "suspend_when_overdue": True},
}


@pytest.fixture
def policy(app, tmp_path):
    app.config["REQUIREMENTS_FILE"] = write_policy(tmp_path, ONGOING, RULES)


def _flags(licence_id):
    return sorted(tuple(r) for r in db.session.execute(
        sa.select(ComplianceFlag.requirement, ComplianceFlag.due_on, ComplianceFlag.lead_days)
        .where(ComplianceFlag.licence_id == licence_id)
    ).all())


def _days(start, end):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def test_a_year_of_scans_flags_reminds_once_suspends_and_reinstates(app, ctx, smtp, policy):
    officer = db.session.get(User, make_user("officer"))
    start = dt.date(2026, 1, 1)
    careful, _ = make_driver("A1", issued_on=start, expires_on=dt.date(2027, 1, 1))
    late, late_licence = make_driver("B2", issued_on=start, expires_on=dt.date(2027, 1, 1))
    for holder in (careful, late):
        add_check(holder, "dbs_update_service", start)
    add_check(careful, "safeguarding_training", dt.date(2026, 1, 10))
    session = safeguarding_session(officer, dt.date(2026, 3, 10))
    booking = book(officer, session.id, late.id)
    db.session.commit()
    careful_id, late_id, late_licence_id, booking_id = careful.id, late.id, late_licence.id, booking.id

    for day in _days(start, dt.date(2026, 12, 31)):
        for name in ("expiry_scan", "send_reminders", "enforcement_effects"):
            assert run_job(name, day).status == JobRunStatus.SUCCEEDED
        if day == dt.date(2026, 2, 1):
            proposal = db.session.scalars(sa.select(SuspensionProposal)).one()
            assert (proposal.licence_id, proposal.status) == (late_licence_id, ProposalStatus.PROPOSED)
            assert proposal.reasons == [{"requirement": "safeguarding_training", "label": "Safeguarding training",
                                         "due_on": "2026-01-31"}]
        if day == dt.date(2026, 2, 2):
            confirm_suspensions(officer, [proposal.id], "Safeguarding training not completed", day)
            db.session.commit()
            # Posted on Monday 2 February, served on the 4th: in force until the appeal time has run.
            assert db.session.get(Licence, late_licence_id).status == LicenceStatus.ACTIVE
        if day == dt.date(2026, 2, 25):
            assert db.session.get(Licence, late_licence_id).status == LicenceStatus.ACTIVE
        if day == dt.date(2026, 2, 26):
            assert db.session.get(Licence, late_licence_id).status == LicenceStatus.SUSPENDED
        if day == dt.date(2026, 3, 10):
            complete_booking(officer, db.session.get(type(booking), booking_id), completed_on=day,
                             certificate_reference="SG-0001", today=day)
            db.session.commit()
            assert db.session.get(Licence, late_licence_id).status == LicenceStatus.ACTIVE
        if day == dt.date(2026, 6, 20):  # the careful driver keeps the DBS status up to date
            add_check(db.session.get(type(careful), careful_id), "dbs_update_service", day)
            db.session.commit()

    # Careful: safeguarding was flagged at 30 days until the training on 10 January; the DBS cycle
    # at 60 and 30 days until the new check on 20 June; then the next DBS date and the renewal.
    careful_licence = db.session.scalars(sa.select(Licence).filter_by(holder_id=careful_id)).one()
    assert _flags(careful_licence.id) == sorted([
        ("safeguarding_training", dt.date(2026, 1, 31), 30),
        ("dbs_update_service", dt.date(2026, 7, 1), 30),
        ("dbs_update_service", dt.date(2026, 7, 1), 60),
        ("dbs_update_service", dt.date(2026, 12, 20), 0),
        ("dbs_update_service", dt.date(2026, 12, 20), 7),
        ("dbs_update_service", dt.date(2026, 12, 20), 30),
        ("dbs_update_service", dt.date(2026, 12, 20), 60),
        ("licence_renewal", dt.date(2027, 1, 1), 7),
        ("licence_renewal", dt.date(2027, 1, 1), 30),
        ("licence_renewal", dt.date(2027, 1, 1), 60),
    ])
    # Late: safeguarding 30 days, 7 days, overdue; then the DBS lapse from July onwards.
    assert ("safeguarding_training", dt.date(2026, 1, 31), 0) in _flags(late_licence_id)
    assert ("dbs_update_service", dt.date(2026, 7, 1), 0) in _flags(late_licence_id)

    # Every flag became exactly one e-mail, and each arrived exactly once.
    sent = db.session.scalars(sa.select(OutboundEmail)).all()
    assert {m.status for m in sent} == {EmailStatus.SENT}
    assert len(sent) == db.session.scalar(sa.select(sa.func.count(ComplianceFlag.id)))
    assert len(smtp.messages) == len(sent)
    late_subjects = smtp.subjects_for("b2@drivers.example")
    assert late_subjects.count("Reminder: Safeguarding training for licence L-B2") == 2  # 30 and 7 days
    assert late_subjects.count("Overdue: Safeguarding training for licence L-B2") == 1

    # Late's first lapse was confirmed then ended; the DBS lapse in July was proposed again; the
    # careful driver's DBS status lapsed on 20 December and was proposed the next day.
    proposals = db.session.scalars(sa.select(SuspensionProposal).order_by(SuspensionProposal.id)).all()
    assert [(p.holder_id, p.status, p.proposed_on) for p in proposals] == [
        (late_id, ProposalStatus.ENDED, dt.date(2026, 2, 1)),
        (late_id, ProposalStatus.PROPOSED, dt.date(2026, 7, 2)),
        (careful_id, ProposalStatus.PROPOSED, dt.date(2026, 12, 21)),
    ]
    assert proposals[0].ended_on == dt.date(2026, 3, 10)
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.entity_type == "licences", AuditEvent.entity_id == late_licence_id)
        .order_by(AuditEvent.id)
    ).all()
    # The daily job suspended it when the action took effect; completing the training ended it.
    assert actions == ["licence.suspended", "licence.reinstated"]
    action = db.session.get(SuspensionProposal, proposals[0].id).action
    assert (action.effective_date, action.ended_on, action.end_event) == \
        (dt.date(2026, 2, 26), dt.date(2026, 3, 10), "compliance")
    # Flags for the safeguarding lapse were resolved once the training was complete.
    statuses = db.session.scalars(sa.select(ComplianceFlag.status).where(
        ComplianceFlag.licence_id == late_licence_id, ComplianceFlag.requirement == "safeguarding_training")).all()
    assert set(statuses) == {FlagStatus.RESOLVED}


def test_running_the_jobs_twice_creates_and_sends_nothing_more(app, ctx, smtp, policy):
    make_driver("C3", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    db.session.commit()
    day = dt.date(2026, 1, 5)
    first = run_job("expiry_scan", day)
    assert first.counts["flags_created"] == 2 and first.counts["reminders_queued"] == 2
    second = run_job("expiry_scan", day)
    assert second.counts["flags_created"] == 0 and second.counts["reminders_queued"] == 0
    assert run_job("send_reminders", day).counts["sent"] == 2
    assert run_job("send_reminders", day).counts["sent"] == 0
    assert len(smtp.messages) == 2


def _run_in_thread(app, name, day, results):
    with app.app_context():
        try:
            results.append(run_job(name, day).status)
        finally:
            db.session.remove()


def test_two_concurrent_senders_deliver_each_reminder_once(app, ctx, smtp, policy):
    for n in range(15):
        make_driver(f"D{n}", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    db.session.commit()
    day = dt.date(2026, 1, 5)
    run_job("expiry_scan", day)
    queued = db.session.scalar(sa.select(sa.func.count(OutboundEmail.id)))
    assert queued == 30
    results = []
    threads = [threading.Thread(target=_run_in_thread, args=(app, "send_reminders", day, results)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2
    assert len(smtp.messages) == 30
    assert len({content.split("X-Licensing-Key: ")[1].splitlines()[0] for _, content in smtp.messages}) == 30


def test_two_concurrent_scans_create_each_flag_once(app, ctx, smtp, policy):
    for n in range(10):
        make_driver(f"E{n}", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    db.session.commit()
    day = dt.date(2026, 1, 5)
    results = []
    threads = [threading.Thread(target=_run_in_thread, args=(app, "expiry_scan", day, results)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) != [JobRunStatus.FAILED, JobRunStatus.FAILED]
    assert JobRunStatus.FAILED not in results
    assert db.session.scalar(sa.select(sa.func.count(ComplianceFlag.id))) == 20
    assert db.session.scalar(sa.select(sa.func.count(OutboundEmail.id))) == 20
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 2


def test_an_smtp_outage_uses_no_attempt_and_the_reminders_go_once_it_ends(app, ctx, smtp, policy):
    make_driver("F1", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    db.session.commit()
    day = dt.date(2026, 1, 5)
    run_job("expiry_scan", day)
    working_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port_closed = _closed_port()
    # One connection try per run, not one per message; no message loses an attempt.
    for _ in range(8):
        assert run_job("send_reminders", day).counts == {"sent": 0, "retry_scheduled": 0, "failed": 0, "deferred": 1}
    messages = db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert [(m.attempts, m.status.value) for m in messages] == [(0, "queued"), (0, "queued")]
    assert messages[0].last_error == "ConnectionRefusedError"
    app.config["SMTP_PORT"] = working_port
    assert free_port_closed != working_port
    assert run_job("send_reminders", day + dt.timedelta(days=1)).counts["sent"] == 2
    assert len(smtp.messages) == 2


def _closed_port():
    from tests.support.training_data import free_port

    return free_port()
