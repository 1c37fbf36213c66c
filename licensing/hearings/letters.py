"""Hearing letters: the notice of hearing, and the data every hearing letter shares. Letters are
issued (stored, hashed and e-mailed) through `licensing.letters.issue`."""

from flask import current_app

from licensing.letters.hearing_notice import HearingNotice, build_hearing_notice
from licensing.letters.issue import issue_letter
from licensing.policy.hearings import policy_on
from licensing.policy.working_days import add_working_days


def address_of(holder):
    return ", ".join(p for p in (holder.address, holder.postcode) if p)


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
    return issue_letter(actor, "hearing_notice", build_hearing_notice(notice), holder=holder, case=case,
                        filename=f"hearing-notice-HN-{listing.id:06d}.pdf")
