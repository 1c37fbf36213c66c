"""Retention (G21): the job purges exactly what has passed its period, never what is under legal
hold, pending action or still within its period, and audits every purge."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.operations.holders import record_intelligence
from licensing.jobs.retention import REMOVED
from licensing.jobs.runner import run_job
from licensing.models import (
    ActionStatus,
    AuditEvent,
    Complaint,
    ComplaintStatus,
    EnforcementAction,
    Intelligence,
    JobRunStatus,
    Licence,
)
from licensing.policy.retention import periods_on
from licensing.reviews.operations import registers as register_operations
from licensing.revocations import immediate as action_operations
from tests.support import reviews
from tests.support.people import authoriser_for
from tests.support.register import user

TODAY = dt.date(2033, 6, 1)
OLD = dt.date(2026, 5, 1)      # more than six years before TODAY
RECENT = dt.date(2028, 1, 1)   # within six years


def _complaint(officer, holder, received_on, closed=True, name="Complainant"):
    complaint = register_operations.record_complaint(
        officer, received_on=dt.date.today(), channel="email", category="other",
        details=f"Details about {holder.holder_ref}", holder_id=holder.id, complainant_name=name)
    # Back-date the record: the form refuses future dates, so age is set as the years would.
    complaint.received_on = received_on
    if closed:
        complaint.status = ComplaintStatus.CLOSED
    return complaint


def _intelligence(officer, holder, received_on):
    row = record_intelligence(officer, holder, {
        "source": "police", "grading": "B2 P", "summary": f"Intel {holder.holder_ref}", "received_on": dt.date.today()})
    row.received_on = received_on
    return row


def _seed(officer):
    plain = reviews.holder("PLAIN")
    held = reviews.holder("HELD")
    held.legal_hold = True
    pending = reviews.holder("PENDING")
    db.session.flush()
    action = action_operations.take_immediate_action(
        officer, db.session.get(Licence, pending.licences[0].id), "suspension", grounds="Grounds",
        public_safety_reason="Reason", police_information=False, authorised_by_id=authoriser_for(officer).id,
        suspension_to=dt.date.today() + dt.timedelta(days=30))
    # A decision not yet in effect: the appeal window is open.
    action.status = ActionStatus.PENDING
    ids = {
        "old_closed": _complaint(officer, plain, OLD).id,
        "old_open": _complaint(officer, plain, OLD, closed=False).id,
        "recent_closed": _complaint(officer, plain, RECENT).id,
        "held_old": _complaint(officer, held, OLD).id,
        "pending_old": _complaint(officer, pending, OLD).id,
        "intel_old": _intelligence(officer, plain, OLD).id,
        "intel_recent": _intelligence(officer, plain, RECENT).id,
        "intel_held": _intelligence(officer, held, OLD).id,
        "intel_pending": _intelligence(officer, pending, OLD).id,
    }
    db.session.commit()
    return ids


def test_policy_is_data():
    periods = periods_on(TODAY)
    assert periods["complaint"].years == 6 and periods["complaint"].action == "anonymise"
    assert periods["refused_or_revoked_licence"].years == 11
    assert periods["complaint"].expired_before(dt.date(2032, 2, 29)) == dt.date(2026, 2, 28)


def test_retention_purges_exactly_what_has_expired(app, ctx, users):
    officer = user(users["officer"])
    ids = _seed(officer)
    run = run_job("retention", TODAY)
    assert run.status == JobRunStatus.SUCCEEDED, run.error
    db.session.expire_all()

    def details(key):
        return db.session.get(Complaint, ids[key]).details

    assert details("old_closed") == REMOVED
    assert db.session.get(Complaint, ids["old_closed"]).complainant_name is None
    for kept in ("old_open", "recent_closed", "held_old", "pending_old"):
        assert details(kept) != REMOVED, kept
    remaining = set(db.session.scalars(sa.select(Intelligence.id)))
    assert ids["intel_old"] not in remaining
    assert {ids["intel_recent"], ids["intel_held"], ids["intel_pending"]} <= remaining
    assert run.counts == {"complaints_anonymised": 1, "intelligence_deleted": 1, "non_conviction_deleted": 0}

    purges = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_type, AuditEvent.entity_id)
        .where(AuditEvent.action.like("retention.%"))
    ).all()
    purged = {(row.entity_type, row.entity_id) for row in purges}
    assert ("complaints", ids["old_closed"]) in purged and ("intelligence", ids["intel_old"]) in purged
    assert len(purges) == run.counts["complaints_anonymised"] + run.counts["intelligence_deleted"]

    # A second run finds nothing more to do.
    again = run_job("retention", TODAY)
    assert again.counts == {"complaints_anonymised": 0, "intelligence_deleted": 0, "non_conviction_deleted": 0}


def test_legal_hold_command_is_audited_and_protects_records(app, ctx, users):
    officer = user(users["officer"])
    person = reviews.holder("LH1")
    complaint_id = _complaint(officer, person, OLD).id
    db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["legal-hold", "LH1", "--on", "--reason", " "])
    assert refused.exit_code != 0 and "Give the reason" in refused.output
    placed = runner.invoke(args=["legal-hold", "LH1", "--on", "--reason", "Appeal to the magistrates"])
    assert placed.exit_code == 0, placed.output
    assert run_job("retention", TODAY).counts["complaints_anonymised"] == 0
    lifted = runner.invoke(args=["legal-hold", "LH1", "--off", "--reason", "Appeal withdrawn"])
    assert lifted.exit_code == 0, lifted.output
    assert run_job("retention", TODAY).counts["complaints_anonymised"] == 1
    db.session.expire_all()
    assert db.session.get(Complaint, complaint_id).details == REMOVED
    reasons = db.session.scalars(sa.select(AuditEvent.reason).where(AuditEvent.action == "holder.legal_hold")
                                 .order_by(AuditEvent.id)).all()
    assert reasons == ["Appeal to the magistrates", "Appeal withdrawn"]


def _nr3s_holder(officer, ref, entered_on):
    """A holder revoked on safeguarding grounds whose NR3S entry was made on `entered_on`."""
    from licensing.models import Nr3sEntry
    from licensing.revocations import duties

    person = reviews.holder(ref)
    db.session.flush()
    action = action_operations.take_immediate_action(
        officer, db.session.get(Licence, person.licences[0].id), "revocation", grounds="Safeguarding",
        public_safety_reason="Risk to passengers", police_information=True, authorised_by_id=authoriser_for(officer).id,
        safeguarding_or_road_safety=True)
    entry = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one()
    duties.record_nr3s_entry(officer, entry, entered_on=dt.date.today(), entered_by_id=officer.id, reference="NR1")
    # Back-date the entry as the years would: its 11 years run from the day it was made.
    entry.entered_on = entered_on
    entry.retain_until = duties.years_after(entered_on, 11) - dt.timedelta(days=1)
    return person


def test_records_behind_an_nr3s_entry_are_kept_for_its_11_years(app, ctx, users):
    from licensing.models import NonConvictionInformation
    from licensing.safeguarding.operations.records import record_non_conviction

    officer = user(users["officer"])
    current = _nr3s_holder(officer, "NR3SKEEP", dt.date(2027, 1, 1))   # entry ends 31 Dec 2037
    ended = _nr3s_holder(officer, "NR3SDONE", dt.date(2021, 1, 1))     # entry ended 31 Dec 2031
    ids = {}
    for key, person in (("current", current), ("ended", ended)):
        ids[f"{key}_complaint"] = _complaint(officer, person, OLD).id
        ids[f"{key}_intel"] = _intelligence(officer, person, OLD).id
        item = record_non_conviction(officer, person, {
            "kind": "arrest", "source": "police", "handling_code": "B2 P", "occurred_on": dt.date.today(),
            "received_on": dt.date.today(), "summary": "Arrested on suspicion of assault"})
        item.occurred_on = item.received_on = OLD
        ids[f"{key}_ncinfo"] = item.id
    # The enforcement actions are in effect, not pending: only the NR3S entry protects the records.
    db.session.execute(sa.update(EnforcementAction).values(status=ActionStatus.EFFECTIVE))
    db.session.commit()

    run = run_job("retention", TODAY)
    assert run.status == JobRunStatus.SUCCEEDED, run.error
    db.session.expire_all()
    assert db.session.get(Complaint, ids["current_complaint"]).details != REMOVED
    assert db.session.get(Intelligence, ids["current_intel"]) is not None
    assert db.session.get(NonConvictionInformation, ids["current_ncinfo"]) is not None
    # Past the entry's end the general schedule applies again.
    assert db.session.get(Complaint, ids["ended_complaint"]).details == REMOVED
    assert db.session.get(Intelligence, ids["ended_intel"]) is None
    assert db.session.get(NonConvictionInformation, ids["ended_ncinfo"]) is None
    assert run.counts == {"complaints_anonymised": 1, "intelligence_deleted": 1, "non_conviction_deleted": 1}


def test_the_schedule_covers_every_record_type_and_holds_for_nr3s():
    periods = periods_on(TODAY)
    for name in ("conviction", "former_holder", "refused_applicant", "hearing_bundle", "issued_letter",
                 "non_conviction_information", "nr3s_entry", "information_share", "subject_access_request"):
        assert name in periods, name
    assert periods["nr3s_entry"].years == 11
    assert all(periods[name].nr3s_hold for name in ("complaint", "intelligence", "issued_letter", "hearing_bundle"))
