"""Issuing hearing letters: build once, hash, store as an IssuedLetter; never rebuilt."""

import hashlib

from flask import current_app

from licensing.audit import record
from licensing.extensions import db
from licensing.letters.hearing_notice import HearingNotice, build_hearing_notice
from licensing.models import IssuedLetter
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
    return store_letter(actor, "hearing_notice", build_hearing_notice(notice), holder_id=holder.id,
                        case_id=case.id, filename=f"hearing-notice-HN-{listing.id:06d}.pdf")
