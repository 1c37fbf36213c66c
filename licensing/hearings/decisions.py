"""Recording what happened at a hearing: attendance, the panel's proposal, and the decision
maker's decision with its effects and letter. Decisions are never edited; a correction is a
new decision that supersedes the old one. The enforcement action a decision makes is taken
through `licensing.revocations.operations.take_action`, which owns it."""

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from licensing.audit import record
from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.hearings import sitting
from licensing.hearings.disclosure import check_before_decision
from licensing.hearings.errors import HearingError, check_version
from licensing.hearings.letters import address_of, issue_hearing_notice
from licensing.holders.operations.licences import change_status, pending_application
from licensing.letters.contact import contact_from_config
from licensing.letters.decision import DecisionLetter, build_decision_letter
from licensing.letters.issue import issue_letter, withdraw_unsent
from licensing.models import (
    ActionKind,
    ActionOrigin,
    ApplicationKind,
    ApplicationOutcome,
    Attendance,
    CaseOutcome,
    CaseState,
    DecisionCapacity,
    EnforcementAction,
    HearingDecision,
    HearingOutcome,
    HearingStatus,
    LicenceApplication,
    LicenceStatus,
)
from licensing.policy.statutory import NoRule, rule_for
from licensing.reviews.operations.cases import transition
from licensing.revocations.corrections import redate_action
from licensing.revocations.effects import appeal_deadline, effective_date
from licensing.revocations.operations import IMMEDIATE_KINDS, take_action
from licensing.revocations.queries import nr3s_entry_opened
from licensing.text import govuk_date

OC = HearingOutcome
ACTION_KIND = {OC.REFUSE: ActionKind.REFUSAL, OC.SUSPEND: ActionKind.SUSPENSION,
               OC.REVOKE: ActionKind.REVOCATION, OC.WARNING: ActionKind.WARNING}
# The review case keeps its own, coarser outcome list; a refusal is carried by its action.
CASE_OUTCOME = {OC.GRANT: CaseOutcome.NO_FURTHER_ACTION, OC.NO_ACTION: CaseOutcome.NO_FURTHER_ACTION,
                OC.REFUSE: CaseOutcome.NO_FURTHER_ACTION, OC.WARNING: CaseOutcome.WARNED,
                OC.SUSPEND: CaseOutcome.SUSPENDED, OC.REVOKE: CaseOutcome.REVOKED}

# Notice of the grounds of a decision is due within this many days of it (s.60(2), s.61(2),
# s.62(2)) when the statutory rule table gives no period of its own.
DEFAULT_NOTICE_WITHIN_DAYS = 14
STATUTORY_DECISION = {OC.SUSPEND: "suspension", OC.REVOKE: "revocation", OC.WARNING: "warning",
                      OC.NO_ACTION: "no_action", OC.GRANT: "grant", OC.REFUSE: "refuse_new"}


def _check_started(listing, now, field):
    """A proposal is made at the hearing, so only once it has started."""
    starts_at = listing.hearing.starts_at
    if starts_at > (now or dt.datetime.now()):
        raise HearingError(f"The hearing has not started yet (it starts on {govuk_date(starts_at.date())} at "
                           f"{starts_at:%H:%M}); a proposal is recorded at the hearing", field=field)


def record_attendance(actor, listing, attendance, proposed_outcome=None, proposed_by=None, version=None, now=None):
    check_version(listing, version, "listing")
    if listing.removed:
        raise HearingError("This case is no longer on the agenda")
    proposed_outcome = OC(proposed_outcome) if proposed_outcome else None
    unchanged = proposed_outcome is not None and proposed_outcome == listing.proposed_outcome
    if unchanged and proposed_by is None:
        proposed_by = listing.proposed_by  # attendance changed after the proposal: the proposal stands
    if proposed_outcome and not unchanged:
        _check_started(listing, now, "proposed_outcome")
    if proposed_outcome and (proposed_by is None or not listing.hearing.sits_on(proposed_by)):
        raise HearingError("Choose the panel member who proposed the decision", field="proposed_by_id")
    before = {"attendance": listing.attendance.value if listing.attendance else None}
    listing.attendance = Attendance(attendance)
    listing.proposed_outcome = proposed_outcome
    listing.proposed_by_id = proposed_by.id if proposed_outcome else None
    db.session.flush()
    record(actor, "hearing.attendance", listing, before=before, after={
        "attendance": listing.attendance.value,
        "proposed_outcome": proposed_outcome.value if proposed_outcome else None,
        "proposed_by_id": listing.proposed_by_id})
    return listing


def propose_decision(actor, listing, proposed_outcome, version=None, now=None):
    """A panel member sitting on the hearing records the panel's proposed decision for the
    decision maker; the attendance record is left as it is."""
    check_version(listing, version, "listing")
    if listing.removed:
        raise HearingError("This case is no longer on the agenda")
    if not listing.hearing.sits_on(actor):
        raise HearingError("Only a member of this hearing's panel can propose its decision")
    if current_decision(listing) is not None:
        raise HearingError("The decision has been made; a proposal can no longer be recorded",
                           field="proposed_outcome")
    _check_started(listing, now, "proposed_outcome")
    outcome = OC(proposed_outcome)
    before = {"proposed_outcome": listing.proposed_outcome.value if listing.proposed_outcome else None,
              "proposed_by_id": listing.proposed_by_id}
    listing.proposed_outcome = outcome
    listing.proposed_by_id = actor.id
    db.session.flush()
    record(actor, "hearing.proposal", listing, before=before,
           after={"proposed_outcome": outcome.value, "proposed_by_id": actor.id})
    return listing


def current_decision(listing):
    """The latest decision for the listing: the one no correction supersedes."""
    rows = db.session.execute(sa.select(HearingDecision).filter_by(listing_id=listing.id)
                              .order_by(HearingDecision.id)).scalars().all()
    superseded = {d.supersedes_id for d in rows}
    live = [d for d in rows if d.id not in superseded]
    return live[-1] if live else None


def _validate(listing, outcome, reasons, immediate, public_safety_reason, suspension_to, decision_date):
    if not reasons:
        raise HearingError("Give the reasons for the decision", field="reasons")
    if immediate:
        licence = _licence(listing)
        if ACTION_KIND.get(outcome) not in IMMEDIATE_KINDS or licence is None or not licence.licence_type.is_driver:
            raise HearingError("Immediate effect applies only to suspension or revocation of a driver licence",
                               field="immediate")
        if not public_safety_reason:
            raise HearingError("Explain why public safety requires immediate effect",
                               field="public_safety_reason")
    if outcome == OC.SUSPEND and (suspension_to is None or suspension_to <= decision_date):
        raise HearingError("Give the date the suspension ends, after the decision date", field="suspension_to")
    if outcome in ACTION_KIND and _licence(listing) is None:
        raise HearingError("The case has no licence to act on", field="outcome")


def _notice_within_days(listing, outcome, decision_date):
    licence = _licence(listing)
    if licence is None or outcome not in STATUTORY_DECISION:
        return DEFAULT_NOTICE_WITHIN_DAYS
    try:
        rule = rule_for(licence.licence_type, STATUTORY_DECISION[outcome], decision_date)
    except NoRule:
        return DEFAULT_NOTICE_WITHIN_DAYS
    return rule.notice_within_days or DEFAULT_NOTICE_WITHIN_DAYS


def check_dates(listing, outcome, decision_date, notice_date, late_notice_reason, today):
    """The guard rails on a decision's dates: decided on or after the hearing day and not in the
    future; notice given on or after the decision and within the statutory period (14 days)
    unless a reason for the lateness is recorded."""
    hearing_day = listing.hearing.starts_at.date()
    if decision_date < hearing_day:
        raise HearingError(f"The decision date cannot be before the hearing ({govuk_date(hearing_day)})",
                           field="decision_date")
    if decision_date > today:
        raise HearingError("The decision date cannot be in the future", field="decision_date")
    if outcome in (OC.DEFER, OC.SURRENDERED) or notice_date is None:
        return
    if notice_date < decision_date:
        raise HearingError("The notice cannot be dated before the decision", field="notice_date")
    within = _notice_within_days(listing, outcome, decision_date)
    if notice_date > decision_date + dt.timedelta(days=within) and not late_notice_reason:
        raise HearingError(f"Notice of the decision is due within {within} days of it (by "
                           f"{govuk_date(decision_date + dt.timedelta(days=within))}). Give the reason it is "
                           "later to issue it anyway.", field="late_notice_reason")


def version_of(decision):
    """The letter version of a decision: 1, and one more for each decision it corrects in turn."""
    version, current = 1, decision
    while current is not None and current.supersedes_id is not None:
        version += 1
        current = current.supersedes
    return version


def _check_open_to_decision(listing, outcome, immediate, decided_by, corrects):
    """The listing can take this decision, or this correction of the latest one."""
    hearing = listing.hearing
    if listing.removed:
        raise HearingError("This case is no longer on the agenda")
    if hearing.status not in (HearingStatus.SCHEDULED, HearingStatus.HELD):
        raise HearingError("Decisions are recorded only for a scheduled or held hearing")
    if corrects is None and current_decision(listing) is not None:
        raise HearingError("A decision has been issued. Use 'Correct this decision' to correct it.",
                           field="outcome")
    if corrects is not None and current_decision(listing) is not corrects:
        raise HearingError("Only the latest decision can be corrected")
    if corrects is not None and (outcome != corrects.outcome or bool(immediate) != corrects.immediate):
        # A correction fixes the letter's wording or dates; it cannot change what was decided.
        raise HearingError("A correction keeps the decision and its effect; only its wording or dates change",
                           field="outcome")
    if outcome != OC.SURRENDERED and (decided_by is None or decided_by.id != hearing.chair_id):
        raise HearingError("The decision is made by the hearing's decision maker", field="decided_by_id")


def _licence(listing):
    licences = listing.case.licences
    return licences[0] if licences else None


def record_decision(actor, listing, *, outcome, reasons, decided_by, decision_date=None, notice_date=None,
                    immediate=False, public_safety_reason="", suspension_to=None, deferred_to=None,
                    safeguarding_or_road_safety=False, corrects=None, correction_reason=None, late_notice_reason=None,
                    today=None, decision_mode=None, present_ids=None, against_ids=(), abstained_ids=(),
                    legal_adviser=None, exclusion_paragraph=None, disclosure_override_reason=None):
    """Record the decision maker's decision, apply its effects and issue the letter. With `corrects`
    (the current decision) it is a correction: it needs a reason, keeps the decision and its action,
    and moves the action's dates with the corrected ones."""
    outcome = OC(outcome)
    reasons, public_safety_reason = (reasons or "").strip(), (public_safety_reason or "").strip()
    late_notice_reason, correction_reason = (late_notice_reason or "").strip(), (correction_reason or "").strip()
    if corrects is not None and not correction_reason:
        raise HearingError("Give the reason for the correction", field="correction_reason")
    hearing = listing.hearing
    decision_date = decision_date or hearing.starts_at.date()
    notice_date = notice_date or decision_date
    _check_open_to_decision(listing, outcome, immediate, decided_by, corrects)
    if corrects is None and outcome not in (OC.DEFER, OC.SURRENDERED):  # a deferral may be for disclosure
        check_before_decision(actor, listing, disclosure_override_reason)
    check_dates(listing, outcome, decision_date, notice_date, late_notice_reason, today or dt.date.today())
    _validate(listing, outcome, reasons, immediate, public_safety_reason, suspension_to, decision_date)
    seat = None if corrects is not None or outcome == OC.SURRENDERED else sitting.resolve(
        listing, outcome, decision_date, decided_by, mode=decision_mode, present_ids=present_ids,
        against_ids=against_ids, abstained_ids=abstained_ids, exclusion_paragraph=exclusion_paragraph)
    if corrects is not None:
        suspension_to = _correct_action_dates(actor, corrects, decision_date, notice_date, suspension_to,
                                              correction_reason, today)
    decision = HearingDecision(
        listing_id=listing.id, outcome=outcome, reasons=reasons, immediate=bool(immediate),
        public_safety_reason=public_safety_reason or None, suspension_to=suspension_to,
        deferred_to=deferred_to if outcome == OC.DEFER else None,
        safeguarding_or_road_safety=bool(safeguarding_or_road_safety), decision_date=decision_date,
        decided_by_id=decided_by.id if decided_by else None, recorded_by_id=actor.id,
        agrees_with_proposal=(listing.proposed_outcome == outcome) if listing.proposed_outcome else None,
        supersedes_id=corrects.id if corrects else None,
        legal_adviser=(legal_adviser or "").strip() or hearing.legal_adviser,
        exclusion_paragraph=int(exclusion_paragraph) if exclusion_paragraph not in (None, "") else None,
    )
    if outcome in ACTION_KIND or outcome == OC.GRANT:
        decision.notice_date = notice_date
        decision.effective_date = effective_date(decision_date, notice_date, immediate=bool(immediate))
    db.session.add(decision)
    db.session.flush()
    if corrects is not None:
        sitting.copy_sitting(decision, corrects)
    elif seat is not None:
        sitting.record(decision, seat)
    if corrects is None:
        _apply_effects(actor, listing, decision)
    elif corrects.action is not None:
        decision.action_id = corrects.action_id
    action = db.session.get(EnforcementAction, decision.action_id) if decision.action_id else None
    if action is not None and action.effective_date is not None:
        decision.effective_date = action.effective_date  # the letter gives the action's date
    record(actor, "hearing.decision", decision, after={
        "listing_id": listing.id, "outcome": outcome.value, "immediate": decision.immediate,
        "agrees_with_proposal": decision.agrees_with_proposal, "supersedes_id": decision.supersedes_id,
        "decision_date": decision_date.isoformat(), "notice_date": notice_date.isoformat(),
        "late_notice_reason": late_notice_reason or None, "correction_reason": correction_reason or None,
        "decision_mode": decision.decision_mode, "authority_id": decision.authority_id,
        "members": {str(m.user_id): m.vote.value for m in decision.members}},
           reason=reasons)
    _notify(actor, listing, decision, corrects)
    if hearing.status == HearingStatus.SCHEDULED:
        hearing.status = HearingStatus.HELD
        record(actor, "hearing.status", hearing, before={"status": "scheduled"}, after={"status": "held"},
               reason="Decision recorded")
    db.session.flush()
    return decision


def _notify(actor, listing, decision, corrects):
    """The decision letter; a deferral sends a notice of deferral with its new date instead."""
    if decision.outcome not in (OC.DEFER, OC.SURRENDERED):
        _issue_decision_letter(actor, listing, decision, corrects)
    elif decision.outcome == OC.DEFER and corrects is None:
        issue_hearing_notice(actor, listing, decision.notice_date or decision.decision_date, kind="deferred",
                             reason=decision.reasons, deferred_to=decision.deferred_to)


def _correct_action_dates(actor, corrects, decision_date, notice_date, suspension_to, reason, today):
    """A correction whose decision or notice date differs from its action's re-runs the effect rule
    on the action (`redate_action`). A suspension keeps its length, so its end moves with its start:
    the corrected end date is the action's. Returns the suspension end for the corrected decision."""
    action = corrects.action
    if action is None:
        return suspension_to
    if corrects.outcome == OC.SUSPEND and suspension_to != corrects.suspension_to:
        raise HearingError("A correction keeps the length of the suspension; its end moves with the notice date",
                           field="suspension_to")
    if (action.decision_date, action.notice_date) != (decision_date, notice_date):
        redate_action(actor, action, decision_date=decision_date, notice_date=notice_date, reason=reason,
                      today=today)
    return action.suspension_to if corrects.outcome == OC.SUSPEND else suspension_to


APPLICATION_OUTCOME = {OC.GRANT: ApplicationOutcome.GRANTED, OC.REFUSE: ApplicationOutcome.REFUSED,
                       OC.DEFER: ApplicationOutcome.DEFERRED}


def _decide_application(actor, listing, decision, licence):
    """A hearing's grant, refusal or deferral decides the licence's waiting application through the
    one decision step (the hearing's own letter is the notice). Returns the refusal record, if any."""
    application = pending_application(licence) if licence is not None else None
    if application is None or decision.outcome not in APPLICATION_OUTCOME:
        return None
    result = decide_application(
        actor, application, outcome=APPLICATION_OUTCOME[decision.outcome], capacity=DecisionCapacity.HEARING,
        decided_on=decision.decision_date, reasons=decision.reasons, decided_by=decision.decided_by,
        safeguarding_or_road_safety=decision.safeguarding_or_road_safety, service_method="hand",
        notice_date=decision.notice_date or decision.decision_date, case=listing.case, issue_notice=False)
    return result.action or False


def _apply_effects(actor, listing, decision):
    case, outcome = listing.case, decision.outcome
    licence = _licence(listing)
    decided = _decide_application(actor, listing, decision, licence)
    if outcome == OC.DEFER:
        transition(actor, case, CaseState.AWAITING_DECISION, f"Deferred at hearing {listing.hearing_id}")
        return
    if outcome == OC.SURRENDERED:
        if licence is not None and licence.status in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED):
            change_status(actor, licence, LicenceStatus.SURRENDERED, "Surrendered at hearing",
                          on_date=decision.decision_date)
        transition(actor, case, CaseState.WITHDRAWN, "Licence surrendered at the hearing")
        return
    transition(actor, case, CaseState.DECIDED, decision.reasons, outcome=CASE_OUTCOME[outcome],
               by_decision=f"hearing decision {decision.id}")
    if decided is not None:  # the application's decision made the refusal record (or there is none)
        decision.action_id = decided.id if decided else None
        return
    if outcome not in ACTION_KIND:
        return
    kind = ACTION_KIND[outcome]
    action = take_action(
        actor, licence, kind=kind, origin=ActionOrigin.HEARING, case=case, decision_date=decision.decision_date,
        notice_date=decision.notice_date, immediate=decision.immediate,
        public_safety_reason=decision.public_safety_reason, suspension_to=decision.suspension_to,
        grounds=decision.reasons, authorised_by=decision.decided_by,
        safeguarding_or_road_safety=decision.safeguarding_or_road_safety,
        status_reason=f"Immediate {kind.value} at hearing {listing.hearing_id}")
    decision.action_id = action.id


def _latest_granted_application(licence):
    return db.session.execute(sa.select(LicenceApplication).filter_by(
        licence_id=licence.id, outcome=ApplicationOutcome.GRANTED).order_by(LicenceApplication.id.desc())
        .limit(1)).scalar_one_or_none()


def _letter_rule(licence, decision):
    """The statutory rule the letter cites: a refusal of a renewal is not a refusal of a new licence."""
    key = STATUTORY_DECISION.get(decision.outcome)
    if licence is None or key is None:
        return None
    if decision.outcome == OC.REFUSE:
        kinds = db.session.execute(sa.select(LicenceApplication.kind).filter_by(licence_id=licence.id)
                                   .order_by(LicenceApplication.id.desc()).limit(1)).scalars().all()
        if kinds and kinds[0] == ApplicationKind.RENEWAL:
            key = "refuse_renewal"
    try:
        return rule_for(licence.licence_type, key, decision.decision_date)
    except NoRule:
        return None


def decision_letter_data(listing, decision, corrects=None):
    hearing, case = listing.hearing, listing.case
    corrects = corrects or decision.supersedes
    licence = _licence(listing)
    panel = ", ".join(u.name for u in hearing.panel)
    rule = _letter_rule(licence, decision)
    rule_words = {} if rule is None else {
        "power": rule.cited_power(decision.immediate), "court_name": rule.court_name,
        "appeal_days": rule.appeal_days, "from_rule_table": True, "return_words": rule.return_words or "",
        "return_days": rule.return_days or 7, "nr3s_entry": nr3s_entry_opened(decision.action),
        "contact": contact_from_config(current_app.config), "appeal_against": rule.appeal_against}
    if decision.outcome == OC.GRANT and licence is not None and licence.status == LicenceStatus.ACTIVE:
        granted = _latest_granted_application(licence)
        new = granted is None or granted.kind == ApplicationKind.NEW
        rule_words.update(expires_on=licence.expires_on, conditions=licence.conditions or "",
                          starts_on=decision.decision_date if new else None)
    return DecisionLetter(**rule_words,
        council_name=current_app.config["COUNCIL_NAME"], reference=f"HD-{decision.id:06d}",
        holder_name=case.holder.display_name, holder_address=address_of(case.holder),
        licence_number=licence.licence_number if licence else "", licence_type=licence.licence_type.label
        if licence else "", is_driver=bool(licence and licence.licence_type.is_driver),
        is_vehicle=bool(licence and licence.licence_type.is_vehicle),
        hearing_date=hearing.starts_at.date(), deciding_body=hearing.deciding_body, outcome=decision.outcome.value,
        reasons=decision.reasons, notice_date=decision.notice_date or decision.decision_date,
        appeal_deadline=appeal_deadline(decision.notice_date or decision.decision_date),
        effective_date=decision.effective_date, immediate=decision.immediate,
        public_safety_reason=decision.public_safety_reason or "", suspension_to=decision.suspension_to,
        safeguarding_or_road_safety=decision.safeguarding_or_road_safety,
        decided_by=decision.decided_by.name if decision.decided_by else "", panel=panel,
        version=version_of(decision), corrects_reference=f"HD-{corrects.id:06d}" if corrects else "",
        decided_by_words=sitting.decided_by_words(decision, hearing), authority_words=sitting.authority_words(decision),
        legal_adviser=decision.legal_adviser or "", exclusion_words=sitting.exclusion_words(decision),
    )


def _issue_decision_letter(actor, listing, decision, corrects):
    db.session.refresh(decision)
    content = build_decision_letter(decision_letter_data(listing, decision, corrects))
    letter = issue_letter(actor, "hearing_decision", content, holder=listing.case.holder, case=listing.case,
                          action=decision.action, filename=f"decision-HD-{decision.id:06d}.pdf")
    decision.letter_id = letter.id
    if corrects is not None and corrects.letter is not None:
        # The holder must not receive a letter with the dates this one corrects.
        withdraw_unsent(actor, corrects.letter, f"Replaced by the corrected decision letter #{letter.id}")
    db.session.flush()
    return letter
