"""Officers' immediate action under delegated powers (s.61(2B) LG(MP)A 1976) and its notice."""

import datetime as dt

from flask import current_app

from licensing.extensions import db
from licensing.letters.contact import contact_from_config
from licensing.letters.immediate_action import ImmediateActionNotice, build_immediate_action_notice
from licensing.letters.issue import issue_letter
from licensing.models import ActionKind, ActionOrigin, Role, User
from licensing.policy.delegations import authoriser_may_record, delegation_for
from licensing.policy.service import method as service_method
from licensing.policy.statutory import rule_for
from licensing.revocations.errors import RevocationError, check_version
from licensing.revocations.operations import IMMEDIATE_KINDS, immediate_effect_applies, take_action
from licensing.revocations.queries import nr3s_entry_opened


def take_immediate_action(actor, licence, kind, *, grounds, public_safety_reason, police_information,
                          authorised_by_id, case=None, interim_pending_hearing=False,
                          suspension_to=None, version=None, today=None, safeguarding_or_road_safety=False,
                          taken_on=None):
    """Suspend or revoke a driver licence with immediate effect and issue the notice. `taken_on`
    records an action taken on an earlier day (history being entered): it is dated that day, and the
    day it was recorded is kept and audited."""
    kind, grounds, public_safety_reason, authoriser, today, recorded_on = check_immediate_action(
        actor, licence, kind, grounds=grounds, public_safety_reason=public_safety_reason,
        authorised_by_id=authorised_by_id, case=case, interim_pending_hearing=interim_pending_hearing,
        suspension_to=suspension_to, version=version, today=today, taken_on=taken_on)
    action = take_action(
        actor, licence, kind=kind, origin=ActionOrigin.OFFICER, case=case, decision_date=today, notice_date=today,
        immediate=True, public_safety_reason=public_safety_reason, suspension_to=suspension_to, grounds=grounds,
        authorised_by=authoriser, interim_pending_hearing=interim_pending_hearing,
        police_information=police_information, safeguarding_or_road_safety=safeguarding_or_road_safety,
        status_reason=f"immediate {kind.value} under s.61(2B)", status_audit="licence.status", taken_on=recorded_on)
    issue_notice(actor, action)
    return action


def check_immediate_action(actor, licence, kind, *, grounds, public_safety_reason, authorised_by_id, case=None,
                           interim_pending_hearing=False, suspension_to=None, version=None, today=None,
                           taken_on=None):
    """Every refusal `take_immediate_action` can give, before anything is written (the page's
    check-your-answers step asks it first). Returns (kind, grounds, public safety reason, the
    authorising user, the day of the action, the day it was recorded if later)."""
    today = today or dt.date.today()
    if taken_on is not None and taken_on > today:
        raise RevocationError("The date the action was taken cannot be in the future", field="taken_on")
    recorded_on = today if taken_on is not None and taken_on < today else None
    today = taken_on or today
    check_version(licence, version, "licence")
    kind = ActionKind(kind)
    if kind not in IMMEDIATE_KINDS:
        raise RevocationError("Choose suspension or revocation", field="kind")
    if not licence.licence_type.is_driver:
        raise RevocationError("Immediate action under section 61(2B) applies to driver licences only")
    if not (licence.can_take_immediate_action() and immediate_effect_applies(licence, kind, today)):
        raise RevocationError(f"A licence that is {licence.status.label.lower()} cannot be given a "
                              f"{kind.label.lower()}", field="kind")
    grounds, public_safety_reason = (grounds or "").strip(), (public_safety_reason or "").strip()
    if not grounds:
        raise RevocationError("Enter the grounds for the decision", field="grounds")
    if not public_safety_reason:
        raise RevocationError("Explain why public safety requires immediate effect", field="public_safety_reason")
    authoriser = check_authoriser(actor, authorised_by_id, today)
    _check_end(kind, interim_pending_hearing, suspension_to, today)
    if case is not None and case.holder_id != licence.holder_id:
        raise RevocationError("The case must be about the licence holder", field="case_id")
    return kind, grounds, public_safety_reason, authoriser, today, recorded_on


def check_authoriser(actor, authorised_by_id, on):
    """The enabled officer or manager who authorises an action `actor` records on `on`: not `actor`
    unless the scheme of delegation lets the recording officer authorise it."""
    authoriser = db.session.get(User, authorised_by_id) if authorised_by_id else None
    if authoriser is None or authoriser.role not in (Role.OFFICER, Role.MANAGER) or not authoriser.is_enabled:
        raise RevocationError("Choose the officer who authorised the action", field="authorised_by_id")
    if actor is not None and authoriser.id == actor.id and not authoriser_may_record(on):
        raise RevocationError("Choose another officer to authorise this: you cannot authorise an action you record",
                              field="authorised_by_id")
    return authoriser


def _check_end(kind, interim_pending_hearing, suspension_to, today):
    """A suspension has an end: a date, or (where the council allows it) the hearing."""
    if interim_pending_hearing and kind != ActionKind.SUSPENSION:
        raise RevocationError("Only a suspension can be interim pending a hearing", field="interim_pending_hearing")
    if interim_pending_hearing and not current_app.config.get("ALLOW_INTERIM_SUSPENSION"):
        raise RevocationError("The council's policy does not allow interim suspension pending a hearing",
                              field="interim_pending_hearing")
    if kind == ActionKind.SUSPENSION and suspension_to is None and not interim_pending_hearing:
        raise RevocationError("Enter the last day of the suspension", field="suspension_to")
    if suspension_to and kind != ActionKind.SUSPENSION:
        raise RevocationError("Leave the last day of the suspension blank for a revocation", field="suspension_to")
    if suspension_to and suspension_to < today:
        raise RevocationError("The last day of the suspension must be today or later", field="suspension_to")


def issue_notice(actor, action):
    """Build the notice and issue it (stored once, hashed, e-mailed to the holder)."""
    licence, holder = action.licence, action.holder
    rule = rule_for(licence.licence_type, action.statutory_decision, action.decision_date)
    notice = ImmediateActionNotice(
        council_name=current_app.config["COUNCIL_NAME"], holder_name=holder.display_name,
        holder_address=", ".join(p for p in (holder.address, holder.postcode) if p),
        licence_number=licence.licence_number, licence_type=licence.licence_type.label,
        kind=action.kind.value, notice_date=action.notice_date, effective_date=action.effective_date,
        grounds=action.grounds, public_safety_reason=action.public_safety_reason or "",
        immediate=action.immediate, interim_pending_hearing=action.interim_pending_hearing,
        suspension_to=action.suspension_to,
        authorised_by=action.authorised_by.name_and_post,
        reference=f"EA-{action.id:06d}", power=rule.cited_power(action.immediate), court_name=rule.court_name,
        appeal_deadline=rule.appeal_deadline(action.served_on or action.notice_date),
        return_words=rule.return_words or "", return_days=rule.return_days or 7,
        nr3s_entry=nr3s_entry_opened(action),
        delegation=delegation_for(action.statutory_decision, action.decision_date),
        service_label=service_method(action.service_method or "hand").label,
        contact=contact_from_config(current_app.config),
    )
    return issue_letter(actor, f"immediate_{action.kind.value}", build_immediate_action_notice(notice),
                        holder=holder, case=action.case, action=action, filename=f"notice-EA-{action.id:06d}.pdf")
