"""Suspension until compliant: proposed by the scan, confirmed by an officer, ended by compliance.

Confirmed, it is an enforcement action (`licensing.revocations.operations.take_action`): a
suspension for "any other reasonable cause" under the section for the licence type, with its
appeal period and s.77(2) stay, and an issued notice letter (`licensing.letters.issue`). It ends
on compliance rather than on a date (`end_event` "compliance").
"""

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from licensing.audit import insert_audit_rows, record
from licensing.compliance.due import policy_path
from licensing.compliance.evaluate import population_due_items
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.holders.operations.licences import change_status
from licensing.letters.contact import contact_from_config
from licensing.letters.issue import issue_letter
from licensing.letters.suspension import SuspensionNotice, build_suspension_notice
from licensing.models import (
    ActionKind,
    ActionOrigin,
    IssuedLetter,
    Licence,
    LicenceStatus,
    ProposalStatus,
    SuspensionProposal,
)
from licensing.policy.delegations import delegation_for
from licensing.policy.requirements import edition_on
from licensing.policy.service import method as service_method_rule
from licensing.policy.statutory import rule_for
from licensing.revocations.events import end_on_event
from licensing.revocations.operations import take_action
from licensing.revocations.queries import actions_for_licences, nr3s_entry_opened, suspended_until_compliant
from licensing.revocations.state import claims, restored_status
from licensing.text import govuk_date

NOTICE_KIND = "suspension_until_compliant"

PROPOSAL_TRANSITIONS = {
    ProposalStatus.PROPOSED: {ProposalStatus.CONFIRMED, ProposalStatus.DISMISSED},
    ProposalStatus.CONFIRMED: {ProposalStatus.ENDED},
    ProposalStatus.DISMISSED: set(),
    ProposalStatus.ENDED: set(),
}


class SuspensionError(DomainError):
    """A suspension action that cannot be done, with a message for the user."""


def _move(proposal, to_status):
    if to_status not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise SuspensionError(
            f"A {proposal.status.label.lower()} suspension cannot become {to_status.label.lower()}."
        )
    proposal.status = to_status
    if to_status in (ProposalStatus.DISMISSED, ProposalStatus.ENDED):
        proposal.open_licence_id = None


def _suspending_reasons(on_date, holder_ids=None, items=None):
    """{licence_id: (holder_id, [reason dicts])} for licences past a suspending deadline."""
    found = {}
    for item in population_due_items(on_date, holder_ids) if items is None else items:
        if item.overdue and item.suspend_when_overdue and item.requirement != "licence_renewal":
            entry = found.setdefault(item.licence_id, (item.holder_id, []))
            entry[1].append({"requirement": item.requirement, "label": item.label, "due_on": item.due_on.isoformat()})
    return found


def propose_suspensions(on_date, holder_ids=None, items=None):
    """Scan step: propose 'suspend until complete' for active licences past a deadline, and
    dismiss proposals nobody confirmed whose holder has since complied. Returns counts."""
    overdue = _suspending_reasons(on_date, holder_ids, items)
    open_rows = db.session.execute(
        sa.select(SuspensionProposal).where(SuspensionProposal.open_licence_id.is_not(None))
    ).scalars().all()
    open_by_licence = {p.licence_id: p for p in open_rows}
    active = set(db.session.scalars(sa.select(Licence.id).where(Licence.status == LicenceStatus.ACTIVE)))
    proposed = dismissed = 0
    for licence_id, (holder_id, reasons) in overdue.items():
        if licence_id in active and licence_id not in open_by_licence:
            proposal = SuspensionProposal(
                licence_id=licence_id, holder_id=holder_id, open_licence_id=licence_id,
                proposed_on=on_date, reasons=reasons, status=ProposalStatus.PROPOSED,
            )
            db.session.add(proposal)
            record(None, "suspension.proposed", proposal, after={"licence_id": licence_id, "reasons": reasons})
            proposed += 1
    for proposal in open_rows:
        in_scope = holder_ids is None or proposal.holder_id in holder_ids
        if in_scope and proposal.status == ProposalStatus.PROPOSED and proposal.licence_id not in overdue:
            _move(proposal, ProposalStatus.DISMISSED)
            proposal.ended_on = on_date
            record(None, "suspension.proposal_dismissed", proposal,
                   reason="requirement completed before confirmation")
            dismissed += 1
    db.session.flush()
    return {"suspensions_proposed": proposed, "proposals_dismissed": dismissed}


def confirm_suspensions(actor, proposal_ids, reason, on_date, *, service_method="first_class_post",
                        immediate=False, public_safety_reason=None):
    """Suspend each proposed licence for "any other reasonable cause" (s.60/61/62, the rule table's
    power for its type): one enforcement action each, taking effect after the appeal period unless a
    driver's suspension is made immediate for public safety (s.61(2B)), ending when the holder
    complies; one notice letter each, given today by `service_method` (recorded as given)."""
    reason = (reason or "").strip()
    public_safety_reason = (public_safety_reason or "").strip()
    if not reason:
        raise SuspensionError("Enter the reason for the suspensions.", field="reason")
    if not proposal_ids:
        raise SuspensionError("Select at least one proposed suspension.", field="proposal_ids")
    if immediate and not public_safety_reason:
        raise SuspensionError("Explain why public safety requires immediate effect.", field="public_safety_reason")
    proposals = db.session.execute(
        sa.select(SuspensionProposal).where(SuspensionProposal.id.in_(proposal_ids))
        .order_by(SuspensionProposal.id).with_for_update()
    ).scalars().all()
    if len(proposals) != len(set(proposal_ids)):
        raise SuspensionError("One of the selected suspensions no longer exists. Reload and try again.")
    for proposal in proposals:
        _check_can_confirm(proposal, immediate)
        _move(proposal, ProposalStatus.CONFIRMED)
        proposal.confirmed_by_id, proposal.confirmed_on, proposal.decision_reason = actor.id, on_date, reason
        action = take_action(
            actor, proposal.licence, kind=ActionKind.SUSPENSION, origin=ActionOrigin.OFFICER, decision="suspension",
            decision_date=on_date, notice_date=on_date, grounds=_grounds(proposal, reason), authorised_by=actor,
            immediate=immediate, public_safety_reason=public_safety_reason or None,
            service_method=service_method, served=True,
            status_reason="immediate suspension until compliant under s.61(2B)",
            status_audit="licence.suspended_until_compliant")
        action.end_event = "compliance"
        proposal.action_id = action.id
        record(actor, "suspension.confirmed", proposal, after={"action_id": action.id, "immediate": bool(immediate)},
               reason=reason)
        issue_letter(actor, NOTICE_KIND, build_suspension_notice(_notice(proposal, action)), holder=proposal.holder,
                     action=action, filename=_notice_filename(proposal), email=service_method == "email")
    db.session.flush()
    return proposals


def _check_can_confirm(proposal, immediate):
    licence = proposal.licence
    if proposal.status != ProposalStatus.PROPOSED:
        raise SuspensionError(f"The suspension for licence {licence.licence_number} is already "
                              f"{proposal.status.label.lower()}. Reload and try again.", field="proposal_ids")
    if licence.status != LicenceStatus.ACTIVE:
        raise SuspensionError(f"Licence {licence.licence_number} is {licence.status.label.lower()}, not active.",
                              field="proposal_ids")
    if immediate and not rule_for(licence.licence_type, "suspension", proposal.proposed_on).immediate_available:
        raise SuspensionError(f"Licence {licence.licence_number} is a {licence.licence_type.label.lower()} "
                              "licence: immediate effect is available for driver licences only (section 61(2B)). "
                              "Suspend it without immediate effect.", field="immediate")


def _grounds(proposal, reason):
    overdue = "; ".join(f"{r['label']} (due {govuk_date(dt.date.fromisoformat(r['due_on']))})"
                        for r in proposal.reasons)
    return f"Requirements not completed: {overdue}. {reason}"


def _notice(proposal, action):
    licence, holder = proposal.licence, proposal.holder
    rule = rule_for(licence.licence_type, "suspension", action.decision_date)
    return SuspensionNotice(
        contact=contact_from_config(current_app.config), reference=f"EA-{action.id:06d}",
        holder_name=holder.display_name, holder_address=", ".join(p for p in (holder.address, holder.postcode) if p),
        licence_number=licence.licence_number, licence_type=licence.licence_type.label,
        notice_date=action.notice_date, service_label=service_method_rule(action.service_method).label,
        served_on=action.served_on, power=rule.cited_power(action.immediate),
        requirements=tuple((r["label"], dt.date.fromisoformat(r["due_on"])) for r in proposal.reasons),
        decision_reason=proposal.decision_reason, immediate=action.immediate,
        public_safety_reason=action.public_safety_reason or "", effective_on=action.effective_date,
        court_name=rule.court_name, appeal_deadline=rule.appeal_deadline(action.served_on),
        appeal_days=rule.appeal_days,
        return_words=rule.return_words, return_days=rule.return_days, nr3s_entry=nr3s_entry_opened(action),
        decided_by=action.authorised_by.name_and_post, delegation=delegation_for("suspension", action.decision_date))


def _notice_filename(proposal):
    return f"suspension-{proposal.id}.pdf"


def notice_pdf(proposal):
    """The bytes of the notice issued when the suspension was confirmed, or None if none was. A
    suspension confirmed before notices were issued letters keeps its notice on the proposal."""
    letter = db.session.execute(sa.select(IssuedLetter).where(
        IssuedLetter.kind == NOTICE_KIND, IssuedLetter.holder_id == proposal.holder_id,
        IssuedLetter.filename == _notice_filename(proposal))).scalar_one_or_none()
    return letter.content if letter is not None else proposal.letter_pdf


def _held_by_enforcement(licence_ids, on_date):
    """Licences that a suspension or revocation in effect still holds: compliance does not lift those."""
    if not licence_ids:
        return set()
    return {lid for lid, actions in actions_for_licences(licence_ids).items() if any(claims(actions, on_date))}


def end_suspensions_if_compliant(actor, on_date, holder_ids=None, items=None):
    """Reinstate licences suspended until compliant once nothing suspending is overdue."""
    query = sa.select(SuspensionProposal).where(SuspensionProposal.status == ProposalStatus.CONFIRMED)
    if holder_ids is not None:
        query = query.where(SuspensionProposal.holder_id.in_(holder_ids))
    confirmed = db.session.execute(query).scalars().all()
    if not confirmed:
        return 0
    still_overdue = _suspending_reasons(on_date, holder_ids, items)
    return _end(actor, [p for p in confirmed if p.licence_id not in still_overdue], on_date)


def _end(actor, proposals, on_date):
    """End each proposal on compliance: its enforcement action is cancelled if it has not yet taken
    effect, or ended; the licence is in force again unless something else still holds it."""
    for proposal in proposals:
        _move(proposal, ProposalStatus.ENDED)
        proposal.ended_on = on_date
        if proposal.action is not None:
            end_on_event(actor, proposal.action, on_date, "Outstanding requirements completed")
    held = _held_by_enforcement([p.licence_id for p in proposals], on_date)
    for proposal in proposals:
        licence = proposal.licence
        if licence.status == LicenceStatus.SUSPENDED and licence.id not in held and \
                not suspended_until_compliant([licence.id]):
            change_status(actor, licence, restored_status(licence.expires_on, on_date),
                          "Outstanding requirements completed; suspension ended automatically.", on_date,
                          audit_action="licence.reinstated", details={"proposal_id": proposal.id})
    db.session.flush()
    return len(proposals)


def _overdue_suspending(due, today):
    """Rows of the scan's due-items table that make a licence liable to suspension."""
    return sa.and_(due.c.due_on < sa.literal(today, sa.Date), due.c.suspend_when_overdue,
                   due.c.requirement != "licence_renewal")


def scan_suspensions(due, today):
    """The scan's set-based version of `propose_suspensions` and `end_suspensions_if_compliant`,
    over its temporary table of due items (licensing.jobs.scan): only proposals that change are
    read into Python."""
    proposals, licences = SuspensionProposal.__table__, Licence.__table__
    overdue_now = sa.exists().where(due.c.licence_id == proposals.c.licence_id, _overdue_suspending(due, today))
    rows = db.session.execute(
        sa.select(due.c.licence_id, due.c.holder_id, due.c.requirement, due.c.due_on)
        .join(licences, licences.c.id == due.c.licence_id)
        .where(_overdue_suspending(due, today), licences.c.status == LicenceStatus.ACTIVE)
        .where(~sa.exists().where(proposals.c.open_licence_id == due.c.licence_id))
        .order_by(due.c.licence_id, due.c.position)
    ).all()
    rules = edition_on(today, policy_path()).rules
    new = {}
    for row in rows:
        entry = new.setdefault(row.licence_id, {
            "licence_id": row.licence_id, "holder_id": row.holder_id, "open_licence_id": row.licence_id,
            "proposed_on": today, "reasons": [], "status": ProposalStatus.PROPOSED, "version": 1})
        entry["reasons"].append({"requirement": row.requirement, "label": rules[row.requirement].label,
                                 "due_on": row.due_on.isoformat()})
    created = []
    values = list(new.values())
    for start in range(0, len(values), 5000):
        created += db.session.execute(
            sa.insert(proposals).returning(proposals.c.id, proposals.c.licence_id, proposals.c.holder_id),
            values[start:start + 5000],
        ).all()
    audit = [{"actor_id": None, "action": "suspension.proposed", "entity_type": "suspension_proposals",
              "entity_id": row.id, "holder_id": row.holder_id,
              "after": {"licence_id": row.licence_id, "reasons": new[row.licence_id]["reasons"]},
              "before": None, "reason": None} for row in sorted(created)]

    dismissed = db.session.execute(
        sa.select(proposals.c.id, proposals.c.holder_id)
        .where(proposals.c.status == ProposalStatus.PROPOSED, ~overdue_now).order_by(proposals.c.id)
    ).all()
    for start in range(0, len(dismissed), 5000):
        db.session.execute(
            sa.update(proposals).where(proposals.c.id.in_([row.id for row in dismissed[start:start + 5000]]))
            .values(status=ProposalStatus.DISMISSED, open_licence_id=None, ended_on=today,
                    version=proposals.c.version + 1)
        )
    audit += [{"actor_id": None, "action": "suspension.proposal_dismissed", "entity_type": "suspension_proposals",
               "entity_id": row.id, "holder_id": row.holder_id, "before": {"status": "proposed"},
               "after": {"status": "dismissed"}, "reason": "requirement completed before confirmation"}
              for row in dismissed]
    insert_audit_rows(audit)

    ending = db.session.execute(
        sa.select(SuspensionProposal)
        .where(SuspensionProposal.status == ProposalStatus.CONFIRMED, ~overdue_now).order_by(SuspensionProposal.id)
    ).scalars().all()
    ended = _end(None, ending, today)
    return {"suspensions_proposed": len(created), "proposals_dismissed": len(dismissed), "suspensions_ended": ended}
