"""Issuing hearing letters: build once, hash, store as an IssuedLetter; never rebuilt.

A holder with an e-mail address is also sent each letter, once: the message goes into the
outbox (licensing/jobs/reminders.py) in the same transaction as the letter, keyed by the
letter, and the sender attaches the stored PDF.
"""

import hashlib

import sqlalchemy as sa
from flask import current_app, render_template

from licensing.audit import record
from licensing.extensions import db
from licensing.letters.hearing_notice import HearingNotice, build_hearing_notice
from licensing.models import EmailStatus, IssuedLetter, OutboundEmail
from licensing.models.base import utcnow
from licensing.policy.hearings import policy_on
from licensing.policy.working_days import add_working_days


def address_of(holder):
    return ", ".join(p for p in (holder.address, holder.postcode) if p)


def store_letter(actor, kind, content, *, holder_id, case_id, filename, action_id=None):
    letter = IssuedLetter(kind=kind, holder_id=holder_id, case_id=case_id, action_id=action_id,
                          filename=filename, sha256=hashlib.sha256(content).hexdigest(), content=content,
                          issued_by_id=actor.id)
    db.session.add(letter)
    db.session.flush()
    record(actor, "letter.issued", letter, after={"kind": kind, "sha256": letter.sha256, "case_id": case_id})
    return letter


def evidence_deadline(hearing):
    days = policy_on(hearing.starts_at.date()).evidence_deadline_working_days_before
    return add_working_days(hearing.starts_at.date(), -days)


def issue_hearing_notice(actor, listing, notice_date):
    hearing, case = listing.hearing, listing.case
    holder = case.holder
    notice = HearingNotice(
        council_name=current_app.config["COUNCIL_NAME"], reference=f"HN-{listing.id:06d}",
        notice_date=notice_date, holder_name=holder.display_name, holder_address=address_of(holder),
        licence_numbers=", ".join(lic.licence_number for lic in case.licences) or "no licence recorded",
        starts_at=hearing.starts_at, venue=hearing.venue, deciding_body=hearing.deciding_body,
        matters=case.summary, evidence_deadline=evidence_deadline(hearing),
    )
    letter = store_letter(actor, "hearing_notice", build_hearing_notice(notice), holder_id=holder.id,
                          case_id=case.id, filename=f"hearing-notice-HN-{listing.id:06d}.pdf")
    queue_letter_email(actor, letter, holder)
    return letter


LETTER_SUBJECTS = {
    "hearing_notice": "Notice of hearing about your licence",
    "hearing_decision": "Decision about your licence",
}


def letter_email_key(letter):
    return f"letter:{letter.id}"


def queued_letter_email(letter):
    return db.session.execute(
        sa.select(OutboundEmail).where(OutboundEmail.key == letter_email_key(letter))).scalar_one_or_none()


def queue_letter_email(actor, letter, holder, now=None):
    """Put the letter in the outbox for the holder (once per letter). Returns the message, or
    None when the holder has no e-mail address."""
    existing = queued_letter_email(letter)
    if existing is not None:
        return existing
    if not holder.email:
        return None
    now = now or utcnow()
    subject = LETTER_SUBJECTS.get(letter.kind, "A letter about your licence")
    body = render_template("hearings/email/letter.txt", holder_name=holder.display_name, subject=subject,
                           filename=letter.filename, council=current_app.config["COUNCIL_NAME"])
    message = OutboundEmail(key=letter_email_key(letter), holder_id=holder.id, letter_id=letter.id,
                            to_address=holder.email, subject=subject, body=body, status=EmailStatus.QUEUED,
                            attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(message)
    db.session.flush()
    record(actor, "letter.email_queued", letter, holder_id=holder.id,
           after={"outbox_id": message.id, "kind": letter.kind, "sha256": letter.sha256})
    return message
