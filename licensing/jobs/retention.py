"""Retention job: anonymise or delete what has passed its retention period.

Never touches a record whose holder is under legal hold or has an enforcement action still
pending (an appeal may follow), nor anything still within its period. Nor, for a period marked
`nr3s_hold`, a record of a holder with a national register (NR3S) entry that is still within
its 11 years (or not yet made): s.2(2)(c) of the 2022 Act keeps the relevant information and the
decision behind an entry for that long, whatever the general schedule says. Each purge writes
its own audit row, naming the record and the rule but not the removed text."""

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.models import (
    ActionStatus,
    Complaint,
    ComplaintStatus,
    EnforcementAction,
    Intelligence,
    LicenceHolder,
    NonConvictionInformation,
    Nr3sEntry,
)
from licensing.policy.retention import periods_on

REMOVED = "[Removed under the retention policy]"


def nr3s_held_holders(today):
    """Holders with an NR3S entry due or made whose 11 years have not ended on `today`."""
    return sa.select(Nr3sEntry.holder_id).where(sa.or_(Nr3sEntry.retain_until.is_(None),
                                                       Nr3sEntry.retain_until >= today))


def _protected_holders(period, today):
    """Holders whose records must be kept whatever their age: legal hold, a pending action, or
    (where the period says so) an NR3S entry within its retention."""
    held = sa.select(LicenceHolder.id).where(LicenceHolder.legal_hold.is_(True))
    pending = sa.select(EnforcementAction.holder_id).where(EnforcementAction.status == ActionStatus.PENDING)
    return sa.union(held, pending, nr3s_held_holders(today)) if period.nr3s_hold else held.union(pending)


def _unprotected(column, period, today):
    return sa.or_(column.is_(None), column.not_in(_protected_holders(period, today)))


def _anonymise_complaints(period, today):
    complaints = db.session.execute(
        sa.select(Complaint).where(
            Complaint.received_on < period.expired_before(today),
            Complaint.status == ComplaintStatus.CLOSED,
            Complaint.details != REMOVED,
            _unprotected(Complaint.holder_id, period, today),
        ).order_by(Complaint.id)
    ).scalars().all()
    for complaint in complaints:
        complaint.details, complaint.complainant_name, complaint.complainant_contact = REMOVED, None, None
        record(None, "retention.anonymise", complaint,
               after={"fields": ["details", "complainant_name", "complainant_contact"]},
               reason=f"Retention: complaints are kept {period.years} years")
    return len(complaints)


def _delete_restricted(model, what, period, today):
    """Delete restricted rows (intelligence, non-conviction information) past their period."""
    rows = db.session.execute(
        sa.select(model.id, model.holder_id).where(
            model.received_on < period.expired_before(today),
            _unprotected(model.holder_id, period, today),
        ).order_by(model.id)
    ).all()
    for row in rows:
        record(None, "retention.delete", entity_type=model.__tablename__, entity_id=row.id, holder_id=row.holder_id,
               reason=f"Retention: {what} is kept {period.years} years")
    if rows:
        db.session.execute(sa.delete(model).where(model.id.in_([row.id for row in rows])))
    return len(rows)


def apply_retention(context):
    periods = periods_on(context.today)
    counts = {}
    if periods.get("complaint") and periods["complaint"].action == "anonymise":
        counts["complaints_anonymised"] = _anonymise_complaints(periods["complaint"], context.today)
    if periods.get("intelligence") and periods["intelligence"].action == "delete":
        counts["intelligence_deleted"] = _delete_restricted(
            Intelligence, "intelligence", periods["intelligence"], context.today)
    period = periods.get("non_conviction_information")
    if period and period.action == "delete":
        counts["non_conviction_deleted"] = _delete_restricted(
            NonConvictionInformation, "non-conviction information", period, context.today)
    db.session.flush()
    return counts
