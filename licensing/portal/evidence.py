"""Documents a holder sends online for a due requirement, and the officer's verification of them.

A document sent online counts for nothing until an officer accepts it: acceptance records the
check (through the register's own `record_check`, so its rules apply) with the document as its
evidence, and only then can it count for compliance or reach a panel. A document not accepted
carries the officer's reason, which the holder sees.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from licensing.audit import record
from licensing.compliance.evaluate import holder_compliance
from licensing.extensions import db
from licensing.holders.checks import VEHICLE_CHECK_KINDS
from licensing.holders.evidence import store_content
from licensing.holders.operations.holders import record_check
from licensing.models import CheckKind, PortalAccount, SubmissionStatus, SubmittedEvidence
from licensing.models.base import utcnow
from licensing.policy.online_applications import rules_on
from licensing.portal.mail import queue_account_email
from licensing.portal.operations import PortalError
from licensing.text import govuk_date

# What a holder can evidence with a document of their own. The council makes the others itself:
# the national register search, the DBS update service status check.
HOLDER_SENDS = frozenset({
    CheckKind.DBS_ENHANCED, CheckKind.DBS_BASIC, CheckKind.MEDICAL_GROUP2, CheckKind.DVLA, CheckKind.RIGHT_TO_WORK,
    CheckKind.INSURANCE, CheckKind.MOT, CheckKind.VEHICLE_TEST, CheckKind.CAMERA_CERTIFICATE,
    CheckKind.SAFEGUARDING_TRAINING,
})


def document_label(code, today=None):
    """How a document sent online reads: its check's name, or the application document's label."""
    if code in {kind.value for kind in CheckKind}:
        return CheckKind(code).label
    rules = rules_on(today or dt.date.today())
    found = next((doc for docs in rules.documents.values() for doc in docs if doc.code == code), None)
    return found.label if found else code.replace("_", " ").capitalize()


def holder_can_send(requirement):
    return requirement in {kind.value for kind in HOLDER_SENDS}


def due_item(holder_id, licence_id, requirement, today):
    """The holder's due item for this licence and requirement, or None."""
    return next((item for item in holder_compliance(holder_id, today).items
                 if item.licence_id == licence_id and item.requirement == requirement), None)


def submit_evidence(account, licence, requirement, data, upload, today=None):
    """Keep a checked upload (`upload`: content, type, name, SHA-256) against one due requirement."""
    today = today or dt.date.today()
    if not holder_can_send(requirement) or due_item(account.holder_id, licence.id, requirement, today) is None:
        raise PortalError("This licence does not need that document from you", field="document")
    completed_on, expires_on = data["completed_on"], data.get("expires_on")
    if completed_on > today:
        raise PortalError("The date on the document must be today or in the past", field="completed_on")
    if expires_on is not None and expires_on < completed_on:
        raise PortalError("The expiry date must be on or after the date on the document", field="expires_on")
    content, content_type, name, sha256 = upload
    submission = SubmittedEvidence(
        holder_id=account.holder_id, account_id=account.id, licence_id=licence.id, requirement=requirement,
        completed_on=completed_on, expires_on=expires_on, reference=(data.get("reference") or "").strip() or None,
        original_name=name, content_type=content_type, size_bytes=len(content), sha256=sha256, content=content,
    )
    db.session.add(submission)
    record(None, "online_evidence.submit", submission, after={
        "requirement": requirement, "licence_id": licence.id, "sha256": sha256, "size_bytes": len(content)})
    return submission


def _decided(actor, submission, status, now):
    if submission.status != SubmissionStatus.SUBMITTED:
        raise PortalError(f"This document was already {submission.status.label.lower()}", field="decision")
    submission.status, submission.decided_at, submission.decided_by_id = status, now, actor.id


def accept_evidence(actor, submission, data, today=None, now=None):
    """Record the check the document proves (the officer confirms the result and dates) and keep
    the document as its evidence; the holder is told."""
    now = now or utcnow()
    _decided(actor, submission, SubmissionStatus.ACCEPTED, now)
    label = document_label(submission.requirement)
    if submission.requirement not in {kind.value for kind in CheckKind}:  # a photo, say: kept, no check
        store_content(actor, submission.holder, None, submission.content, submission.content_type,
                      submission.original_name)
        record(actor, "online_evidence.accept", submission)
        _tell_holder(submission, "Your document has been accepted", f"We have accepted your {label.lower()}.")
        return None
    kind = CheckKind(submission.requirement)
    check = record_check(actor, submission.holder, {
        "kind": kind.value, "result": data["result"], "completed_on": data["completed_on"],
        "expires_on": data.get("expires_on"), "reference": data.get("reference"),
        "licence_id": submission.licence_id if kind in VEHICLE_CHECK_KINDS else None,
        "notes": "Sent online by the holder",
    }, today=today)
    db.session.flush()
    store_content(actor, submission.holder, check, submission.content, submission.content_type,
                  submission.original_name)
    submission.check_id = check.id
    record(actor, "online_evidence.accept", submission, after={"check_id": check.id})
    _tell_holder(submission, "Your document has been accepted",
                 f"We have accepted the {label} you sent on {govuk_date(submission.submitted_at.date())}.")
    return check


def reject_evidence(actor, submission, reason, now=None):
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise PortalError("Say why the document is not accepted: the holder sees this", field="reason")
    _decided(actor, submission, SubmissionStatus.REJECTED, now)
    submission.reason = reason
    record(actor, "online_evidence.reject", submission, reason=reason)
    _tell_holder(submission, "Your document was not accepted",
                 f"We could not accept the {document_label(submission.requirement)} you sent:\n{reason}\n"
                 "Sign in to your account to send another.")


def _tell_holder(submission, subject, body):
    account = db.session.get(PortalAccount, submission.account_id)
    queue_account_email(account, f"online:evidence:{submission.id}:{submission.status.value}", subject, body)


def waiting(limit=200):
    """The officers' verification queue: documents waiting, oldest first."""
    return db.session.execute(
        sa.select(SubmittedEvidence).where(*_waiting())
        .options(joinedload(SubmittedEvidence.holder), joinedload(SubmittedEvidence.licence))
        .order_by(SubmittedEvidence.submitted_at, SubmittedEvidence.id).limit(limit)
    ).scalars().all()


def waiting_count():
    return db.session.execute(sa.select(sa.func.count()).select_from(SubmittedEvidence)
                              .where(*_waiting())).scalar_one()


def _waiting():
    # An application's documents reach officers once the application is sent (it has a holder then).
    return SubmittedEvidence.status == SubmissionStatus.SUBMITTED, SubmittedEvidence.holder_id.is_not(None)
