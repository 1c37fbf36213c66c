"""Issuing a letter: built once, hashed, stored as an IssuedLetter and never rebuilt.

A holder with an e-mail address is also sent the letter, once: the message goes into the outbox
(licensing/jobs/reminders.py) in the same transaction as the letter, keyed by the letter, and the
sender attaches the stored PDF. With GOV.UK Notify's letters switched on (NOTIFY_POST_LETTERS), a
decision or notice to a holder without an e-mail address is posted instead: the stored PDF goes
to Notify as a precompiled letter, through the same outbox.
"""

import hashlib

import sqlalchemy as sa
from flask import current_app, render_template

from licensing.audit import record
from licensing.extensions import db
from licensing.models import Channel, EmailStatus, IssuedLetter, OutboundEmail
from licensing.models.base import utcnow

SUBJECTS = {
    "hearing_notice": "Notice of hearing about your licence",
    "hearing_decision": "Decision about your licence",
    "hearing_bundle": "The bundle for the hearing about your licence",
    "immediate_suspension": "Your licence is suspended with immediate effect",
    "immediate_revocation": "Your licence is revoked with immediate effect",
    "delegated_warning_notice": "A written warning about your licence",
    "delegated_suspension_notice": "Notice of suspension of your licence",
    "delegated_revocation_notice": "Notice of revocation of your licence",
}

# Letters that carry a decision or a notice with legal effect: posted when they cannot be e-mailed.
POSTED_KINDS = frozenset({"hearing_notice", "hearing_decision", "immediate_suspension", "immediate_revocation",
                          "application_grant", "application_refusal", "suspension_until_compliant"})


def must_post(kind):
    return kind in POSTED_KINDS or kind.endswith(("_decision", "_notice"))


def issue_letter(actor, kind, content, *, holder, filename, case=None, action=None, email=True, now=None,
                 issued_by=None):
    """Store `content` (PDF bytes) as the letter of `kind` to `holder`, audited, and queue it for
    e-mail unless `email` is false. Returns the IssuedLetter. `issued_by` names the officer a letter
    is issued for when the daily job (no actor) sends it, e.g. a reminder of their notice."""
    letter = IssuedLetter(kind=kind, holder_id=holder.id, case_id=case.id if case else None,
                          action_id=action.id if action else None, filename=filename,
                          sha256=hashlib.sha256(content).hexdigest(), content=content,
                          issued_by_id=(issued_by or actor).id)
    db.session.add(letter)
    db.session.flush()
    record(actor, "letter.issued", letter, after={"kind": kind, "sha256": letter.sha256, "case_id": letter.case_id,
                                                  "action_id": letter.action_id})
    if email:
        queue_letter_email(actor, letter, holder, now=now)
    return letter


def letter_email_key(letter):
    return f"letter:{letter.id}"


def find_letter_email(letter):
    """The outbox message carrying `letter`, or None if it was never queued."""
    return db.session.execute(
        sa.select(OutboundEmail).where(OutboundEmail.key == letter_email_key(letter))).scalar_one_or_none()


def withdraw_unsent(actor, letter, reason):
    """A letter replaced before it went out is not sent: its outbox message, still queued or
    failed, is removed (audited; the letter itself is kept). One already sent stays sent, and the
    letter that replaces it says it corrects it. Returns whether a message was withdrawn."""
    message = find_letter_email(letter)
    if message is None or message.status == EmailStatus.SENT:
        return False
    record(actor, "letter.send_withdrawn", letter, before={"status": message.status.value,
                                                          "channel": message.channel.value}, reason=reason)
    db.session.delete(message)
    return True


def queue_letter_email(actor, letter, holder, now=None):
    """Put the letter in the outbox for the holder (once per letter). Returns the message, or
    None when the holder has no e-mail address."""
    existing = find_letter_email(letter)
    if existing is not None:
        return existing
    now = now or utcnow()
    if not holder.email:
        return _queue_posted_letter(actor, letter, holder, now)
    subject = SUBJECTS.get(letter.kind, "A letter about your licence")
    body = render_template("letters/email.txt", holder_name=holder.display_name, subject=subject,
                           filename=letter.filename, council=current_app.config["COUNCIL_NAME"])
    message = OutboundEmail(key=letter_email_key(letter), holder_id=holder.id, letter_id=letter.id,
                            to_address=holder.email, subject=subject, body=body, status=EmailStatus.QUEUED,
                            attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(message)
    db.session.flush()
    record(actor, "letter.email_queued", letter, holder_id=holder.id,
           after={"outbox_id": message.id, "kind": letter.kind, "sha256": letter.sha256})
    return message


def _queue_posted_letter(actor, letter, holder, now):
    """The letter to be posted through Notify (precompiled PDF), when that is switched on."""
    if not (current_app.config.get("NOTIFY_POST_LETTERS") and must_post(letter.kind)):
        return None
    subject = SUBJECTS.get(letter.kind, "A letter about your licence")
    message = OutboundEmail(key=letter_email_key(letter), holder_id=holder.id, letter_id=letter.id,
                            channel=Channel.LETTER, to_address="post", subject=subject, body=letter.filename,
                            status=EmailStatus.QUEUED, attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(message)
    db.session.flush()
    record(actor, "letter.post_queued", letter, holder_id=holder.id,
           after={"outbox_id": message.id, "kind": letter.kind, "sha256": letter.sha256})
    return message
