"""Officers' immediate action under delegated powers (s.61(2B) LG(MP)A 1976) and its notice."""

import datetime as dt
import hashlib

from flask import current_app

from licensing.audit import record
from licensing.extensions import db
from licensing.holders.operations.licences import change_status
from licensing.letters.immediate_action import ImmediateActionNotice, build_immediate_action_notice
from licensing.models import (
    ActionKind,
    ActionOrigin,
    ActionStatus,
    EnforcementAction,
    IssuedLetter,
    LicenceStatus,
    Role,
    User,
)
from licensing.reviews.errors import ReviewError, check_version

ACTIONABLE = {
    ActionKind.SUSPENSION: {LicenceStatus.ACTIVE},
    ActionKind.REVOCATION: {LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED},
}
NEW_STATUS = {ActionKind.SUSPENSION: LicenceStatus.SUSPENDED, ActionKind.REVOCATION: LicenceStatus.REVOKED}


def take_immediate_action(actor, licence, kind, *, grounds, public_safety_reason, police_information,
                          authorised_by_id, case=None, interim_pending_hearing=False,
                          suspension_to=None, version=None, today=None, safeguarding_or_road_safety=False):
    """Suspend or revoke a driver licence with immediate effect and issue the notice."""
    today = today or dt.date.today()
    check_version(licence, version, "licence")
    kind = ActionKind(kind)
    if kind not in ACTIONABLE:
        raise ReviewError("Choose suspension or revocation", field="kind")
    if not licence.licence_type.is_driver:
        raise ReviewError("Immediate action under section 61(2B) applies to driver licences only")
    if licence.status not in ACTIONABLE[kind]:
        raise ReviewError(f"A licence that is {licence.status.label.lower()} cannot be given a "
                          f"{kind.label.lower()}", field="kind")
    grounds, public_safety_reason = (grounds or "").strip(), (public_safety_reason or "").strip()
    if not grounds:
        raise ReviewError("Enter the grounds for the decision", field="grounds")
    if not public_safety_reason:
        raise ReviewError("Explain why public safety requires immediate effect", field="public_safety_reason")
    authoriser = db.session.get(User, authorised_by_id) if authorised_by_id else None
    if authoriser is None or authoriser.role not in (Role.OFFICER, Role.MANAGER) or not authoriser.is_enabled:
        raise ReviewError("Choose the officer who authorised the action", field="authorised_by_id")
    if interim_pending_hearing and kind != ActionKind.SUSPENSION:
        raise ReviewError("Only a suspension can be interim pending a hearing", field="interim_pending_hearing")
    if suspension_to and (kind != ActionKind.SUSPENSION or suspension_to < today):
        raise ReviewError("A suspension end date must be today or later, on a suspension", field="suspension_to")
    if case is not None and case.holder_id != licence.holder_id:
        raise ReviewError("The case must be about the licence holder", field="case_id")
    action = EnforcementAction(
        kind=kind, origin=ActionOrigin.OFFICER, licence_id=licence.id, holder_id=licence.holder_id,
        case_id=case.id if case else None, decision_date=today, notice_date=today, effective_date=today,
        immediate=True, public_safety_reason=public_safety_reason,
        interim_pending_hearing=bool(interim_pending_hearing), police_information=bool(police_information),
        suspension_from=today if kind == ActionKind.SUSPENSION else None,
        suspension_to=suspension_to if kind == ActionKind.SUSPENSION else None,
        grounds=grounds, authorised_by_id=authoriser.id, recorded_by_id=actor.id,
        status=ActionStatus.EFFECTIVE, safeguarding_or_road_safety=bool(safeguarding_or_road_safety),
    )
    db.session.add(action)
    db.session.flush()
    change_status(actor, licence, NEW_STATUS[kind], f"immediate {kind.value} under s.61(2B), action {action.id}",
                  today, audit_action="licence.status")
    record(actor, "enforcement_action.taken", action,
           after={"kind": kind.value, "licence_id": licence.id, "immediate": True,
                  "police_information": action.police_information,
                  "interim_pending_hearing": action.interim_pending_hearing,
                  "authorised_by_id": authoriser.id, "case_id": action.case_id})
    issue_notice(actor, action)
    from licensing.revocations.operations import on_action_created  # the revocations area builds on this one

    on_action_created(actor, action)
    return action


def issue_notice(actor, action):
    """Build, hash and store the notice once; an issued letter is never rebuilt."""
    licence, holder = action.licence, action.holder
    notice = ImmediateActionNotice(
        council_name=current_app.config["COUNCIL_NAME"], holder_name=holder.display_name,
        holder_address=", ".join(p for p in (holder.address, holder.postcode) if p),
        licence_number=licence.licence_number, licence_type=licence.licence_type.label,
        kind=action.kind.value, notice_date=action.notice_date, effective_date=action.effective_date,
        grounds=action.grounds, public_safety_reason=action.public_safety_reason or "",
        immediate=action.immediate, interim_pending_hearing=action.interim_pending_hearing,
        suspension_to=action.suspension_to, authorised_by=action.authorised_by.name,
        reference=f"EA-{action.id:06d}",
    )
    content = build_immediate_action_notice(notice)
    letter = IssuedLetter(
        kind=f"immediate_{action.kind.value}", holder_id=action.holder_id, action_id=action.id,
        case_id=action.case_id, filename=f"notice-EA-{action.id:06d}.pdf",
        sha256=hashlib.sha256(content).hexdigest(), content=content, issued_by_id=actor.id,
    )
    db.session.add(letter)
    db.session.flush()
    record(actor, "letter.issued", letter, after={"kind": letter.kind, "sha256": letter.sha256,
                                                  "action_id": action.id})
    return letter
