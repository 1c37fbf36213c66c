"""Hearing letters: the notice of hearing and the notices that change it (a new date, an
adjournment, a cancellation, a deferral), and the data every hearing letter shares. Letters are
issued (stored, hashed and e-mailed) through `licensing.letters.issue`."""

from flask import current_app

from licensing.holders.operations.licences import pending_application
from licensing.letters.contact import contact_from_config
from licensing.letters.hearing_notice import HearingNotice, build_hearing_notice
from licensing.letters.issue import issue_letter
from licensing.models import ApplicationKind
from licensing.policy.hearing_procedure import paragraph_text, possible_outcomes, public_interest_test
from licensing.policy.hearings import policy_on
from licensing.policy.statutory import NoRule, rule_for
from licensing.policy.working_days import add_working_days

OUTCOME_WORDS = {"no_action": "take no action", "warning": "give you a written warning",
                 "suspend": "suspend your licence for a period", "revoke": "revoke your licence",
                 "grant": "grant the licence, with or without conditions", "refuse": "refuse the application"}
ENCLOSURES = ("the officer's report on your case",
              "the hearing bundle: the documents and information the decision makers will see, as disclosed "
              "to you (where information is withheld, a summary of it)")


def address_of(holder):
    return ", ".join(p for p in (holder.address, holder.postcode) if p)


def evidence_deadline(hearing):
    days = policy_on(hearing.starts_at.date()).evidence_deadline_working_days_before
    return add_working_days(hearing.starts_at.date(), -days)


def papers_by(hearing):
    """The report and bundle go out with the agenda, at least the policy's working days before."""
    return add_working_days(hearing.starts_at.date(), -policy_on(hearing.starts_at.date()).agenda_working_days_before)


def _statutory_keys(licence):
    application = pending_application(licence)
    if application is None:
        return False, {"suspend": "suspension", "revoke": "revocation"}
    refuse = "refuse_renewal" if application.kind == ApplicationKind.RENEWAL else "refuse_new"
    return True, {"grant": "grant", "refuse": refuse}


def powers_and_outcomes(case, on):
    """The powers the case rests on (from the statutory rule table) and what may be decided."""
    licence = case.licences[0] if case.licences else None
    if licence is None:
        return (), tuple(OUTCOME_WORDS[o] for o in possible_outcomes(False))
    on_application, keys = _statutory_keys(licence)
    powers = []
    for key in keys.values():
        try:
            power = rule_for(licence.licence_type, key, on).cited_power()
        except NoRule:
            continue
        if power and power not in powers:
            powers.append(power)
    return tuple(powers), tuple(OUTCOME_WORDS[o] for o in possible_outcomes(on_application))


def _contact_officer(user):
    if user is None:
        return ""
    return f"{user.name}, {user.post}" if user.post else user.name


def issue_hearing_notice(actor, listing, notice_date, *, kind="hearing", previous_starts_at=None, reason="",
                         deferred_to=None):
    hearing, case = listing.hearing, listing.case
    holder = case.holder
    powers, outcomes = powers_and_outcomes(case, notice_date)
    paragraph = listing.private_paragraph
    notice = HearingNotice(
        council_name=current_app.config["COUNCIL_NAME"], reference=f"HN-{listing.id:06d}",
        notice_date=notice_date, holder_name=holder.display_name, holder_address=address_of(holder),
        licence_numbers=", ".join(lic.licence_number for lic in case.licences) or "no licence recorded",
        starts_at=hearing.starts_at, venue=hearing.venue, deciding_body=hearing.deciding_body,
        matters=case.summary, evidence_deadline=evidence_deadline(hearing), kind=kind, powers=powers,
        outcomes=outcomes, enclosures=ENCLOSURES, papers_by=papers_by(hearing), private_paragraph=paragraph,
        private_text=paragraph_text(paragraph) if paragraph else "",
        public_interest=public_interest_test() if paragraph else "",
        contact_officer=_contact_officer(listing.listed_by or actor), contact=contact_from_config(current_app.config),
        previous_starts_at=previous_starts_at, change_reason=reason or "", deferred_to=deferred_to,
    )
    letter_kind = "hearing_notice" if kind == "hearing" else f"hearing_notice_{kind}"
    return issue_letter(actor, letter_kind, build_hearing_notice(notice), holder=holder, case=case,
                        filename=f"{letter_kind.replace('_', '-')}-HN-{listing.id:06d}.pdf")
