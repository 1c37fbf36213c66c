"""Retention job: anonymise or delete what has passed its retention period.

Never touches a record whose holder is under legal hold or has an enforcement action still
pending (an appeal may follow), nor anything still within its period. Each purge writes its
own audit row, naming the record and the rule but not the removed text."""

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.models import ActionStatus, Complaint, ComplaintStatus, EnforcementAction, Intelligence, LicenceHolder
from licensing.policy.retention import periods_on

REMOVED = "[Removed under the retention policy]"


def _protected_holders():
    """Holders whose records must be kept whatever their age: legal hold or a pending action."""
    held = sa.select(LicenceHolder.id).where(LicenceHolder.legal_hold.is_(True))
    pending = sa.select(EnforcementAction.holder_id).where(EnforcementAction.status == ActionStatus.PENDING)
    return held.union(pending)


def _unprotected(column):
    return sa.or_(column.is_(None), column.not_in(_protected_holders()))


def _anonymise_complaints(period, today):
    complaints = db.session.execute(
        sa.select(Complaint).where(
            Complaint.received_on < period.expired_before(today),
            Complaint.status == ComplaintStatus.CLOSED,
            Complaint.details != REMOVED,
            _unprotected(Complaint.holder_id),
        ).order_by(Complaint.id)
    ).scalars().all()
    for complaint in complaints:
        complaint.details, complaint.complainant_name, complaint.complainant_contact = REMOVED, None, None
        record(None, "retention.anonymise", complaint,
               after={"fields": ["details", "complainant_name", "complainant_contact"]},
               reason=f"Retention: complaints are kept {period.years} years")
    return len(complaints)


def _delete_intelligence(period, today):
    rows = db.session.execute(
        sa.select(Intelligence.id, Intelligence.holder_id).where(
            Intelligence.received_on < period.expired_before(today),
            _unprotected(Intelligence.holder_id),
        ).order_by(Intelligence.id)
    ).all()
    for row in rows:
        record(None, "retention.delete", entity_type="intelligence", entity_id=row.id, holder_id=row.holder_id,
               reason=f"Retention: intelligence is kept {period.years} years")
    if rows:
        db.session.execute(sa.delete(Intelligence).where(Intelligence.id.in_([row.id for row in rows])))
    return len(rows)


def apply_retention(context):
    periods = periods_on(context.today)
    counts = {}
    if periods.get("complaint") and periods["complaint"].action == "anonymise":
        counts["complaints_anonymised"] = _anonymise_complaints(periods["complaint"], context.today)
    if periods.get("intelligence") and periods["intelligence"].action == "delete":
        counts["intelligence_deleted"] = _delete_intelligence(periods["intelligence"], context.today)
    db.session.flush()
    return counts
